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

/** The recorded days of a dataset in [from, to] (inclusive), in day order; days never run are absent. */
export async function readDayRecords(
  pool: pg.Pool,
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
): Promise<DayRecord[]> {
  const result = await pool.query<DayRecord>(
    `SELECT dataset, day::text AS day, status, expected_mtus AS "expectedMtus",
            received_mtus AS "receivedMtus", revision_count AS "revisionCount",
            republished_count AS "republishedCount", first_complete_at AS "firstCompleteAt",
            last_changed_at AS "lastChangedAt", last_checked_at AS "lastCheckedAt", attempts,
            last_error AS "lastError", last_workflow_id AS "lastWorkflowId", points,
            content_hash AS "contentHash", last_raw_response_id::int AS "lastRawResponseId",
            last_build_id AS "lastBuildId", content_build_id AS "contentBuildId"
       FROM jao.delivery_day
      WHERE dataset = $1 AND day BETWEEN $2::date AND $3::date
      ORDER BY day`,
    [dataset, from, to],
  );
  return result.rows;
}

/** The latest delivery day of a dataset whose status is complete (an index range read), or null. */
export async function readLatestCompleteDay(pool: pg.Pool, dataset: Dataset): Promise<DeliveryDay | null> {
  const result = await pool.query<{ day: string | null }>(
    `SELECT max(day)::text AS day FROM jao.delivery_day WHERE dataset = $1 AND status = 'complete'`,
    [dataset],
  );
  return result.rows[0]?.day ?? null;
}
