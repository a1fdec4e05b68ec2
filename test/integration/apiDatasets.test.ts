// The API serves every declared dataset at /v1/datasets/{dataset}/…: a Nordic day fetched from the simulator (96
// quarter-hours, then revised) and a Core day of the same date, each route answering exactly its dataset's rows of
// the SQL views; GET /v1/datasets lists what the key reads; 404 for an undeclared dataset, 403 outside the key's
// scope; the live feed replays only the key's datasets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, type Dataset, declarationOf } from '../../domain/datasets';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { createTestKey, SseReader, startTestApi, type TestApi } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { storeSimulatedDay } from '../helpers/simulatedDays';

const NORDIC = 'nordicMaxExchanges';
const DAY = '2026-01-14';
const FIRST_WRITE = new Date('2026-01-13T09:00:00.000Z');
const REVISION = new Date('2026-01-13T15:00:00.000Z');

let db: TestDatabase;
let simulator: SimulatorHandle;
let api: TestApi;
const keys: Record<'core' | 'nordic' | 'every', string> = { core: '', nordic: '', every: '' };

const storeFromSimulator = (dataset: Dataset, at: Date) =>
  storeSimulatedDay(db.pool, simulator, dataset, DAY, at);

beforeAll(async () => {
  db = await createTestDatabase();
  simulator = await startSimulator();
  await storeFromSimulator(NORDIC, FIRST_WRITE);
  await storeFromSimulator('maxExchanges', FIRST_WRITE);
  simulator.reviseDay(DAY, NORDIC);
  await storeFromSimulator(NORDIC, REVISION);
  keys.core = await createTestKey(db.pool, ['maxExchanges']);
  keys.nordic = await createTestKey(db.pool, [NORDIC]);
  keys.every = await createTestKey(db.pool, [...DATASETS]);
  // Listening for the live feed's test; every other test asks through app.inject() (api.get).
  api = await startTestApi(db.url);
});

afterAll(async () => {
  await api?.close();
  await simulator?.close();
  await db?.release();
});

type Row = Record<string, unknown>;

async function json(key: string, path: string): Promise<{ status: number; body: Row[] & Row }> {
  const response = await api.get(key, path);
  return { status: response.status, body: (await response.json()) as Row[] & Row };
}

const ISO = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;
const VALUE_COLUMNS = `${ISO('mtu')}, delivery_day::text AS delivery_day, border, from_zone, to_zone, value_mw,
  revision, ${ISO('first_seen_at')}, ${ISO('updated_at')}`;

async function nordicViewRows(asOf?: Date): Promise<Row[]> {
  const source = asOf ? 'jao.dataset_values_as_of($3)' : 'jao.dataset_values';
  const result = await db.pool.query(
    `SELECT ${VALUE_COLUMNS} FROM ${source} v
      WHERE dataset = $1 AND delivery_day = $2::date ORDER BY mtu, border`,
    asOf ? [NORDIC, DAY, asOf] : [NORDIC, DAY],
  );
  return result.rows;
}

