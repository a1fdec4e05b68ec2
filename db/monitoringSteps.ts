// JAO's monitoring answers kept with their versions (db/migrations/026_monitoring_steps.sql, docs/monitoring.md):
// a reading that repeats the current version only moves its last_seen_at; one that differs closes it and adds the
// next. Idempotent: the same reading twice adds nothing. Readings of one region are serialised by a transaction
// lock, so two at once never both add a version.
import type pg from 'pg';
import type { Region } from '../domain/datasets';
import {
  type MonitoringModeSettings,
  type MonitoringStep,
  monitoringModeOf,
  type ReadingOutcome,
  type RegionMode,
} from '../domain/monitoring';
import { type DatedRow, iso, withTransaction } from './pool';

/** The outcome of one reading: `read` with its steps, or `failed`/`unreadable` with the one line saying why. */
export type MonitoringReading =
  | { outcome: 'read'; steps: readonly MonitoringStep[] }
  | { outcome: 'failed' | 'unreadable'; detail: string };

type CurrentRow = DatedRow<MonitoringStep, 'deadline' | 'lastModifiedOn'> & { version: number };

const CURRENT_COLUMNS = `business_day::text AS day, page, status, deadline, last_modified_on AS "lastModifiedOn",
  follow_up_action_initiated AS "followUpActionInitiated", version`;

function sameVersion(row: CurrentRow, step: MonitoringStep): boolean {
  return (
    row.status === step.status &&
    iso(row.deadline) === step.deadline &&
    iso(row.lastModifiedOn) === step.lastModifiedOn &&
    row.followUpActionInitiated === step.followUpActionInitiated
  );
}

/** Records a reading made at `readAt`; returns how many steps got a new version. */
export async function recordMonitoringReading(
  pool: pg.Pool,
  region: Region,
  readAt: Date,
  reading: MonitoringReading,
): Promise<number> {
  return withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('jao.monitoring ' || $1))`, [region]);
    let changed = 0;
    if (reading.outcome === 'read' && reading.steps.length > 0) {
      const days = [...new Set(reading.steps.map((step) => step.day))];
      const current = await client.query<CurrentRow>(
        `SELECT ${CURRENT_COLUMNS}
           FROM jao.monitoring_step
          WHERE region = $1 AND business_day = ANY ($2::date[]) AND valid_to IS NULL`,
        [region, days],
      );
      const byKey = new Map(current.rows.map((row) => [`${row.day} ${row.page}`, row]));
      for (const step of reading.steps) {
        const row = byKey.get(`${step.day} ${step.page}`);
        const same = row !== undefined && sameVersion(row, step);
        if (row) {
          await client.query(
            `UPDATE jao.monitoring_step SET ${same ? 'last_seen_at = GREATEST(last_seen_at, $5)' : 'valid_to = $5'}
              WHERE region = $1 AND business_day = $2 AND page = $3 AND version = $4`,
            [region, step.day, step.page, row.version, readAt],
          );
        }
        if (same) continue;
        await client.query(
          `INSERT INTO jao.monitoring_step (region, business_day, page, version, status, deadline, last_modified_on,
                                            follow_up_action_initiated, valid_from, last_seen_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
          [
            region,
            step.day,
            step.page,
            (row?.version ?? 0) + 1,
            step.status,
            step.deadline,
            step.lastModifiedOn,
            step.followUpActionInitiated,
            readAt,
          ],
        );
        changed += 1;
      }
    }
    await client.query(
      `INSERT INTO jao.monitoring_reading (region, read_at, outcome, detail, steps, changed)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (region, read_at) DO NOTHING`,
      [
        region,
        readAt,
        reading.outcome,
        reading.outcome === 'read' ? null : reading.detail,
        reading.outcome === 'read' ? reading.steps.length : 0,
        changed,
      ],
    );
    return changed;
  });
}

/** What JAO's monitoring said of a region's steps as of an instant (the current word when `at` is omitted). */
export async function monitoringStepsAsOf(
  pool: pg.Pool,
  region: Region,
  at: Date = new Date(),
): Promise<Array<MonitoringStep & { version: number; since: string }>> {
  const result = await pool.query<CurrentRow & { since: Date }>(
    `SELECT ${CURRENT_COLUMNS}, valid_from AS since
       FROM jao.monitoring_steps_as_of($2) WHERE region = $1
      ORDER BY business_day, page`,
    [region, at],
  );
  return result.rows.map((row) => ({
    ...row,
    deadline: iso(row.deadline),
    lastModifiedOn: iso(row.lastModifiedOn),
    since: row.since.toISOString(),
  }));
}

/** The region's latest readings, newest first: what the mode (monitoring or fixed polls) is decided from. */
export async function latestMonitoringReadings(
  pool: pg.Pool,
  region: Region,
  limit: number,
): Promise<ReadingOutcome[]> {
  const result = await pool.query<DatedRow<ReadingOutcome, 'readAt'>>(
    `SELECT read_at AS "readAt", outcome, detail FROM jao.monitoring_reading
      WHERE region = $1 ORDER BY read_at DESC LIMIT $2`,
    [region, limit],
  );
  return result.rows.map((row) => ({ ...row, readAt: row.readAt.toISOString() }));
}

/** A region's mode now (domain/monitoring.ts monitoringModeOf) from its latest readings. */
export async function readRegionMode(
  pool: pg.Pool,
  region: Region,
  now: Date,
  settings: Pick<MonitoringModeSettings, 'failuresBeforePolls' | 'staleAfterMs'>,
): Promise<RegionMode> {
  const latest = await latestMonitoringReadings(pool, region, Math.max(1, settings.failuresBeforePolls));
  return monitoringModeOf(region, latest, now, settings);
}
