// A resolution that changes inside one dataset's history: Core scheduledExchanges is declared hourly until the
// day-ahead market's 15-minute MTU (2025-10-01) and quarter-hourly from it. A backfill across the switch stores
// each day complete at its own expected count, with no drift for the declared switch, in jao.day_quality and in
// GET /v1/days; an hourly answer on a quarter-hour day is drift, and partial: judged on the declared 96 MTUs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackfillResult, backfillWorkflowId } from '../../domain/workflowInputs';
import { createTestKey, type InjectedTestApi, injectTestApi } from '../helpers/api';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';

const DATASET = 'coreScheduledExchanges';
const FROM = '2025-09-29';
const TO = '2025-10-02';
const HOURLY_ON_QUARTER_HOUR_DAY = '2025-10-03';

describe('a declared resolution switch inside one dataset', () => {
  let harness: PipelineHarness;
  let api: InjectedTestApi;
  let backfill: BackfillResult;

  beforeAll(async () => {
    harness = await createPipelineHarness('resolution-switch', {
      faults: { hourlyDays: [HOURLY_ON_QUARTER_HOUR_DAY] },
    });
    await harness.startWorkers();
    backfill = await harness.temporal.client.workflow.execute('backfillWorkflow', {
      workflowId: backfillWorkflowId(DATASET, FROM, TO, 'all'),
      taskQueue: harness.taskQueue,
      args: [{ dataset: DATASET, from: FROM, to: TO, mode: 'all', concurrency: 4 }],
    });
    await harness.runDay(HOURLY_ON_QUARTER_HOUR_DAY, DATASET);
    api = await injectTestApi(harness.db.url);
  });

  afterAll(async () => {
    await api?.close();
    await harness?.close();
  });

  it('stores hourly days before the switch and quarter-hourly days from it, each complete', async () => {
    expect(backfill.byStatus).toEqual({ complete: 4 });
    const days = await harness.db.pool.query<{
      day: string;
      status: string;
      resolution_minutes: number;
      expected_mtus: number;
      received_mtus: number;
    }>(
      `SELECT day::text AS day, status, resolution_minutes, expected_mtus, received_mtus
         FROM jao.day_quality WHERE dataset = $1 AND day BETWEEN $2::date AND $3::date ORDER BY day`,
      [DATASET, FROM, TO],
    );
    expect(days.rows.map((row) => [row.day, row.status, row.resolution_minutes, row.received_mtus])).toEqual([
      ['2025-09-29', 'complete', 60, 24],
      ['2025-09-30', 'complete', 60, 24],
      ['2025-10-01', 'complete', 15, 96],
      ['2025-10-02', 'complete', 15, 96],
    ]);
    const values = await harness.db.pool.query<{ day: string; n: number }>(
      `SELECT delivery_day::text AS day, count(*)::int AS n FROM jao.dataset_values
        WHERE dataset = $1 AND border = 'AT_CZ' AND delivery_day BETWEEN $2::date AND $3::date
        GROUP BY 1 ORDER BY 1`,
      [DATASET, FROM, TO],
    );
    expect(values.rows.map((row) => row.n)).toEqual([24, 24, 96, 96]);
  });

  it('GET /v1/days shows each day’s resolution and no drift for the declared switch, and drift for an undeclared one', async () => {
    const key = await createTestKey(harness.db.pool, [DATASET]);
    const response = await api.get(
      key,
      `/v1/days?dataset=${DATASET}&from=${FROM}&to=${HOURLY_ON_QUARTER_HOUR_DAY}`,
    );
    expect(response.status).toBe(200);
    const days = (await response.json()) as Array<{
      day: string;
      resolution_minutes: number;
      expected_mtus: number;
      drift: string[];
      status: string;
    }>;
    expect(
      days.map((day) => [day.day, day.resolution_minutes, day.expected_mtus, day.drift, day.status]),
    ).toEqual([
      ['2025-09-29', 60, 24, [], 'complete'],
      ['2025-09-30', 60, 24, [], 'complete'],
      ['2025-10-01', 15, 96, [], 'complete'],
      ['2025-10-02', 15, 96, [], 'complete'],
      [HOURLY_ON_QUARTER_HOUR_DAY, 60, 96, ['resolution'], 'partial'],
    ]);
  });
});
