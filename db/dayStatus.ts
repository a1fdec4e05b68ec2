import type pg from 'pg';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';

export interface DayRecord {
  dataset: Dataset;
  day: DeliveryDay;
  status: DayStatus;
  expectedMtus: number;
  receivedMtus: number;
  revisionCount: number;
  /** Answers that moved an extra row field (lastModifiedOn) without changing a value (migration 009). */
  republishedCount: number;
  firstCompleteAt: Date | null;
  lastChangedAt: Date | null;
  lastCheckedAt: Date | null;
  attempts: number;
  lastError: string | null;
  lastWorkflowId: string | null;
  /** Values of the stored content. */
  points: number;
  contentHash: string | null;
  lastRawResponseId: number | null;
  /** Build of the worker that ran the day last, and of the one that wrote its stored content. */
  lastBuildId: string | null;
  contentBuildId: string | null;
}

interface DayRow {
  dataset: Dataset;
  day: string;
  status: DayStatus;
  expected_mtus: number;
  received_mtus: number;
  revision_count: number;
  republished_count: number;
  first_complete_at: Date | null;
  last_changed_at: Date | null;
  last_checked_at: Date | null;
  attempts: number;
  last_error: string | null;
  last_workflow_id: string | null;
  points: number;
  content_hash: string | null;
  last_raw_response_id: number | null;
  last_build_id: string | null;
  content_build_id: string | null;
}

/** The recorded days of a dataset in [from, to] (inclusive), in day order; days never run are absent. */
export async function readDayRecords(
  pool: pg.Pool,
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
): Promise<DayRecord[]> {
  const result = await pool.query<DayRow>(
    `SELECT dataset, day::text AS day, status, expected_mtus, received_mtus, revision_count, republished_count,
            first_complete_at,
            last_changed_at, last_checked_at, attempts, last_error, last_workflow_id, points, content_hash,
            last_raw_response_id::int AS last_raw_response_id, last_build_id, content_build_id
       FROM jao.delivery_day
      WHERE dataset = $1 AND day BETWEEN $2::date AND $3::date
      ORDER BY day`,
    [dataset, from, to],
  );
  return result.rows.map((row) => ({
    dataset: row.dataset,
    day: row.day,
    status: row.status,
    expectedMtus: row.expected_mtus,
    receivedMtus: row.received_mtus,
    revisionCount: row.revision_count,
    republishedCount: row.republished_count,
    firstCompleteAt: row.first_complete_at,
    lastChangedAt: row.last_changed_at,
    lastCheckedAt: row.last_checked_at,
    attempts: row.attempts,
    lastError: row.last_error,
    lastWorkflowId: row.last_workflow_id,
    points: row.points,
    contentHash: row.content_hash,
    lastRawResponseId: row.last_raw_response_id,
    lastBuildId: row.last_build_id,
    contentBuildId: row.content_build_id,
  }));
}

/** The latest delivery day of a dataset whose status is complete (an index range read), or null. */
export async function readLatestCompleteDay(pool: pg.Pool, dataset: Dataset): Promise<DeliveryDay | null> {
  const result = await pool.query<{ day: string | null }>(
    `SELECT max(day)::text AS day FROM jao.delivery_day WHERE dataset = $1 AND status = 'complete'`,
    [dataset],
  );
  return result.rows[0]?.day ?? null;
}
