// The time axis of a chart of MTUs: every MTU the requested delivery days are expected to hold (a market day of 23,
// 24 or 25 hours, at the dataset's declared resolution on that day), whether stored or not, then the end of the last
// MTU. A line is null at each MTU it has no stored value for, so that the chart breaks it there: a day never stored
// is a gap, not a line drawn across it. Pure (no DOM): test/unit/mtuAxis.test.ts.
import { addDays, dayStartMs, daysInRange, expectedMtuCount } from '../../domain/calendar';
import { declarationOf, declaredResolutionOn, isDataset } from '../../domain/datasets';

/** The MTU length (minutes) on a delivery day. */
export type ResolutionOn = (day: string) => number;

/** The dataset's declared resolution per day (domain/datasets); `fallbackMinutes` for a dataset the page does not know. */
export function resolutionOf(dataset: string, fallbackMinutes = 60): ResolutionOn {
  if (!isDataset(dataset)) return () => fallbackMinutes;
  const declaration = declarationOf(dataset);
  return (day) => declaredResolutionOn(declaration, day);
}

/** The expected MTUs of the days from..to (their starts, epoch seconds) and the end of the last one. */
export interface MtuAxis {
  starts: number[];
  end: number;
}

/** Every MTU of the delivery days from..to, both included, on the market's clock; none when to is before from. */
export function expectedMtus(from: string, to: string, resolutionOn: ResolutionOn): MtuAxis {
  const starts: number[] = [];
  for (const day of daysInRange(from, to)) {
    const minutes = resolutionOn(day);
    const start = dayStartMs(day) / 1000;
    const count = expectedMtuCount(day, minutes);
    for (let index = 0; index < count; index++) starts.push(start + index * minutes * 60);
  }
  return { starts, end: dayStartMs(addDays(to < from ? from : to, 1)) / 1000 };
}

/**
 * uPlot's aligned data over `axis`: x is every expected MTU (and any MTU a line holds besides them: a value stored at
 * another resolution is drawn too), then the end of the last MTU; each line's value at each MTU, null where it has
 * none, and null at the end (no MTU starts there: the last MTU's step is drawn up to it).
 */
export function alignOnMtus(
  axis: MtuAxis,
  lines: readonly { values: ReadonlyMap<number, number> }[],
): [number[], ...(number | null)[][]] {
  const expected = new Set(axis.starts);
  const extra = lines.flatMap((line) => [...line.values.keys()].filter((x) => !expected.has(x)));
  const starts =
    extra.length === 0 ? axis.starts : [...new Set([...axis.starts, ...extra])].sort((a, b) => a - b);
  const last = starts.at(-1);
  // A value at or after the range's end (which the API does not send) still has its MTU: an hour, at least.
  const end = last !== undefined && last >= axis.end ? last + 3600 : axis.end;
  return [[...starts, end], ...lines.map((line) => [...starts.map((x) => line.values.get(x) ?? null), null])];
}

/** The indices of the values with no value beside them (null, or nothing, on both sides): drawn as a point too. */
export function loneIndices(values: readonly (number | null | undefined)[]): number[] {
  return values.flatMap((value, index) =>
    value != null && values[index - 1] == null && values[index + 1] == null ? [index] : [],
  );
}
