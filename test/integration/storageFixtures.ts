// Builders for the storage tests: validated days with chosen keys and values.
import type { DayWrite } from '../../db/writeDay';
import { dayWindow } from '../../domain/calendar';
import type { DeliveryDay, KeyedValuesDay, Point, Rejection } from '../../domain/types';

export const HOUR_MS = 3_600_000;

/** The ISO starts of a day's MTUs of `minutes` (hourly: 23, 24 or 25 of them; quarter-hourly: 92, 96 or 100). */
export function mtusOf(day: DeliveryDay, minutes: 15 | 60): string[] {
  const window = dayWindow(day);
  const mtus: string[] = [];
  for (let ms = Date.parse(window.from); ms < Date.parse(window.to); ms += (HOUR_MS * minutes) / 60) {
    mtus.push(new Date(ms).toISOString());
  }
  return mtus;
}

/** The ISO starts of a day's hourly MTUs (23, 24 or 25 of them). */
export const hourlyMtus = (day: DeliveryDay): string[] => mtusOf(day, 60);

export function keyOf(border: string): string {
  return `border_${border}`;
}

/**
 * A validated day, hourly unless `minutes` says 15. `value(border, mtuIndex)` gives each value; `undefined` leaves
 * the point out, `null` sends it as null.
 */
export function validatedDay(
  day: DeliveryDay,
  borders: readonly string[],
  value: (border: string, hour: number) => number | null | undefined,
  rejections: Rejection[] = [],
  minutes: 15 | 60 = 60,
): KeyedValuesDay {
  const mtus = mtusOf(day, minutes);
  const points: Point[] = [];
  const present = new Set<string>();
  let nullValues = 0;
  let absentValues = 0;
  mtus.forEach((mtu, hour) => {
    for (const border of borders) {
      const v = value(border, hour);
      if (v === null) nullValues++;
      if (v === undefined) {
        absentValues++;
        continue;
      }
      const [fromZone, toZone] = border.split('_') as [string, string];
      points.push({ key: keyOf(border), fromZone, toZone, mtu, value: v });
      present.add(mtu);
    }
  });
  return {
    lane: 'keyedValues',
    resolutionMinutes: minutes,
    expectedMtus: mtus.length,
    rows: present.size,
    receivedMtus: present.size,
    missingMtus: mtus.filter((mtu) => !present.has(mtu)),
    points,
    rejections,
    keys: borders.map(keyOf).sort(),
    refusedKeys: 0,
    nullValues,
    duplicateRows: 0,
    conflictingRows: 0,
    absentValues: absentValues - (mtus.length - present.size) * borders.length,
    unknownFields: [],
  };
}

/** A deterministic value per border and hour. */
export function baseValue(border: string, hour: number): number {
  let hash = 0;
  for (const char of border) hash = (hash * 31 + char.charCodeAt(0)) % 10_000;
  return 1000 + hash + hour * 10;
}

/** A fetch's write of `validated` observed at `observedAt`: complete when every MTU came, else partial. */
export function fetchWrite(day: DeliveryDay, validated: KeyedValuesDay, observedAt: Date): DayWrite {
  return {
    dataset: 'maxExchanges',
    day,
    status: validated.receivedMtus === validated.expectedMtus ? 'complete' : 'partial',
    validated,
    expectedMtus: validated.expectedMtus,
    rawResponseId: null,
    workflowId: `maxExchanges/day/${day}`,
    observedAt,
  };
}

/** A day whose run failed with nothing stored for it: what raises `day.failed` on the live feed. */
export function failedDayWrite(day: DeliveryDay, error = 'JAO unavailable'): DayWrite {
  return {
    dataset: 'maxExchanges',
    day,
    status: 'failed',
    validated: null,
    expectedMtus: 24,
    rawResponseId: null,
    workflowId: 'wf',
    buildId: 'test-build',
    error,
  };
}
