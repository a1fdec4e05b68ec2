// The live feed: events raised by the real pipeline (backfill, rerun of a revised day, a failed re-check of a stored
// day) and by a failed day, heard only once committed, with heartbeats, and resumed by Last-Event-ID across an API
// restart; and its one LISTEN connection (api/eventHub.ts), lost and taken up again with what it missed meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DayEventHub } from '../../api/eventHub';
import { writeDay } from '../../db/writeDay';
import type { DayEvent } from '../../domain/apiAnswers';
import type { backfillWorkflow } from '../../workflows';
import {
  createTestKey,
  getWith,
  type SseReader as Reader,
  SseReader,
  startTestApi,
  type TestApi,
} from '../helpers/api';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { untilRead, untilTrue } from '../helpers/until';
import { failedDayWrite } from './storageFixtures';

let h: PipelineHarness;
let api: TestApi;
let key: string;
const streams: AbortController[] = [];

beforeAll(async () => {
  const namespace = await createTestNamespace('api-events');
  h = await createPipelineHarness('api-events', {}, { namespace });
  await h.startWorkers();
  key = await createTestKey(h.db.pool);
  api = await startTestApi(h.db.url, {}, 300);
});

afterAll(async () => {
  for (const stream of streams) stream.abort();
  await api?.close();
  await h?.close();
});

