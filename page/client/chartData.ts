// The chart's lines from the API's rows (mtuAxis.ts aligns them on the range's MTUs). Pure (no DOM):
// test/unit/pageModel.test.ts.
import type { DifferenceRow, RevisionRow, ValueRow } from '../../domain/apiAnswers';

/** One line: values by MTU (epoch seconds). */
export interface Line {
  label: string;
  values: Map<number, number>;
  /** Its stroke (borderColours.ts): a border's lines keep their colour whatever else is drawn beside them. */
  colour?: string;
  /** Dashed, or solid when absent or empty. */
  dash?: number[];
}

export const mtuSeconds = (iso: string): number => Date.parse(iso) / 1000;

export function lineOf(label: string, rows: readonly ValueRow[]): Line {
  return { label, values: new Map(rows.map((row) => [mtuSeconds(row.mtu), row.value_mw])) };
}

/** Rows of several borders (as the API orders them) by border, in the order `borders` names them. */
export function rowsByBorder<T extends { border: string }>(borders: readonly string[], rows: readonly T[]) {
  const grouped = new Map<string, T[]>(borders.map((border) => [border, []]));
  for (const row of rows) grouped.get(row.border)?.push(row);
  return grouped;
}

/** A border's change per MTU (compare − base); an MTU missing from either version has none. */
export function differenceLine(label: string, rows: readonly DifferenceRow[]): Line {
  const values = new Map<number, number>();
  for (const row of rows) if (row.difference_mw !== null) values.set(mtuSeconds(row.mtu), row.difference_mw);
  return { label, values };
}

/** The instants at which some value of a day changed (its versions), oldest first, over several borders' rows. */
export function versionInstants(rows: readonly RevisionRow[]): string[] {
  return [...new Set(rows.map((row) => row.valid_from))].sort((a, b) => Date.parse(a) - Date.parse(b));
}

/** A version of a day as it was current from `knownFrom`: one line of the overlay. */
export interface DayVersion {
  knownFrom: string;
  /** The day's values as they were then, by MTU (epoch seconds). */
  values: Map<number, number>;
}

/**
 * The successive versions of a border's day: at each instant one of its values became current, the values
 * current then. From jao.max_exchanges_history's rows (each with the interval it was current).
 */
export function dayVersions(rows: readonly RevisionRow[]): DayVersion[] {
  return versionInstants(rows).map((instant) => {
    const at = Date.parse(instant);
    const values = new Map<number, number>();
    for (const row of rows) {
      const from = Date.parse(row.valid_from);
      const to = row.valid_to === null ? Number.POSITIVE_INFINITY : Date.parse(row.valid_to);
      if (from <= at && at < to) values.set(mtuSeconds(row.mtu), row.value_mw);
    }
    return { knownFrom: instant, values };
  });
}
