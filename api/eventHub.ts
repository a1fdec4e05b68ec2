import pg from 'pg';
import { API_KEY_CHANNEL, parseApiKeyPayload } from '../db/apiKeys';
import { DAY_EVENT_CHANNEL, parseDayEventPayload, readDayEventsAfter } from '../db/dayEvents';
import { watchClient } from '../db/pool';
import type { DayEvent } from '../domain/apiAnswers';
import { DATASETS } from '../domain/types';

export type EventListener = (event: DayEvent) => void;
/** A key changed (its id), or null: any key may have changed (a notification could have been missed). */
export type KeyChangeListener = (keyId: number | null) => void;

const RECONNECT_MS = 1_000;
const REPLAY_PAGE = 1_000;

/** Runs `reconnect` later (never at once) and returns how to cancel it; by default after RECONNECT_MS. */
export type ReconnectLater = (reconnect: () => void) => () => void;

const afterReconnectDelay: ReconnectLater = (reconnect) => {
  const timer = setTimeout(reconnect, RECONNECT_MS);
  return () => clearTimeout(timer);
};

/**
 * One LISTEN connection for the whole API, fanned out to every subscriber. After a lost connection it
 * reconnects and replays from jao.day_event what was raised meanwhile, so no subscriber misses an event.
 * The same connection hears revoked keys (API_KEY_CHANNEL) for the streams those keys hold open.
 */
export class DayEventHub {
  private readonly listeners = new Set<EventListener>();
  private readonly keyListeners = new Set<KeyChangeListener>();
  private client: pg.Client | null = null;
  private stopped = false;
  private lastId = 0;
  private cancelReconnect: (() => void) | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly pool: pg.Pool,
    private readonly report: (line: string) => void,
    private readonly reconnectLater: ReconnectLater = afterReconnectDelay,
  ) {}

  async start(): Promise<void> {
    const latest = await this.pool.query<{ id: string | null }>(
      'SELECT max(event_id)::text AS id FROM jao.day_event',
    );
    this.lastId = Number(latest.rows[0]?.id ?? 0);
    await this.connect();
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onKeyChange(listener: KeyChangeListener): () => void {
    this.keyListeners.add(listener);
    return () => this.keyListeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelReconnect?.();
    this.listeners.clear();
    this.keyListeners.clear();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = watchClient(
      new pg.Client({ connectionString: this.databaseUrl, application_name: 'jao-api-events' }),
    );
    client.on('notification', (message) => {
      if (message.channel === API_KEY_CHANNEL) {
        this.keyChanged(parseApiKeyPayload(message.payload));
        return;
      }
      if (message.channel !== DAY_EVENT_CHANNEL) return;
      const event = parseDayEventPayload(message.payload);
      if (event) this.deliver(event);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${DAY_EVENT_CHANNEL}`);
    await client.query(`LISTEN ${API_KEY_CHANNEL}`);
    this.client = client;
  }

  private keyChanged(keyId: number | null): void {
    for (const listener of this.keyListeners) listener(keyId);
  }

  private deliver(event: DayEvent): void {
    if (event.id > this.lastId) this.lastId = event.id;
    for (const listener of this.listeners) listener(event);
  }

  private lost(client: pg.Client): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    this.report('live feed: LISTEN connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.cancelReconnect) return;
    this.cancelReconnect = this.reconnectLater(() => {
      this.cancelReconnect = null;
      this.reconnect().catch((error: unknown) => {
        this.report(
          `live feed: reconnect failed (${error instanceof Error ? error.message : String(error)})`,
        );
        this.scheduleReconnect();
      });
    });
  }

  /** LISTEN first, then replay what was raised while away: an event raised in between comes twice at worst. */
  private async reconnect(): Promise<void> {
    await this.connect();
    this.keyChanged(null);
    for (;;) {
      const missed = await readDayEventsAfter(this.pool, this.lastId, DATASETS, REPLAY_PAGE);
      for (const event of missed) this.deliver(event);
      if (missed.length < REPLAY_PAGE) return;
    }
  }
}
