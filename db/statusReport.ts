// The status report of a range of days (`jao status`, `jao health`, the worker's health gauges) from the database.
import type pg from 'pg';
import { marketTomorrow } from '../domain/calendar';
import { type Dataset, declarationOf } from '../domain/datasets';
import { type JaoWord, jaoWordOf } from '../domain/monitoring';
import { buildStatusReport, type StatusReport, type StoredStep } from '../domain/statusReport';
import type { DeliveryDay } from '../domain/types';
import { readDayQuality } from './dayQuality';
import { readDayRecords } from './dayStatus';
import { readPublicationTimes } from './freshness';
import { type DatedRow, iso } from './pool';

export async function readStatusReport(
  pool: pg.Pool,
  range: { from: DeliveryDay; to: DeliveryDay },
  now: Date,
  /** When a day is due (domain/freshnessDeadline.ts; domain/datasetSource.ts freshnessDeadlineOf). */
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
  const steps = await readDeclaredSteps(pool, dataset, from, to);
  return buildStatusReport({ from, to, records: facts, now, deadline, publications, steps });
}

/**
 * The dataset's declared monitoring steps of [from, to] as JAO's monitoring last said them (jao.monitoring_steps);
 * undefined for a dataset that declares none.
 */
export async function readDeclaredSteps(
  pool: pg.Pool,
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
): Promise<StoredStep[] | undefined> {
  const { region, monitoring } = declarationOf(dataset);
  if (!monitoring) return undefined;
  const result = await pool.query<DatedRow<StoredStep, 'deadline' | 'lastModifiedOn' | 'seenAt'>>({
    name: 'jao.status.declared_steps',
    text: `SELECT business_day::text AS day, page, status, deadline, last_modified_on AS "lastModifiedOn",
                  last_seen_at AS "seenAt"
             FROM jao.monitoring_steps
            WHERE region = $1 AND page = ANY ($2::text[]) AND business_day BETWEEN $3::date AND $4::date
            ORDER BY business_day, page`,
    values: [region, monitoring.steps, from, to],
  });
  return result.rows.map((row) => ({
    ...row,
    deadline: iso(row.deadline),
    lastModifiedOn: iso(row.lastModifiedOn),
    seenAt: row.seenAt.toISOString(),
  }));
}

/**
 * JAO's word on each day of [from, to] that JAO's monitoring listed a declared step of (the page's calendar marks);
 * empty for a dataset that declares no step.
 */
export async function readJaoWords(
  pool: pg.Pool,
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
  now: Date,
): Promise<Array<{ day: DeliveryDay; word: JaoWord }>> {
  const steps = await readDeclaredSteps(pool, dataset, from, to);
  if (!steps || steps.length === 0) return [];
  const complete = new Set(
    (await readDayRecords(pool, dataset, from, to))
      .filter((record) => record.status === 'complete')
      .map((record) => record.day),
  );
  const days = [...new Set(steps.map((step) => step.day))].sort();
  return days.map((day) => ({
    day,
    word: jaoWordOf(
      steps.filter((step) => step.day === day),
      complete.has(day),
      now,
    ),
  }));
}
