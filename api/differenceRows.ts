// The difference between two versions of the values (GET /v1/datasets/{dataset}/difference): per border and
// MTU, the value as known at a base instant, as known at a later instant (or now), and the change between them.
import type { Dataset } from '../domain/datasets';
import type { Format } from './params';
import { csvText } from './valueRows';

export const DIFFERENCE_COLUMNS = [
  'mtu',
  'delivery_day',
  'border',
  'base_mw',
  'compare_mw',
  'difference_mw',
] as const;

/** A row as the server writes it: every field text, a missing value null. */
export type DifferenceRow = [string, string, string, string | null, string | null, string | null];

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * The two versions side by side on the views of every dataset (jao.dataset_values_as_of, and jao.dataset_values for
 * now), narrowed to the dataset, the delivery days and the borders, joined on (mtu, border): an MTU present in one
 * version only has a null on the other side and no difference. Every input is a parameter: $1 from, $2 to,
 * $3 borders, $4 base instant, $5 the dataset, $6 compare instant (only when `compareAsOf`).
 */
export function differenceSql(compareAsOf: boolean): string {
  const version = (source: string) => `(SELECT x.mtu, x.delivery_day, x.border, x.value_mw FROM ${source} x
         WHERE x.dataset = $5::text AND x.delivery_day BETWEEN $1::date AND $2::date
           AND x.border = ANY ($3::text[]))`;
  const compare = compareAsOf ? 'jao.dataset_values_as_of($6::timestamptz)' : 'jao.dataset_values';
  return `SELECT to_char(coalesce(b.mtu, c.mtu) AT TIME ZONE 'UTC', ${ISO}),
       coalesce(b.delivery_day, c.delivery_day)::text,
       coalesce(b.border, c.border),
       b.value_mw::text, c.value_mw::text, (c.value_mw - b.value_mw)::text
  FROM ${version('jao.dataset_values_as_of($4::timestamptz)')} b
  FULL JOIN ${version(compare)} c ON c.mtu = b.mtu AND c.border = b.border
 ORDER BY coalesce(b.mtu, c.mtu), coalesce(b.border, c.border)`;
}

/** The difference of `dataset`'s values of `borders` over from..to between `base` and `compare` (null: now). */
export function differenceQuery(
  dataset: Dataset,
  from: string,
  to: string,
  borders: string[],
  base: Date,
  compare: Date | null,
): { text: string; values: unknown[] } {
  const values: unknown[] = [from, to, borders, base, dataset];
  return { text: differenceSql(compare !== null), values: compare ? [...values, compare] : values };
}

/** A row as JSON: the numbers as numbers, a missing value null. */
export interface DifferenceObject {
  mtu: string;
  delivery_day: string;
  border: string;
  base_mw: number | null;
  compare_mw: number | null;
  difference_mw: number | null;
}

const numberOrNull = (text: string | null) => (text === null ? null : Number(text));

export function differenceObject(row: DifferenceRow): DifferenceObject {
  return {
    mtu: row[0],
    delivery_day: row[1],
    border: row[2],
    base_mw: numberOrNull(row[3]),
    compare_mw: numberOrNull(row[4]),
    difference_mw: numberOrNull(row[5]),
  };
}

/** The whole answer in one format (a difference is at most FEW_BORDERS borders: small enough to build at once). */
export function differenceText(rows: readonly DifferenceRow[], format: Format): string {
  if (format === 'csv') {
    const lines = rows.map((row) =>
      [row[0], row[1], csvText(row[2]), row[3] ?? '', row[4] ?? '', row[5] ?? ''].join(','),
    );
    return `${[DIFFERENCE_COLUMNS.join(','), ...lines].join('\n')}\n`;
  }
  const objects = rows.map((row) => JSON.stringify(differenceObject(row)));
  return format === 'ndjson' ? objects.map((line) => `${line}\n`).join('') : `[${objects.join(',')}]`;
}
