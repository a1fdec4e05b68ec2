// What the chart is asked to draw, which lines a change of the live feed may have moved, and the API request that
// gives exactly what is drawn as CSV. Pure (no DOM): test/unit/chartRequest.test.ts.

/** `/v1/datasets/{dataset}/{leaf}`: the chart reads the dataset the page shows. */
export function datasetPath(
  dataset: string,
  leaf: 'values' | 'revisions' | 'difference' | 'series' | 'constraints',
): string {
  return `/v1/datasets/${encodeURIComponent(dataset)}/${leaf}`;
}

/** The most borders drawn at once (the API's FEW_BORDERS: one range-function read). */
export const MAX_BORDERS = 8;

/** Two versions of the values: as known at `base`, and at `compare` (null: the current values). */
export interface VersionPair {
  base: string;
  compare: string | null;
}

export interface ChartRequest {
  /** One to MAX_BORDERS borders (AT_BE), each drawn in its own colour. */
  borders: string[];
  from: string;
  to: string;
  /** ISO-8601 instant, or null for the current values. */
  asOf: string | null;
  /** A day whose versions are overlaid, or null. */
  revisionsDay: string | null;
  /** The difference view (compare − base per MTU over from..to), or null for the values. */
  difference: VersionPair | null;
}

/** A change the live feed announced: its day and, for the pipeline's events, when it was stored. */
export interface DayChange {
  day: unknown;
  raisedAt?: unknown;
}

/** Which of a drawing's lines a change may have moved. */
export type TouchedLines = Record<'current' | 'asOf' | 'revisions' | 'difference', boolean>;

export const NOTHING_TOUCHED: TouchedLines = {
  current: false,
  asOf: false,
  revisions: false,
  difference: false,
};

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A change stored at or before `instant` (or a change that does not say when it was stored). */
function storedBy(change: DayChange, instant: string): boolean {
  const storedAt = typeof change.raisedAt === 'string' ? Date.parse(change.raisedAt) : Number.NaN;
  return Number.isNaN(storedAt) || storedAt <= Date.parse(instant);
}

/**
 * The lines of `request` a change may have moved. A day anywhere in the range shown moves the current values; the
 * values as known at an instant only when the change was stored at or before that instant (an event's raisedAt is
 * its write's transaction time, the valid_from of what it stored), or when the event does not say when. The
 * overlaid day's versions move when that day changes; a difference when a day in its range changes and one of its
 * versions is the current values, or was taken at an instant the change was stored by.
 */
export function linesTouched(request: ChartRequest, change: DayChange): TouchedLines {
  const day = change.day;
  if (typeof day !== 'string' || !DAY_PATTERN.test(day)) return NOTHING_TOUCHED;
  const inRange = request.from <= day && day <= request.to;
  const { difference } = request;
  if (difference) {
    const moved = difference.compare === null || storedBy(change, difference.compare);
    return { ...NOTHING_TOUCHED, difference: inRange && moved };
  }
  return {
    current: inRange,
    asOf: inRange && request.asOf !== null && storedBy(change, request.asOf),
    revisions: day === request.revisionsDay,
    difference: false,
  };
}

export const anyTouched = (touched: TouchedLines): boolean => Object.values(touched).some(Boolean);

export function mergeTouched(a: TouchedLines, b: TouchedLines): TouchedLines {
  return {
    current: a.current || b.current,
    asOf: a.asOf || b.asOf,
    revisions: a.revisions || b.revisions,
    difference: a.difference || b.difference,
  };
}

/**
 * The API request whose CSV is what the chart draws: the borders' values (as known at the instant when one is set),
 * or in the difference view the two versions and their change. A day's overlaid versions are read from
 * /revisions, which has no CSV: they are not in the download (the page says so).
 */
export function csvRequest(
  request: ChartRequest,
  dataset: string,
): {
  path: string;
  params: Record<string, string | string[]>;
} {
  if (request.difference) {
    const params: Record<string, string | string[]> = {
      border: request.borders,
      base_as_of: request.difference.base,
    };
    if (request.difference.compare) params.compare_as_of = request.difference.compare;
    return { path: datasetPath(dataset, 'difference'), params };
  }
  const params: Record<string, string | string[]> = { border: request.borders };
  if (request.asOf) params.as_of = request.asOf;
  return { path: datasetPath(dataset, 'values'), params };
}

const compactInstant = (iso: string) => iso.replace(/[-:]|\.\d+/g, '');

/**
 * maxExchanges_AT_BE_2025-03-30_2025-03-31[_as_of_20250331T120000Z].csv (the dataset's id first); several borders
 * joined by '+'; the difference view: maxExchanges_AT_BE_difference_<base>_<compare|current>_<from>_<to>.csv.
 */
export function csvFileName(request: ChartRequest, dataset: string): string {
  const borders = request.borders.join('+');
  if (request.difference) {
    const { base, compare } = request.difference;
    const versions = `${compactInstant(base)}_${compare ? compactInstant(compare) : 'current'}`;
    return `${dataset}_${borders}_difference_${versions}_${request.from}_${request.to}.csv`;
  }
  const asOf = request.asOf ? `_as_of_${compactInstant(request.asOf)}` : '';
  return `${dataset}_${borders}_${request.from}_${request.to}${asOf}.csv`;
}
