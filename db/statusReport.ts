// The status report of a range of days (`jao status`, `jao health`, the worker's health gauges) from the database.
import type pg from 'pg';
import { marketTomorrow } from '../domain/calendar';
import type { Dataset } from '../domain/datasets';
import { buildStatusReport, type StatusReport } from '../domain/statusReport';
import type { DeliveryDay } from '../domain/types';
import { readDayQuality } from './dayQuality';
import { readDayRecords } from './dayStatus';
import { readPublicationTimes } from './freshness';

export async function readStatusReport(
  pool: pg.Pool,
  range: { from: DeliveryDay; to: DeliveryDay },
  now: Date,
  /** When a day is due: HH:MM Europe/Amsterdam on the day before delivery (domain/datasetSource.ts freshnessDeadlineOf). */
  deadline: string,
  dataset: Dataset,
): Promise<StatusReport> {
  const { from, to } = range;
  const records = await readDayRecords(pool, dataset, from, to);
  // The tomorrow line tells whether tomorrow is in, whatever range was asked for.
  const tomorrow = marketTomorrow(now);
  if (tomorrow < from || tomorrow > to)
    records.push(...(await readDayRecords(pool, dataset, tomorrow, tomorrow)));
  const quality = new Map((await readDayQuality(pool, dataset, from, to)).map((q) => [q.day, q] as const));
  const facts = records.map((record) => ({
    ...record,
    reason: quality.get(record.day)?.reason ?? null,
    drift: quality.get(record.day)?.drift ?? null,
  }));
  const publications = await readPublicationTimes(pool, dataset, from, to);
  return buildStatusReport({ from, to, records: facts, now, deadline, publications });
}
