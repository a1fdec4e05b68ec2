import type pg from 'pg';
import { type DayEvent, type DayEventType, dayEventPayload } from '../domain/apiAnswers';
import type { DayStatus } from '../domain/types';
import type { DatedRow } from './pool';

/** The channel of jao.day_event's notifications; the payload is the event as JSON. */
export const DAY_EVENT_CHANNEL = 'jao_day_event';

/**
 * An event's error is cut to this many characters: the whole event travels as a NOTIFY payload, which PostgreSQL
 * refuses above 8000 bytes (and with it the write). Even escaped as JSON, 1000 characters stay under 6000 bytes.
 */
export const EVENT_ERROR_LENGTH = 1_000;

/** The error as an event carries it: cut (by code points, with `…`) to EVENT_ERROR_LENGTH characters. */
export function eventErrorText(error: string): string {
  const characters = [...error];
  return characters.length <= EVENT_ERROR_LENGTH
    ? error
    : `${characters.slice(0, EVENT_ERROR_LENGTH - 1).join('')}…`;
}

/**
 * What a write tells the feed: new content is `day.stored` (the day's first) or `day.revised`; a re-check of a
 * stored day that kept its values and recorded what it met (`recheckError`: a failed fetch, an empty or invalid
 * answer, an answer worse than what is stored) is `day.recheck_failed`; the same values with moved extra row fields
 * (domain/republication.ts) are `day.republished`; a day left without usable content (failed, invalid) is
 * `day.failed`; a re-check that changed nothing and met nothing is no event.
 */
export function dayEventTypeOf(write: {
  contentChanged: boolean;
  revision: number;
  status: DayStatus;
  recheckError: string | null;
  republished?: boolean;
}): DayEventType | null {
  if (write.contentChanged) return write.revision <= 1 ? 'day.stored' : 'day.revised';
  if (write.republished === true) return 'day.republished';
  if (write.recheckError !== null) return 'day.recheck_failed';
  if (write.status === 'failed' || write.status === 'invalid') return 'day.failed';
  return null;
}

type DayEventRow = DatedRow<DayEvent, 'raisedAt'>;

const EVENT_COLUMNS =
  'event_id AS id, type, dataset, day::text AS day, status, revision, build_id AS build, ' +
  'raised_at AS "raisedAt", error';

const eventOf = (row: DayEventRow): DayEvent => ({
  ...row,
  id: Number(row.id),
  raisedAt: row.raisedAt.toISOString(),
});

/**
 * Records the event in the write's transaction and notifies with it: PostgreSQL delivers the notification at
 * commit, never for a rolled-back write. `error` is given for `day.recheck_failed` only (the table's check requires
 * it there and refuses it elsewhere).
 */
export async function raiseDayEvent(
  client: pg.PoolClient,
  input: Omit<DayEvent, 'id' | 'build' | 'raisedAt'> & { buildId: string | null; raisedAt: Date },
): Promise<DayEvent> {
  // One round trip: the row and its notification, whose payload is the event as the feed sends it (eventOf).
  const result = await client.query<DayEventRow>({
    name: 'jao.dayEvents.raiseAndNotify',
    text: `WITH raised AS (
             INSERT INTO jao.day_event (type, dataset, day, status, revision, build_id, raised_at, error)
             VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8)
             RETURNING ${EVENT_COLUMNS}
           )
           SELECT r.*
             FROM raised r, pg_notify($9, json_build_object(
                    'id', r.id, 'type', r.type, 'dataset', r.dataset, 'day', r.day, 'status', r.status,
                    'revision', r.revision, 'build', r.build,
                    'raisedAt', to_char(r."raisedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                    'error', r.error)::text) AS notified`,
    values: [
      input.type,
      input.dataset,
      input.day,
      input.status,
      input.revision,
      input.buildId,
      input.raisedAt,
      input.error === null ? null : eventErrorText(input.error),
      DAY_EVENT_CHANNEL,
    ],
  });
  return eventOf(result.rows[0]!);
}

/** Events after `afterId` (a client's Last-Event-ID), oldest first, at most `limit`. */
export async function readDayEventsAfter(
  pool: pg.Pool,
  afterId: number,
  datasets: readonly string[],
  limit: number,
): Promise<DayEvent[]> {
  const result = await pool.query<DayEventRow>({
    name: 'jao.dayEvents.after',
    text: `SELECT ${EVENT_COLUMNS} FROM jao.day_event
            WHERE event_id > $1 AND dataset = ANY ($2::text[])
            ORDER BY event_id LIMIT $3`,
    values: [afterId, datasets, limit],
  });
  return result.rows.map(eventOf);
}

/** The notification payload as an event; null for anything else on the channel. */
export function parseDayEventPayload(payload: string | undefined): DayEvent | null {
  if (!payload) return null;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = dayEventPayload.safeParse(value);
  return parsed.success ? parsed.data : null;
}
