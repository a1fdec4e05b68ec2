// The operator routes against a real pipeline (Temporal dev server, worker, simulator, database): re-runs and a
// backfill started through the API heal bad days and name the key that started them; a day's run history; the
// backfills in progress; tomorrow's freshness; reader keys refused (403) and every odd input a clean 400.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey, setOperatorScope } from '../../db/apiKeys';
import { addDays, marketTomorrow } from '../../domain/calendar';
import { dayWorkflowId } from '../../domain/workflowInputs';
import { getWith, openEvents, startTestApi, type TestApi } from '../helpers/api';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';

const PARTIAL = '2024-02-05';
const FAILED = '2024-02-06';
const BACKFILL_FROM = '2024-02-10';
const BACKFILL_TO = '2024-02-11';

let h: PipelineHarness;
let api: TestApi;
let operator: string;
let operatorId: number;
let reader: string;

const post = (key: string | null, path: string, body: unknown) =>
  fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });

const statusOf = async (day: string) =>
  (
    await h.db.pool.query<{ status: string }>(
      `SELECT status FROM jao.delivery_day WHERE dataset = 'maxExchanges' AND day = $1`,
      [day],
    )
  ).rows[0]?.status;

beforeAll(async () => {
  h = await createPipelineHarness('api-runs', {
    faults: { missingMtuDays: [PARTIAL], rejectedDays: [FAILED] },
  });
  await h.startWorkers();
  await Promise.all([h.runDay(PARTIAL), h.runDay(FAILED).catch(() => null)]);
  h.simulator.setFaults({ missingMtuDays: [], rejectedDays: [] });
  const made = await createApiKey(h.db.pool, {
    name: 'ops desk',
    datasets: ['maxExchanges'],
    operator: true,
  });
  operator = made.token;
  operatorId = made.key.id;
  reader = (await createApiKey(h.db.pool, { name: 'trader', datasets: ['maxExchanges'] })).token;
  api = await startTestApi(h.db.url, {
    temporal: { address: inject('temporalAddress'), namespace: h.temporal.namespace, taskQueue: h.taskQueue },
  });
});

afterAll(async () => {
  for (const line of api?.logs ?? []) if (line.includes('"level":50')) console.log(line.slice(0, 1500));
  await api?.close();
  await h?.close();
});

describe('the operator scope', () => {
  it('tells the page which scope a key has', async () => {
    expect(await (await getWith(reader, `${api.url}/v1/key`)).json()).toMatchObject({ scope: 'reader' });
    expect(await (await getWith(operator, `${api.url}/v1/key`)).json()).toMatchObject({
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
      expect((await getWith(key, `${api.url}/v1/days/${PARTIAL}/runs`)).status).toBe(expected);
    }
    const runs = [];
    for await (const run of h.temporal.client.workflow.list({
      query: `WorkflowId = '${dayWorkflowId('maxExchanges', PARTIAL)}'`,
    }))
      runs.push(run);
    expect(runs).toHaveLength(1);
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
    const notJson = await fetch(`${api.url}/v1/runs/days`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operator}` },
      body: '{"days": [',
    });
    expect(notJson.status).toBe(400);
    expect((await getWith(operator, `${api.url}/v1/days/2024-13-01/runs`)).status).toBe(400);
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
          runs = (await (
            await getWith(operator, `${api.url}/v1/days/${PARTIAL}/runs`)
          ).json()) as typeof runs;
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
            const list = (await (await getWith(reader, `${api.url}/v1/backfills`)).json()) as {
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

describe('the page facts', () => {
  it("tells tomorrow's freshness as jao status does", async () => {
    const answer = await getWith(reader, `${api.url}/v1/freshness`);
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
      const events = await openEvents(api.url, operator, stop.signal);
      await setOperatorScope(h.db.pool, operatorId, false);
      await events.until(() => events.ended, 5_000);
      expect(events.events.at(-1)?.event).toBe('key.demoted');
      expect((await post(operator, '/v1/runs/days', { days: [PARTIAL] })).status).toBe(403);
      expect((await getWith(operator, `${api.url}/v1/days?from=${PARTIAL}&to=${PARTIAL}`)).status).toBe(200);
    } finally {
      stop.abort();
    }
  });
});
