// The operator routes against a real pipeline (Temporal dev server, worker, simulator, database): re-runs and a
// backfill started through the API heal bad days and name the key that started them; a day's run history; the
// backfills in progress; tomorrow's freshness; reader keys refused (403) and every odd input a clean 400. The same
// routes act on Nordic maxExchanges (`?dataset=`): a key of Core only is refused (403), an unknown dataset is a 404
// listing the known ones, and the re-run's event names its dataset.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey, setOperatorScope } from '../../db/apiKeys';
import { addDays, marketTomorrow } from '../../domain/calendar';
import type { Dataset } from '../../domain/datasets';
import { dayWorkflowId } from '../../domain/workflowInputs';
import { openEvents, startTestApi, type TestApi } from '../helpers/api';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';

const PARTIAL = '2024-02-05';
const FAILED = '2024-02-06';
const BACKFILL_FROM = '2024-02-10';
const BACKFILL_TO = '2024-02-11';
const NORDIC: Dataset = 'nordicMaxExchanges';
/** After Nordic flow-based go-live (2024-10-30); PARTIAL and FAILED are before it. */
const NORDIC_PARTIAL = '2025-02-05';
const NORDIC_BACKFILL_FROM = '2025-02-10';
const NORDIC_BACKFILL_TO = '2025-02-11';

let h: PipelineHarness;
let api: TestApi;
let operator: string;
let operatorId: number;
let reader: string;
/** An operator key of Core and Nordic maxExchanges. */
let nordicOperator: string;
let nordicOperatorId: number;

/** Through app.inject(), as every request here but the live feed's. */
const post = (key: string | null, path: string, body: unknown) =>
  api.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });

const statusOf = async (day: string, dataset: Dataset = 'maxExchanges') =>
  (
    await h.db.pool.query<{ status: string }>(
      'SELECT status FROM jao.delivery_day WHERE dataset = $1 AND day = $2',
      [dataset, day],
    )
  ).rows[0]?.status;