async function subscribe(url: string, lastEventId?: string): Promise<Reader> {
  const controller = new AbortController();
  streams.push(controller);
  const response = await fetch(`${url}/v1/events`, {
    headers: { authorization: `Bearer ${key}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  return new SseReader(response);
}

interface EventData {
  id: number;
  type: string;
  dataset: string;
  day: string;
  status: string;
  revision: number;
  build: string | null;
  error: string | null;
}
const data = (reader: Reader) => reader.events.map((event) => JSON.parse(event.data) as EventData);

async function writeFailedDay(day: string) {
  await writeDay(h.db.pool, failedDayWrite(day));
}

describe('live feed', () => {
  let first: Reader;

  it('tells each stored day of a backfill, once committed', async () => {
    first = await subscribe(api.url);
    const result = await h.temporal.client.workflow.execute<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId: `backfill-${h.taskQueue}`,
      taskQueue: h.taskQueue,
      args: [{ from: '2024-03-01', to: '2024-03-03', mode: 'all' }],
    });
    expect(result).toMatchObject({ total: 3, byStatus: { complete: 3 } });
    await first.until(() => first.events.length >= 3);
    const events = data(first);
    expect(events.map((event) => [event.type, event.day, event.status, event.revision]).sort()).toEqual([
      ['day.stored', '2024-03-01', 'complete', 1],
      ['day.stored', '2024-03-02', 'complete', 1],
      ['day.stored', '2024-03-03', 'complete', 1],
    ]);
    for (const event of events) {
      expect(event.dataset).toBe('maxExchanges');
      expect(event.build).toMatch(/.+/);
      expect(first.events.find((e) => e.id === String(event.id))?.event).toBe(event.type);
    }
    // What an event announces is readable the moment it arrives.
    const values = await getWith(
      key,
      `${api.url}/v1/datasets/maxExchanges/values?from=2024-03-02&to=2024-03-02`,
    );
    expect(((await values.json()) as unknown[]).length).toBeGreaterThan(0);
  });

  it('tells a revised day after a rerun, and a failed day', async () => {
    h.simulator.reviseDay('2024-03-02');
    const rerun = await h.runDay('2024-03-02');
    expect(rerun).toMatchObject({ status: 'complete', revision: 2 });
    await writeFailedDay('2024-03-10');
    await first.until(() => first.events.length >= 5);
    expect(
      data(first)
        .slice(3)
        .map((event) => [event.type, event.day, event.status, event.revision]),
    ).toEqual([
      ['day.revised', '2024-03-02', 'complete', 2],
      ['day.failed', '2024-03-10', 'failed', 0],
    ]);
    const stored = await h.db.pool.query('SELECT count(*)::int AS n FROM jao.day_event');
    expect(stored.rows[0].n).toBe(5);
  });

  it('sends heartbeats while nothing happens', async () => {
    const before = first.comments;
    await first.until(() => first.comments >= before + 2, 5_000);
  });

  it('resumes by Last-Event-ID after the API restarts, with what was raised while it was down', async () => {
    const earlier = data(first).sort((a, b) => a.id - b.id);
    const resumeAfter = earlier[1]!.id;
    await api.close();
    await writeFailedDay('2024-03-11');
    api = await startTestApi(h.db.url, {}, 300);
    const resumed = await subscribe(api.url, String(resumeAfter));
    await resumed.until(() => resumed.events.length >= 4);
    // Live events follow the replay without a gap or a repeat.
    await writeFailedDay('2024-03-12');
    await resumed.until(() => resumed.events.length >= 5);
    const days = data(resumed).map((event) => [event.id, event.day]);
    expect(days.slice(0, 3)).toEqual(earlier.slice(2).map((event) => [event.id, event.day]));
    expect(days.slice(3).map(([, day]) => day)).toEqual(['2024-03-11', '2024-03-12']);
    const ids = days.map(([id]) => id as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const badId = await getWith(key, `${api.url}/v1/events`, { 'last-event-id': "1' OR 1=1" });
    expect(badId.status).toBe(400);
  });

  it('tells a failed re-check of a stored day with its error; the day keeps its values and status', async () => {
    const stream = await subscribe(api.url);
    h.simulator.setFaults({ rejectedDays: ['2024-03-03'] });
    try {
      const run = await h.startDay('2024-03-03');
      await expect(run.result()).rejects.toThrow();
    } finally {
      h.simulator.setFaults({ rejectedDays: [] });
    }
    await stream.until(() => stream.events.length >= 1);
    const [event] = data(stream);
    expect(stream.events[0]!.event).toBe('day.recheck_failed');
    expect(event).toMatchObject({
      type: 'day.recheck_failed',
      dataset: 'maxExchanges',
      day: '2024-03-03',
      status: 'complete',
      revision: 1,
      error: expect.stringMatching(/^JAO rejected the request for 2024-03-03/),
    });
    expect(event!.build).toMatch(/.+/);
    const day = await h.db.pool.query(
      `SELECT status, revision_count, last_error FROM jao.delivery_day WHERE day = '2024-03-03'`,
    );
    expect(day.rows).toEqual([{ status: 'complete', revision_count: 1, last_error: event!.error }]);
    // Replayed by Last-Event-ID with the same error.
    const replayed = await subscribe(api.url, String(event!.id - 1));
    await replayed.until(() => replayed.events.length >= 1);
    expect(data(replayed)[0]).toEqual(event);
  });
});

describe("the live feed's LISTEN connection", () => {
  /** The backends of the hubs' LISTEN connections on the test database. */
  const listenPids = async () =>
    (
      await h.db.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'jao-api-events' AND datname = current_database()`,
      )
    ).rows.map((row) => row.pid);

  it('lost, is taken up again and replays what was raised meanwhile, in order, then hears live events', async () => {
    const others = await listenPids();
    const reconnects: Array<() => void> = [];
    const reports: string[] = [];
    // The hub's reconnection waits until the test lets it: the events below are raised while it is away.
    const hub = new DayEventHub(
      h.db.url,
      h.db.pool,
      (line) => reports.push(line),
      (reconnect) => {
        reconnects.push(reconnect);
        return () => {};
      },
    );
    const heard: DayEvent[] = [];
    const keyChanges: Array<number | null> = [];
    hub.subscribe((event) => heard.push(event));
    hub.onKeyChange((keyId) => keyChanges.push(keyId));
    const days = () => heard.map((event) => event.day);
    try {
      await hub.start();
      const [pid, ...more] = (await listenPids()).filter((p) => !others.includes(p));
      expect(more).toEqual([]);

      await writeFailedDay('2024-03-20');
      await untilRead('the live event', days, (d) => d.length === 1);

      const ended = await h.db.pool.query('SELECT pg_terminate_backend($1) AS ended', [pid]);
      expect(ended.rows).toEqual([{ ended: true }]);
      await untilTrue('the lost connection noticed', () => reconnects.length === 1);
      expect(reports).toEqual(['live feed: LISTEN connection lost; reconnecting']);

      // Raised while no connection listens: no notification reaches the hub.
      await writeFailedDay('2024-03-21');
      await writeFailedDay('2024-03-22');
      expect(days()).toEqual(['2024-03-20']);

      reconnects[0]!();
      await untilRead('the missed events replayed', days, (d) => d.length >= 3);
      // Any key may have changed meanwhile: the streams re-check theirs.
      expect(keyChanges).toEqual([null]);

      await writeFailedDay('2024-03-23');
      await untilRead('the live event after the reconnection', days, (d) => d.length >= 4);
      expect(days()).toEqual(['2024-03-20', '2024-03-21', '2024-03-22', '2024-03-23']);
      const ids = heard.map((event) => event.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(heard.map((event) => [event.type, event.status])).toEqual(
        Array.from({ length: 4 }, () => ['day.failed', 'failed']),
      );
      expect(reconnects).toHaveLength(1);
      expect(reports).toHaveLength(1);
    } finally {
      await hub.stop();
    }
  });
});
