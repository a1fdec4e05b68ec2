// Polling: revisions picked up by pollWorkflow, and the schedule that starts it.
// The only test file that uses the days around today (workflow ids are global to the dev server's namespace).
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePollSchedule } from '../../control/pollSchedule';
import { addDays, marketToday } from '../../domain/calendar';
import { DEFAULT_KEY_SET_CHANGE_DAY, keySetForDay } from '../../simulator/values';
import type { pollWorkflow } from '../../workflows/poll';
import { createPipelineHarness, type PipelineHarness, type RunningWorkers } from '../helpers/pipeline';
import { until } from '../helpers/until';

interface Value {
  border: string;
  mtu: string;
  value_mw: number;
}

describe('polling', () => {
  let h: PipelineHarness;
  let workers: RunningWorkers;
  // The poll reads its own clock: should midnight pass before it does, its today is this tomorrow. Both days
  // ahead are published whatever the hour, so every day it polls is complete.
  const today = marketToday(new Date());
  const yesterday = addDays(today, -1);
  const keysOfYesterday = keySetForDay(yesterday, DEFAULT_KEY_SET_CHANGE_DAY).keys.length;

  beforeAll(async () => {
    h = await createPipelineHarness('poll');
    for (const ahead of [1, 2]) h.simulator.publishDay(addDays(today, ahead), new Date(0));
    workers = await h.startWorkers();
  });
  afterAll(async () => {
    await workers?.stop();
    await h?.close();
  });

  const valuesOf = async (sql: string, params: unknown[]) =>
    (await h.db.pool.query<Value>(`${sql} ORDER BY border, mtu`, params)).rows;

  it('picks up a revision of a stored day; as_of before it still answers the old values', async () => {
    expect(await h.runDay(yesterday)).toMatchObject({ status: 'complete', revision: 1 });
    const before = await valuesOf(
      `SELECT border, mtu::text, value_mw FROM jao.max_exchanges WHERE delivery_day = $1`,
      [yesterday],
    );
    expect(before).toHaveLength(24 * keysOfYesterday);
    const between = (await h.db.pool.query<{ at: Date }>('SELECT clock_timestamp() AS at')).rows[0]!.at;

    h.simulator.reviseDay(yesterday);
    const result = await h.temporal.client.workflow.execute<typeof pollWorkflow>('pollWorkflow', {
      workflowId: `poll-${h.taskQueue}`,
      taskQueue: h.taskQueue,
      args: [{ lookbackDays: 2, lookaheadDays: 1 }],
    });
    const polledToday = result.days[2]!;
    expect([today, addDays(today, 1)]).toContain(polledToday);
    expect(result.days).toEqual([-2, -1, 0, 1].map((n) => addDays(polledToday, n)));
    expect(result.byStatus).toEqual({ complete: 4 });

    const day = await h.db.pool.query('SELECT status, revision_count FROM jao.delivery_day WHERE day = $1', [
      yesterday,
    ]);
    expect(day.rows).toEqual([{ status: 'complete', revision_count: 2 }]);
    const history = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jao.observation_history WHERE mtu >= $1::date - interval '1 day' AND mtu < $1::date + interval '1 day'`,
      [yesterday],
    );
    expect(history.rows[0]!.n).toBe(24 * keysOfYesterday);

    const after = await valuesOf(
      `SELECT border, mtu::text, value_mw FROM jao.max_exchanges WHERE delivery_day = $1`,
      [yesterday],
    );
    expect(after).toHaveLength(before.length);
    expect(after.filter((row, i) => row.value_mw !== before[i]!.value_mw)).toHaveLength(before.length);
    const sample = after[0]!;
    expect(sample.value_mw).toBe(
      h.simulator.expectedValue(yesterday, `border_${sample.border}`, new Date(sample.mtu).toISOString()),
    );

    const asOfBetween = await valuesOf(
      `SELECT border, mtu::text, value_mw FROM jao.max_exchanges_as_of($2) WHERE delivery_day = $1`,
      [yesterday, between],
    );
    expect(asOfBetween).toEqual(before);
    const revisions = await h.db.pool.query(
      `SELECT DISTINCT revision FROM jao.max_exchanges WHERE delivery_day = $1`,
      [yesterday],
    );
    expect(revisions.rows).toEqual([{ revision: 2 }]);
  });

  it('creates the poll schedule idempotently, with overlap SKIP, and its runs poll the recent days', async () => {
    const scheduleId = `poll-schedule-${h.taskQueue}`;
    // Two days back: yesterday is polled even once midnight has passed.
    const settings = {
      scheduleId,
      dataset: 'maxExchanges' as const,
      taskQueue: h.taskQueue,
      intervalMs: 3_600_000,
      lookbackDays: 2,
    };
    expect(await ensurePollSchedule(h.temporal.client, settings)).toBe('created');
    expect(await ensurePollSchedule(h.temporal.client, { ...settings, intervalMs: 1_800_000 })).toBe(
      'updated',
    );
    const handle = h.temporal.client.schedule.getHandle(scheduleId);
    try {
      const description = await handle.describe();
      expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
      expect(description.spec.intervals?.[0]?.every).toBe(1_800_000);

      const checkedBefore = await h.db.pool.query<{ at: Date | null }>(
        'SELECT max(last_checked_at) AS at FROM jao.delivery_day WHERE day = $1',
        [yesterday],
      );
      await handle.trigger();
      const workflow = await until(
        'the run the trigger started',
        async () => (await handle.describe()).info.recentActions[0]?.action.workflow,
        { timeoutMs: 20_000 },
      );
      await h.temporal.client.workflow.getHandle(workflow.workflowId, workflow.firstExecutionRunId).result();
      const checkedAfter = await h.db.pool.query<{ at: Date }>(
        'SELECT max(last_checked_at) AS at FROM jao.delivery_day WHERE day = $1',
        [yesterday],
      );
      expect(checkedAfter.rows[0]!.at.getTime()).toBeGreaterThan(checkedBefore.rows[0]!.at?.getTime() ?? 0);
    } finally {
      await handle.delete();
    }
  });
});
