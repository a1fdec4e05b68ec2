import type pg from 'pg';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';

/** The channel of jao.day_event's notifications (migration 015); the payload is the event as JSON. */
export const DAY_EVENT_CHANNEL = 'jao_day_event';

export const DAY_EVENT_TYPES = ['day.stored', 'day.revised', 'day.failed'] as const;
export type DayEventType = (typeof DAY_EVENT_TYPES)[number];

/** A row of jao.day_event, as the live feed sends it. */
export interface DayEvent {
  id: number;
  type: DayEventType;
  dataset: Dataset;
  day: DeliveryDay;
  status: DayStatus;
  revision: number;
  build: string | null;
  raisedAt: string;
}

/**
 * What a write tells the feed: new content is `day.stored` (the day's first) or `day.revised`; a day left
 * without usable content (failed, invalid) is `day.failed`; a re-check that changed nothing is no event.
 */
export function dayEventTypeOf(write: {
  contentChanged: boolean;
  revision: number;
  status: DayStatus;
}): DayEventType | null {
  if (write.contentChanged) return write.revision <= 1 ? 'day.stored' : 'day.revised';
  if (write.status === 'failed' || write.status === 'invalid') return 'day.failed';
  return null;
}

interface DayEventRow {
  event_id: number;
  type: DayEventType;
  dataset: Dataset;
  day: DeliveryDay;
  status: DayStatus;
  revision: number;
  build_id: string | null;
  raised_at: Date;
}

const EVENT_COLUMNS = 'event_id, type, dataset, day::text AS day, status, revision, build_id, raised_at';

function eventOf(row: DayEventRow): DayEvent {
  return {
    id: Number(row.event_id),
    type: row.type,
    dataset: row.dataset,
    day: row.day,
    status: row.status,
    revision: row.revision,
    build: row.build_id,
    raisedAt: row.raised_at.toISOString(),
  };
}

/**
 * Records the event in the write's transaction and notifies with it: PostgreSQL delivers the notification at
 * commit, never for a rolled-back write.
 */
export async function raiseDayEvent(
  client: pg.PoolClient,
  input: {
    type: DayEventType;
    dataset: Dataset;
    day: DeliveryDay;
    status: DayStatus;
    revision: number;
    buildId: string | null;
    raisedAt: Date;
  },
): Promise<DayEvent> {
  const result = await client.query<DayEventRow>({
    name: 'jao.dayEvents.raise',
    text: `INSERT INTO jao.day_event (type, dataset, day, status, revision, build_id, raised_at)
           VALUES ($1, $2, $3::date, $4, $5, $6, $7)
           RETURNING ${EVENT_COLUMNS}`,
    values: [
      input.type,
      input.dataset,
      input.day,
      input.status,
      input.revision,
      input.buildId,
      input.raisedAt,
    ],
  });
  const event = eventOf(result.rows[0]!);
  await client.query({
    name: 'jao.dayEvents.notify',
    text: 'SELECT pg_notify($1, $2)',
    values: [DAY_EVENT_CHANNEL, JSON.stringify(event)],
  });
  return event;
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
  try {
    const value = JSON.parse(payload) as Partial<DayEvent>;
    if (typeof value.id !== 'number' || !DAY_EVENT_TYPES.includes(value.type as DayEventType)) return null;
    return value as DayEvent;
  } catch {
    return null;
  }
}