const runsOf = async (workflowId: string) => {
  const runs = [];
  for await (const run of h.temporal.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
    runs.push(run);
  return runs;
};

beforeAll(async () => {
  h = await createPipelineHarness('api-runs', {
    faults: { missingMtuDays: [PARTIAL, NORDIC_PARTIAL], rejectedDays: [FAILED] },
  });
  await h.startWorkers();
  await Promise.all([
    h.runDay(PARTIAL),
    h.runDay(FAILED).catch(() => null),
    h.runDay(NORDIC_PARTIAL, NORDIC),
  ]);
  h.simulator.setFaults({ missingMtuDays: [], rejectedDays: [] });
  const made = await createApiKey(h.db.pool, {
    name: 'ops desk',
    datasets: ['maxExchanges'],
    operator: true,
  });
  operator = made.token;
  operatorId = made.key.id;
  reader = (await createApiKey(h.db.pool, { name: 'trader', datasets: ['maxExchanges'] })).token;
  const nordicMade = await createApiKey(h.db.pool, {
    name: 'nordic desk',
    datasets: ['maxExchanges', NORDIC],
    operator: true,
  });
  nordicOperator = nordicMade.token;
  nordicOperatorId = nordicMade.key.id;
  // Listening for the live feed (openEvents); every other request goes through app.inject() (api.get, post).
  api = await startTestApi(h.db.url, {
    temporal: { address: inject('temporalAddress'), namespace: h.temporal.namespace, taskQueue: h.taskQueue },
  });
});

afterAll(async () => {
  for (const line of api?.logs ?? []) if (line.includes('"level":"error"')) console.log(line.slice(0, 1500));
  await api?.close();
  await h?.close();
});

describe('the operator scope', () => {
  it('tells the page which scope a key has', async () => {
    expect(await (await api.get(reader, '/v1/key')).json()).toMatchObject({ scope: 'reader' });
    expect(await (await api.get(operator, '/v1/key')).json()).toMatchObject({
      id: operatorId,
      name: 'ops desk',
      scope: 'operator',
    });
  });

  it('refuses reader keys (403) and missing keys (401) on every run route, and starts nothing', async () => {
    for (const key of [reader, null]) {
      const expected = key ? 403 : 401;
      const days = await post(key, '/v1/runs/days', { days: [PARTIAL] });
      expect(days.status).toBe(expected);
      if (key) expect(((await days.json()) as { message: string }).message).toMatch(/reader key.*--operator/);
      expect((await post(key, '/v1/runs/backfill', { from: PARTIAL, to: FAILED })).status).toBe(expected);
      expect((await api.get(key, `/v1/days/${PARTIAL}/runs`)).status).toBe(expected);
    }
    expect(await runsOf(dayWorkflowId('maxExchanges', PARTIAL))).toHaveLength(1);
  });

  it('answers each odd input with a 400 naming the parameter', async () => {
    const tomorrow = marketTomorrow(new Date());
    const cases: [string, unknown, string][] = [
      ['/v1/runs/days', {}, 'days'],
      ['/v1/runs/days', { days: [] }, 'days'],
      ['/v1/runs/days', { days: ['2024-02-30'] }, 'days'],
      ['/v1/runs/days', { days: [addDays(tomorrow, 1)] }, 'days'],
      ['/v1/runs/days', { days: ['2022-06-08'] }, 'days'],
      ['/v1/runs/days', { days: Array.from({ length: 32 }, (_, i) => addDays('2024-01-01', i)) }, 'days'],
      ['/v1/runs/days', { days: [PARTIAL], priority: 1 }, 'priority'],
      ['/v1/runs/backfill', { from: FAILED, to: PARTIAL }, 'from'],
      ['/v1/runs/backfill', { from: PARTIAL, to: FAILED, mode: 'some' }, 'mode'],
      ['/v1/runs/backfill', { from: PARTIAL, to: FAILED, concurrency: 0 }, 'concurrency'],
    ];
    for (const [path, body, parameter] of cases) {
      const answer = await post(operator, path, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(await answer.json(), JSON.stringify(body)).toMatchObject({ statusCode: 400, parameter });
    }
    const notJson = await api.request('/v1/runs/days', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operator}` },
      body: '{"days": [',
    });
    expect(notJson.status).toBe(400);
    expect((await api.get(operator, '/v1/days/2024-13-01/runs')).status).toBe(400);
  });
});

describe('acting through the API', () => {
  it('re-runs two bad days at live priority; both end complete; the memo names the key', async () => {
    expect([await statusOf(PARTIAL), await statusOf(FAILED)]).toEqual(['partial', 'failed']);
    const answer = await post(operator, '/v1/runs/days', { days: [FAILED, PARTIAL, PARTIAL] });
    expect(answer.status).toBe(202);
    const { runs } = (await answer.json()) as { runs: { day: string; run_id: string; started: boolean }[] };
    expect(runs.map((run) => [run.day, run.started])).toEqual([
      [PARTIAL, true],
      [FAILED, true],
    ]);
    for (const run of runs) {
      const handle = h.temporal.client.workflow.getHandle(dayWorkflowId('maxExchanges', run.day), run.run_id);
      expect((await handle.result()).status).toBe('complete');
      const description = await handle.describe();
      expect(description.memo?.startedBy).toEqual({ via: 'api', key_id: operatorId, key_name: 'ops desk' });
    }
    expect([await statusOf(PARTIAL), await statusOf(FAILED)]).toEqual(['complete', 'complete']);
    expect(
      api.logs.some((line) => line.includes('operator re-run started') && line.includes('ops desk')),
    ).toBe(true);
  });

  it("lists a day's runs newest first with outcome, times, build and starter", async () => {
    let runs: { day_status: string | null; execution_status: string; started_by: unknown }[] = [];
    // Visibility is eventually consistent: the closed run's record lands a moment after its result.
    await expect
      .poll(
        async () => {
          runs = (await (await api.get(operator, `/v1/days/${PARTIAL}/runs`)).json()) as typeof runs;
          return runs.map((run) => run.day_status);
        },
        { timeout: 10_000, interval: 200 },
      )
      .toEqual(['complete', 'partial']);
    expect(runs[0]).toMatchObject({
      workflow_id: dayWorkflowId('maxExchanges', PARTIAL),
      execution_status: 'COMPLETED',
      closed_at: expect.any(String),
      build_id: expect.any(String),
      started_by: { via: 'api', key_id: operatorId, key_name: 'ops desk' },
    });
    expect(runs[1]!.started_by).toBeNull();
  });

  it('starts a backfill of a selection, named by the key, and lists it while it runs', async () => {
    h.simulator.setFaults({ latencyMs: 1_000 });
    try {
      const answer = await post(operator, '/v1/runs/backfill', {
        from: BACKFILL_FROM,
        to: BACKFILL_TO,
        mode: 'all',
        concurrency: 1,
      });
      expect(answer.status).toBe(202);
      const started = (await answer.json()) as { workflow_id: string; run_id: string; attached: boolean };
      expect(started).toMatchObject({
        workflow_id: `maxExchanges/backfill/${BACKFILL_FROM}..${BACKFILL_TO}/all`,
        attached: false,
      });
      const again = await post(operator, '/v1/runs/backfill', {
        from: BACKFILL_FROM,
        to: BACKFILL_TO,
        mode: 'all',
      });
      expect(await again.json()).toMatchObject({ run_id: started.run_id, attached: true });
      await expect
        .poll(
          async () => {
            const list = (await (await api.get(reader, '/v1/backfills')).json()) as {
              workflow_id: string;
              progress: { total: number } | null;
            }[];
            return list.find((item) => item.workflow_id === started.workflow_id)?.progress?.total;
          },
          { timeout: 10_000, interval: 200 },
        )
        .toBe(2);
      const handle = h.temporal.client.workflow.getHandle(started.workflow_id, started.run_id);
      expect((await handle.describe()).memo?.startedBy).toMatchObject({ via: 'api', key_id: operatorId });
      // Ended here: its days must not show as running to other files of the run's namespace.
      await handle.result();
    } finally {
      h.simulator.setFaults({ latencyMs: 0 });
    }
  });
});

describe('another dataset: Nordic maxExchanges', () => {
  const nordic = `dataset=${NORDIC}`;

  it('refuses a key of Core only (403), names the known datasets for an unknown one (404), starts nothing', async () => {
    const refusals: [string | null, number, RegExp][] = [
      [operator, 403, /not scoped to the dataset nordicMaxExchanges/],
      [reader, 403, /not scoped to the dataset nordicMaxExchanges/],
    ];
    for (const [key, status, message] of refusals) {
      for (const answer of [
        await post(key, `/v1/runs/days?${nordic}`, { days: [NORDIC_PARTIAL] }),
        await post(key, `/v1/runs/backfill?${nordic}`, { from: NORDIC_PARTIAL, to: NORDIC_PARTIAL }),
        await api.get(key, `/v1/days/${NORDIC_PARTIAL}/runs?${nordic}`),
      ]) {
        expect(answer.status).toBe(status);
        expect(((await answer.json()) as { message: string }).message).toMatch(message);
      }
    }
    for (const answer of [
      await post(nordicOperator, '/v1/runs/days?dataset=nordicMaxExchange', { days: [NORDIC_PARTIAL] }),
      await post(nordicOperator, '/v1/runs/backfill?dataset=nordic', {
        from: NORDIC_PARTIAL,
        to: NORDIC_PARTIAL,
      }),
      await api.get(nordicOperator, `/v1/days/${NORDIC_PARTIAL}/runs?dataset=`),
    ]) {
      expect(answer.status).toBe(404);
      const body = (await answer.json()) as { message: string; parameter: string; datasets: string[] };
      expect(body).toMatchObject({ parameter: 'dataset', datasets: expect.arrayContaining([NORDIC]) });
      expect(body.message).toMatch(/^unknown dataset ".*" \(known: maxExchanges, nordicMaxExchanges/);
    }
    expect(await runsOf(dayWorkflowId(NORDIC, NORDIC_PARTIAL))).toHaveLength(1);
  });

  it("refuses days before the dataset's first day (400), though Core has them", async () => {
    const cases: [Response, string][] = [
      [await post(nordicOperator, `/v1/runs/days?${nordic}`, { days: [PARTIAL] }), 'days'],
      [
        await post(nordicOperator, `/v1/runs/backfill?${nordic}`, { from: PARTIAL, to: NORDIC_PARTIAL }),
        'from',
      ],
      [await api.get(nordicOperator, `/v1/days/${PARTIAL}/runs?${nordic}`), 'day'],
    ];
    for (const [answer, parameter] of cases) {
      expect(answer.status).toBe(400);
      const body = (await answer.json()) as { parameter: string; message: string };
      expect(body.parameter).toBe(parameter);
      expect(body.message).toContain('2024-10-30');
    }
    expect(await runsOf(dayWorkflowId(NORDIC, PARTIAL))).toHaveLength(0);
  });

  it('re-runs a partial Nordic day under its own workflow id; it ends complete; its event names the dataset', async () => {
    expect(await statusOf(NORDIC_PARTIAL, NORDIC)).toBe('partial');
    const stop = new AbortController();
    try {
      // The live feed on the socket: an event stream never ends, and app.inject() waits for an answer's end.
      const events = await openEvents(api.url, nordicOperator, stop.signal);
      const answer = await post(nordicOperator, `/v1/runs/days?${nordic}`, { days: [NORDIC_PARTIAL] });
      expect(answer.status).toBe(202);
      const { runs } = (await answer.json()) as {
        runs: { day: string; workflow_id: string; run_id: string; started: boolean }[];
      };
      expect(runs).toEqual([
        {
          day: NORDIC_PARTIAL,
          workflow_id: dayWorkflowId(NORDIC, NORDIC_PARTIAL),
          run_id: expect.any(String),
          started: true,
        },
      ]);
      const handle = h.temporal.client.workflow.getHandle(runs[0]!.workflow_id, runs[0]!.run_id);
      expect((await handle.result()).status).toBe('complete');
      expect((await handle.describe()).memo?.startedBy).toEqual({
        via: 'api',
        key_id: nordicOperatorId,
        key_name: 'nordic desk',
      });
      expect(await statusOf(NORDIC_PARTIAL, NORDIC)).toBe('complete');
      expect(await statusOf(NORDIC_PARTIAL)).toBeUndefined();
      const ofTheDay = (event: { data: string }) => JSON.parse(event.data).day === NORDIC_PARTIAL;
      await events.until(() => events.events.some(ofTheDay));
      expect(JSON.parse(events.events.find(ofTheDay)!.data)).toMatchObject({
        type: expect.stringMatching(/^day\.(stored|revised)$/),
        dataset: NORDIC,
        status: 'complete',
      });
    } finally {
      stop.abort();
    }
    expect(
      api.logs.some(
        (line) => line.includes('operator re-run started') && line.includes(`"dataset":"${NORDIC}"`),
      ),
    ).toBe(true);
  });

  it("lists the Nordic day's runs; Core's runs of the same day are another list", async () => {
    let runs: { workflow_id: string; day_status: string | null; started_by: unknown }[] = [];
    await expect
      .poll(
        async () => {
          runs = (await (
            await api.get(nordicOperator, `/v1/days/${NORDIC_PARTIAL}/runs?${nordic}`)
          ).json()) as typeof runs;
          return runs.map((run) => run.day_status);
        },
        { timeout: 10_000, interval: 200 },
      )
      .toEqual(['complete', 'partial']);
    expect(new Set(runs.map((run) => run.workflow_id))).toEqual(
      new Set([dayWorkflowId(NORDIC, NORDIC_PARTIAL)]),
    );
    expect(runs[0]!.started_by).toEqual({ via: 'api', key_id: nordicOperatorId, key_name: 'nordic desk' });
    const core = await api.get(nordicOperator, `/v1/days/${NORDIC_PARTIAL}/runs`);
    expect(core.status).toBe(200);
    expect(await core.json()).toEqual([]);
  });

  it("starts a Nordic backfill under the dataset's backfill id and lists it among Nordic's backfills", async () => {
    h.simulator.setFaults({ latencyMs: 1_000 });
    try {
      const answer = await post(nordicOperator, `/v1/runs/backfill?${nordic}`, {
        from: NORDIC_BACKFILL_FROM,
        to: NORDIC_BACKFILL_TO,
        mode: 'all',
        concurrency: 1,
      });
      expect(answer.status).toBe(202);
      const started = (await answer.json()) as { workflow_id: string; run_id: string };
      expect(started.workflow_id).toBe(
        `${NORDIC}/backfill/${NORDIC_BACKFILL_FROM}..${NORDIC_BACKFILL_TO}/all`,
      );
      const listed = async (query: string) =>
        (
          (await (await api.get(nordicOperator, `/v1/backfills${query}`)).json()) as {
            workflow_id: string;
          }[]
        ).some((item) => item.workflow_id === started.workflow_id);
      await expect.poll(() => listed(`?${nordic}`), { timeout: 10_000, interval: 200 }).toBe(true);
      expect(await listed('')).toBe(false);
      const handle = h.temporal.client.workflow.getHandle(started.workflow_id, started.run_id);
      await handle.result();
      expect([
        await statusOf(NORDIC_BACKFILL_FROM, NORDIC),
        await statusOf(NORDIC_BACKFILL_TO, NORDIC),
      ]).toEqual(['complete', 'complete']);
    } finally {
      h.simulator.setFaults({ latencyMs: 0 });
    }
  });
});

describe('the page facts', () => {
  it("tells tomorrow's freshness as jao status does", async () => {
    const answer = await api.get(reader, '/v1/freshness');
    expect(answer.status).toBe(200);
    const tomorrow = marketTomorrow(new Date());
    expect(await answer.json()).toMatchObject({
      day: tomorrow,
      status: 'missing',
      published: false,
      deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/),
      late: expect.any(Boolean),
      publication_to_stored_seconds: null,
    });
  });
});

describe('losing the operator scope', () => {
  it("ends the operator's open live feed with key.demoted; the key reads on as a reader", async () => {
    const stop = new AbortController();
    try {
      // The live feed on the socket: an event stream never ends, and app.inject() waits for an answer's end.
      const events = await openEvents(api.url, operator, stop.signal);
      await setOperatorScope(h.db.pool, operatorId, false);
      await events.until(() => events.ended, 5_000);
      expect(events.events.at(-1)?.event).toBe('key.demoted');
      expect((await post(operator, '/v1/runs/days', { days: [PARTIAL] })).status).toBe(403);
      expect((await api.get(operator, `/v1/days?from=${PARTIAL}&to=${PARTIAL}`)).status).toBe(200);
    } finally {
      stop.abort();
    }
  });
});
