import { createHash } from 'node:crypto';
import type { Point, Rejection } from '../domain/types';

/** One series as it appears in a day's payload. */
export interface IncomingSeries {
  key: string;
  fromZone: string;
  toZone: string;
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
  /** Cells refused by validation (key + MTU known): their current values are kept, not treated as vanished. */
  protectedCells: { seriesKey: string; mtu: string }[];
  /** A refused row whose MTU could not be read: nothing of the day is treated as vanished. */
  protectAll: boolean;
  /** sha256 over the sorted normalized points and protected cells: equal for re-fetches of equal content. */
  contentHash: string;
  /** Epoch ms of the earliest and latest MTU, or null when there is no point. */
  minMtuMs: number | null;
  maxMtuMs: number | null;
}

function parseMtu(mtu: string, what: string): number {
  const ms = Date.parse(mtu);
  if (Number.isNaN(ms)) throw new Error(`${what}: unreadable MTU "${mtu}"`);
  return ms;
}

export function normalizeDayContent(points: readonly Point[], rejections: readonly Rejection[]): DayContent {
  const seriesByKey = new Map<string, number>();
  const series: IncomingSeries[] = [];
  // A day has few distinct MTU strings: parse each once.
  const msByMtu = new Map<string, number>();
  const mtuIndexByMs = new Map<number, number>();
  const mtuList: string[] = [];
  const mtuIndex: number[] = [];
  // Cell identity as a number: series index * 1e13 + epoch ms (exact below 2^53 for < 900 series).
  const cellIndex = new Map<number, number>();
  const seriesIndex: number[] = [];
  const mtuMs: number[] = [];
  const values: number[] = [];
  let minMtuMs: number | null = null;
  let maxMtuMs: number | null = null;

  for (const point of points) {
    if (point.value === null || point.value === undefined) continue;
    if (!Number.isFinite(point.value))
      throw new Error(`point ${point.key} ${point.mtu}: value is not finite`);
    let ms = msByMtu.get(point.mtu);
    if (ms === undefined) {
      ms = parseMtu(point.mtu, `point ${point.key}`);
      msByMtu.set(point.mtu, ms);
    }
    let mtuAt = mtuIndexByMs.get(ms);
    if (mtuAt === undefined) {
      mtuAt = mtuList.length;
      mtuIndexByMs.set(ms, mtuAt);
      mtuList.push(new Date(ms).toISOString());
    }
    let seriesAt = seriesByKey.get(point.key);
    if (seriesAt === undefined) {
      seriesAt = series.length;
      seriesByKey.set(point.key, seriesAt);
      series.push({ key: point.key, fromZone: point.fromZone, toZone: point.toZone });
    }
    const cell = seriesAt * 1e13 + ms;
    const existing = cellIndex.get(cell);
    if (existing !== undefined) {
      values[existing] = point.value;
      continue;
    }
    cellIndex.set(cell, values.length);
    seriesIndex.push(seriesAt);
    mtuIndex.push(mtuAt);
    mtuMs.push(ms);
    values.push(point.value);
    if (minMtuMs === null || ms < minMtuMs) minMtuMs = ms;
    if (maxMtuMs === null || ms > maxMtuMs) maxMtuMs = ms;
  }
  if (series.length >= 900) throw new Error('normalizeDayContent: more than 900 series in one day');

  const protectedCells: { seriesKey: string; mtu: string }[] = [];
  let protectAll = false;
  for (const rejection of rejections) {
    const ms = rejection.mtu === null ? Number.NaN : Date.parse(rejection.mtu);
    if (Number.isNaN(ms)) {
      // A refused row or value whose MTU is unknown could hide any cell of the day.
      protectAll = true;
    } else if (rejection.key !== null) {
      protectedCells.push({ seriesKey: rejection.key, mtu: new Date(ms).toISOString() });
    } else {
      // A whole row refused: every key at that MTU keeps its current value.
      protectedCells.push({ seriesKey: '*', mtu: new Date(ms).toISOString() });
    }
  }

  return {
    series,
    mtuList,
    seriesIndex,
    mtuIndex,
    values,
    protectedCells,
    protectAll,
    contentHash: hashContent(series, seriesIndex, mtuMs, values, protectedCells, protectAll),
    minMtuMs,
    maxMtuMs,
  };
}

function hashContent(
  series: IncomingSeries[],
  seriesIndex: number[],
  mtuMs: number[],
  values: number[],
  protectedCells: { seriesKey: string; mtu: string }[],
  protectAll: boolean,
): string {
  // Canonical order without a full sort: points grouped by series (series sorted by key), each group by MTU.
  const groups: number[][] = series.map(() => []);
  for (let i = 0; i < seriesIndex.length; i += 1) groups[seriesIndex[i]!]!.push(i);
  const seriesOrder = Array.from(series.keys()).sort((a, b) =>
    series[a]!.key < series[b]!.key ? -1 : series[a]!.key > series[b]!.key ? 1 : 0,
  );
  const hash = createHash('sha256');
  for (const s of seriesOrder) {
    const group = groups[s]!;
    let sorted = true;
    for (let j = 1; j < group.length; j += 1) {
      if (mtuMs[group[j]!]! < mtuMs[group[j - 1]!]!) {
        sorted = false;
        break;
      }
    }
    if (!sorted) group.sort((a, b) => mtuMs[a]! - mtuMs[b]!);
    let chunk = `${series[s]!.key}\n`;
    for (const i of group) chunk += `${mtuMs[i]}\t${values[i]}\n`;
    hash.update(chunk);
  }
  const cells = protectedCells.map((cell) => `${cell.seriesKey}\t${cell.mtu}`).sort();
  hash.update(`#protected\n${cells.join('\n')}\n${protectAll ? 'all' : ''}`);
  return hash.digest('hex');
}
