import type pg from 'pg';
import type { DayFacts } from '../domain/statusReport';
import type { Dataset, DeliveryDay } from '../domain/types';

/** A day's record in jao.delivery_day: the facts a status report reads of it (domain/statusReport.ts), and the rest. */
export interface DayRecord extends Required<Omit<DayFacts, 'reason' | 'drift'>> {
  dataset: Dataset;
  firstCompleteAt: Date | null;
  lastChangedAt: Date | null;
  attempts: number;
  lastWorkflowId: string | null;
  /** Values of the stored content. */
  points: number;
  contentHash: string | null;
  lastRawResponseId: number | null;
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
