import { createHash } from 'node:crypto';
import type { Point, Rejection } from '../../../domain/types';
import { storedValuesKeptBy } from '../../../domain/validate';

/** One series as it appears in a day's payload (a hub: its hub in `fromZone`, `toZone` null). */
export interface IncomingSeries {
  key: string;
  fromZone: string;
  toZone: string | null;
}

/**
 * A day's points normalized for the write path: one value per (key, MTU) (the last one wins), nulls
 * dropped (a null is "no value published"), column arrays ready for `unnest`, and the content hash.
 */
export interface DayContent {
  series: IncomingSeries[];
  /** The distinct MTUs of the points (ISO, normalized to `.000Z`). */
  mtuList: string[];
  /** Per point: index into `series`, index into `mtuList`, value. Indexes keep the arrays sent small. */
  seriesIndex: number[];
  mtuIndex: number[];
  values: number[];
  /** Cells covered by a refusal (domain/validate.ts storedValuesKeptBy): their current values are kept. */
  protectedCells: { seriesKey: string; mtu: string }[];
  /** A refused row whose MTU could not be read: nothing of the day is treated as vanished. */
  protectAll: boolean;
  /** sha256 over the sorted normalized points and protected cells: equal for re-fetches of equal content. */
  contentHash: string;
  /** Epoch ms of the earliest and latest MTU, or null when there is no point. */
  minMtuMs: number | null;
  maxMtuMs: number | null;
}

export function normalizeDayContent(points: readonly Point[], rejections: readonly Rejection[]): DayContent {
  const seriesByKey = new Map<string, number>();
  const series: IncomingSeries[] = [];
  // A day has few distinct MTU strings: parse each once, straight to its index in mtuList.
  const mtuAtByText = new Map<string, number>();
  const mtuAtByMs = new Map<number, number>();
  const mtuList: string[] = [];
  const mtuMsList: number[] = [];
  const mtuIndex: number[] = [];
  // Cell identity (series, MTU): the point's position by series, then by MTU index (arrays, no hashing).
  const cellsBySeries: number[][] = [];
  const seriesIndex: number[] = [];
  const values: number[] = [];
  let lastKey: string | undefined;
  let lastSeriesAt = -1;
  let lastMtu: string | undefined;
  let lastMtuAt = -1;

  for (const point of points) {
    const value = point.value;
    if (value === null || value === undefined) continue;
    if (!Number.isFinite(value)) throw new Error(`point ${point.key} ${point.mtu}: value is not finite`);
    let mtuAt = lastMtuAt;
    if (point.mtu !== lastMtu) {
      const known = mtuAtByText.get(point.mtu);
      if (known !== undefined) mtuAt = known;
      else {
        const ms = Date.parse(point.mtu);
        if (Number.isNaN(ms)) throw new Error(`point ${point.key}: unreadable MTU "${point.mtu}"`);
        const sameInstant = mtuAtByMs.get(ms);
        if (sameInstant !== undefined) mtuAt = sameInstant;
        else {
          mtuAt = mtuList.length;
          mtuAtByMs.set(ms, mtuAt);
          mtuList.push(new Date(ms).toISOString());
          mtuMsList.push(ms);
        }
        mtuAtByText.set(point.mtu, mtuAt);
      }
      lastMtu = point.mtu;
      lastMtuAt = mtuAt;
    }
    let seriesAt = lastSeriesAt;
    if (point.key !== lastKey) {
      const known = seriesByKey.get(point.key);
      if (known !== undefined) seriesAt = known;
      else {
        seriesAt = series.length;
        seriesByKey.set(point.key, seriesAt);
        series.push({ key: point.key, fromZone: point.fromZone, toZone: point.toZone });
        cellsBySeries.push([]);
      }
      lastKey = point.key;
      lastSeriesAt = seriesAt;
    }
    const cells = cellsBySeries[seriesAt]!;
    const existing = cells[mtuAt];
    if (existing !== undefined) {
      values[existing] = value;
      continue;
    }
    cells[mtuAt] = values.length;
    seriesIndex.push(seriesAt);
    mtuIndex.push(mtuAt);
    values.push(value);
  }
  const protectedCells: { seriesKey: string; mtu: string }[] = [];
  let protectAll = false;
  for (const rejection of rejections) {
    const kept = storedValuesKeptBy(rejection);
    if (kept === 'day') protectAll = true;
    // A whole row refused ('mtu'): every key at that MTU keeps its current value.
    else if (kept !== 'none')
      protectedCells.push({
        seriesKey: kept === 'cell' ? rejection.key! : '*',
        mtu: new Date(rejection.mtu!).toISOString(),
      });
  }

  return {
    series,
    mtuList,
    seriesIndex,
    mtuIndex,
    values,
    protectedCells,
    protectAll,
    contentHash: hashContent(series, cellsBySeries, mtuMsList, values, protectedCells, protectAll),
    // A day has at most a hundred distinct MTUs: few enough to spread.
    minMtuMs: mtuMsList.length > 0 ? Math.min(...mtuMsList) : null,
    maxMtuMs: mtuMsList.length > 0 ? Math.max(...mtuMsList) : null,
  };
}

function hashContent(
  series: IncomingSeries[],
  cellsBySeries: number[][],
  mtuMsList: number[],
  values: number[],
  protectedCells: { seriesKey: string; mtu: string }[],
  protectAll: boolean,
): string {
  // Canonical order without a full sort: series sorted by key, each series' points by MTU.
  const mtuOrder = Array.from(mtuMsList.keys());
  mtuOrder.sort((a, b) => mtuMsList[a]! - mtuMsList[b]!);
  const mtuPrefix = mtuMsList.map((ms) => `${ms}\t`);
  const seriesOrder = Array.from(series.keys()).sort((a, b) =>
    series[a]!.key < series[b]!.key ? -1 : series[a]!.key > series[b]!.key ? 1 : 0,
  );
  const hash = createHash('sha256');
  for (const s of seriesOrder) {
    const cells = cellsBySeries[s]!;
    let chunk = `${series[s]!.key}\n`;
    for (const m of mtuOrder) {
      const i = cells[m];
      if (i !== undefined) chunk += `${mtuPrefix[m]}${values[i]}\n`;
    }
    hash.update(chunk);
  }
  const cells = protectedCells.map((cell) => `${cell.seriesKey}\t${cell.mtu}`).sort();
  hash.update(`#protected\n${cells.join('\n')}\n${protectAll ? 'all' : ''}`);
  return hash.digest('hex');
}