describe('/v1/datasets/{dataset}/…', () => {
  it('serves the Nordic day equal to its SQL view, as of before its revision too', async () => {
    const values = `/v1/datasets/${NORDIC}/values?from=${DAY}&to=${DAY}`;
    const current = await json(keys.nordic, values);
    expect(current.status).toBe(200);
    const rows = await nordicViewRows();
    expect(rows.length).toBe(96 * new Set(rows.map((row) => row.border)).size);
    expect(current.body).toEqual(rows);
    expect(current.body.some((row) => row.revision === 2)).toBe(true);
    const before = new Date(REVISION.getTime() - 1);
    const old = await json(keys.nordic, `${values}&as_of=${before.toISOString()}`);
    expect(old.body).toEqual(await nordicViewRows(before));
    expect(old.body.every((row) => row.revision === 1)).toBe(true);
    // The same path of Core maxExchanges keeps serving Core's rows only.
    const core = await json(keys.core, `/v1/datasets/maxExchanges/values?from=${DAY}&to=${DAY}`);
    const coreRows = await db.pool.query(
      `SELECT ${VALUE_COLUMNS} FROM jao.max_exchanges WHERE delivery_day = $1::date ORDER BY mtu, border`,
      [DAY],
    );
    expect(core.body).toEqual(coreRows.rows);
    expect(core.body).toHaveLength(24 * 132);
  });

  it("serves the Nordic series, a border's revisions and its difference between versions", async () => {
    const series = await json(keys.nordic, `/v1/datasets/${NORDIC}/series`);
    const borders = await db.pool.query<{ border: string }>(
      'SELECT border FROM jao.dataset_borders WHERE dataset = $1 ORDER BY border',
      [NORDIC],
    );
    expect(series.body.map((entry) => [entry.dataset, entry.border, entry.values])).toEqual(
      borders.rows.map((row) => [NORDIC, row.border, 96]),
    );
    const border = borders.rows[0]!.border;
    const revisions = await json(keys.nordic, `/v1/datasets/${NORDIC}/revisions?border=${border}&day=${DAY}`);
    const history = await db.pool.query(
      `SELECT ${ISO('mtu')}, delivery_day::text AS delivery_day, border, from_zone, to_zone, value_mw, revision,
              ${ISO('first_seen_at')}, ${ISO('valid_from')}, ${ISO('valid_to')}
         FROM jao.dataset_values_history
        WHERE dataset = $1 AND border = $2 AND delivery_day = $3::date ORDER BY mtu, revision`,
      [NORDIC, border, DAY],
    );
    expect(revisions.body).toEqual(history.rows);
    expect(revisions.body.length).toBeGreaterThan(96);
    const difference = await json(
      keys.nordic,
      `/v1/datasets/${NORDIC}/difference?from=${DAY}&to=${DAY}&border=${border}&base_as_of=${FIRST_WRITE.toISOString()}`,
    );
    expect(difference.body).toHaveLength(96);
    const changed = new Set(
      history.rows.filter((row) => row.valid_to !== null).map((row) => row.mtu as string),
    );
    expect(difference.body.filter((row) => row.difference_mw !== 0).map((row) => row.mtu as string)).toEqual([
      ...changed,
    ]);
  });

  it('lists the datasets the key reads', async () => {
    const nordic = await json(keys.nordic, '/v1/datasets');
    expect(nordic.body).toEqual([
      expect.objectContaining({
        id: NORDIC,
        region: 'nordic',
        source_path: '/nordic/api/data/maxExchanges',
        first_day: '2024-10-30',
        stored_from: DAY,
        stored_to: DAY,
        resolution_minutes: 15,
        row_kind: 'keyedValues',
        unit: 'MW',
        default: false,
      }),
    ]);
    const every = await json(keys.every, '/v1/datasets');
    expect(every.body.map((entry) => entry.id)).toEqual([...DATASETS]);
    // A dataset nothing was stored of yet has no stored range (the status page then opens on the last 35 days).
    expect(every.body.find((entry) => entry.id === 'coreAtc')).toMatchObject({
      stored_from: null,
      stored_to: null,
    });
    // The page tells a dataset of the flow-based domain by its row kind, not by its id.
    expect(every.body.filter((entry) => entry.row_kind === 'constraints').map((entry) => entry.id)).toEqual(
      DATASETS.filter((dataset) => declarationOf(dataset).rowKind === 'constraints'),
    );
    expect((await api.get(null, '/v1/datasets')).status).toBe(401);
  });

  it('answers 404 listing the known datasets, 403 outside the key, 400 before the first day', async () => {
    const unknown = await json(keys.every, `/v1/datasets/nordic/values?from=${DAY}&to=${DAY}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe(`unknown dataset "nordic" (known: ${DATASETS.join(', ')})`);
    expect(unknown.body.datasets).toEqual([...DATASETS]);
    const forbidden = await json(keys.core, `/v1/datasets/${NORDIC}/values?from=${DAY}&to=${DAY}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toContain(NORDIC);
    expect((await json(keys.nordic, '/v1/datasets/maxExchanges/series')).status).toBe(403);
    const early = await json(keys.nordic, `/v1/datasets/${NORDIC}/values?from=2024-10-29&to=2024-10-30`);
    expect([early.status, early.body.parameter]).toEqual([400, 'from']);
    expect(early.body.message).toContain('must not be before 2024-10-30');
  });

  it("serves a dataset's days and freshness by `dataset`: Core maxExchanges when absent, 404 unknown", async () => {
    const nordic = await json(keys.every, `/v1/days?from=${DAY}&to=${DAY}&dataset=${NORDIC}`);
    expect(nordic.status).toBe(200);
    expect(nordic.body).toEqual([
      expect.objectContaining({
        dataset: NORDIC,
        day: DAY,
        status: 'complete',
        expected_mtus: 96,
        received_mtus: 96,
        resolution_minutes: 15,
        revision_count: 2,
      }),
    ]);
    const core = await json(keys.every, `/v1/days?from=${DAY}&to=${DAY}`);
    expect(core.body.map((row) => [row.dataset, row.expected_mtus])).toEqual([['maxExchanges', 24]]);
    expect((await json(keys.nordic, `/v1/days?from=${DAY}&to=${DAY}&dataset=${NORDIC}`)).status).toBe(200);
    const forbidden = await json(keys.core, `/v1/days?from=${DAY}&to=${DAY}&dataset=${NORDIC}`);
    expect([forbidden.status, forbidden.body.message]).toEqual([
      403,
      `this API key is not scoped to the dataset ${NORDIC}`,
    ]);
    const unknown = await json(keys.every, `/v1/days?from=${DAY}&to=${DAY}&dataset=nordic`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe(`unknown dataset "nordic" (known: ${DATASETS.join(', ')})`);
    const early = await json(keys.nordic, `/v1/days?from=2024-10-29&to=2024-10-30&dataset=${NORDIC}`);
    expect([early.status, early.body.parameter]).toEqual([400, 'from']);
    const freshness = await json(keys.nordic, `/v1/freshness?dataset=${NORDIC}`);
    expect(freshness.status).toBe(200);
    expect(freshness.body).toMatchObject({ dataset: NORDIC, status: 'missing', published: false });
    expect((await json(keys.every, '/v1/freshness?dataset=nordic')).status).toBe(404);
    // What the page asks besides: a key reading Nordic alone is described, and its running days asked (no
    // Temporal here: 503, not 403).
    expect((await json(keys.nordic, '/v1/key')).body).toMatchObject({ datasets: [NORDIC], scope: 'reader' });
    expect((await json(keys.nordic, '/v1/days/running')).status).toBe(503);
  });

  it('replays to a key the events of its datasets only', async () => {
    const controller = new AbortController();
    try {
      // On the socket: an event stream never ends, and app.inject() waits for the end of an answer.
      const response = await fetch(`${api.url}/v1/events`, {
        headers: { authorization: `Bearer ${keys.nordic}`, 'last-event-id': '0' },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      const reader = new SseReader(response);
      await reader.until(() => reader.events.length >= 2);
      const events = reader.events.map((event) => JSON.parse(event.data) as Row);
      expect(events.map((event) => [event.type, event.dataset])).toEqual([
        ['day.stored', NORDIC],
        ['day.revised', NORDIC],
      ]);
    } finally {
      controller.abort();
    }
  });
});
