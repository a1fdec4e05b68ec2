// The first step of a day's write under its lock: the day's window and stored record.
import type pg from 'pg';
import type { DayState, WriteDayInput } from './dayWriteTypes';
import type { LaneContent } from './lanes/lane';
import { namedStatement, runNamed } from './namedStatement';

const READ_DAY_STATE = namedStatement<
  { dataset: string; day: string; observedAt: Date | null; withContent: boolean },
  {
    tx_time: Date;
    window_from: Date;
    window_to: Date;
    revision_count: number | null;
    content_hash: string | null;
    last_changed_at: Date | null;
    status: DayState['status'];
    has_last_error: boolean | null;
    derivation_id: string | null;
  }
>(
  'jao.writeDay.readDayState',
  `SELECT date_trunc('milliseconds',
              COALESCE(:observedAt::timestamptz, GREATEST(clock_timestamp(), d.last_changed_at))) AS tx_time,
            (:day::date)::timestamp AT TIME ZONE 'Europe/Amsterdam' AS window_from,
            (:day::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam' AS window_to,
            d.revision_count, d.content_hash, d.last_changed_at, d.status, d.last_error IS NOT NULL AS has_last_error,
            CASE WHEN :withContent::boolean THEN nextval('jao.derivation_id_seq') END AS derivation_id
       FROM (SELECT 1) AS one
       LEFT JOIN jao.delivery_day d ON d.dataset = :dataset AND d.day = :day::date`,
);

/**
 * The day's window and row, read after the lock so a write that committed meanwhile is seen. The default
 * transaction time is the clock after the lock (not now(), the transaction start: a write that waited must
 * not look older than the one it waited for), and never before the day's last change. A write with content takes
 * its derivation id here (no round trip of its own; the derivation row is inserted only when values change).
 */
export async function readDayState(
  client: pg.PoolClient,
  input: WriteDayInput,
  withContent: boolean,
): Promise<DayState> {
  const result = await runNamed(client, READ_DAY_STATE, {
    dataset: input.dataset,
    day: input.day,
    observedAt: input.observedAt ?? null,
    withContent,
  });
  const row = result.rows[0]!;
  return {
    txTime: row.tx_time,
    windowFrom: row.window_from,
    windowTo: row.window_to,
    revisionCount: row.revision_count ?? 0,
    contentHash: row.content_hash,
    lastChangedAt: row.last_changed_at,
    status: row.status,
    hasLastError: row.has_last_error === true,
    derivationId: row.derivation_id === null ? null : Number(row.derivation_id),
  };
}

/** Points outside the day's window are a caller's error: nothing of them is written. */
export function checkWindow(
  input: WriteDayInput,
  content: Pick<LaneContent, 'minMtuMs' | 'maxMtuMs'>,
  state: DayState,
): void {
  const from = state.windowFrom.getTime();
  const to = state.windowTo.getTime();
  if (
    content.minMtuMs !== null &&
    content.maxMtuMs !== null &&
    (content.minMtuMs < from || content.maxMtuMs >= to)
  ) {
    throw new Error(
      `writeDay ${input.dataset} ${input.day}: points outside the day's window ` +
        `[${state.windowFrom.toISOString()}, ${state.windowTo.toISOString()})`,
    );
  }
}
