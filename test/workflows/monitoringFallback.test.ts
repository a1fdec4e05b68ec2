// The polls and JAO's monitoring together (docs/monitoring.md#the-polls-stand-down-where-monitoring-is-healthy): with
// the monitoring workflow reading the simulator's answer (an injected interval), a poll of a dataset that declared
// steps stands down without a request to JAO, one of a dataset with none polls; an outage of the monitoring path
// alone hands the region to the polls after the failures in a row, and health and the gauge say so; read again, the
// polls stand down again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, marketToday } from '../../domain/calendar';
import { assessHealth } from '../../domain/health';
import { healthGauges } from '../../domain/healthMetrics';
import type { Dataset } from '../../domain/types';
import { gatherHealthFacts, type HealthSettings } from '../../workers/healthFacts';
import type { monitoringWorkflow } from '../../workflows/monitoring';
import type { PollResult, pollWorkflow } from '../../workflows/poll';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { untilRead } from '../helpers/until';

let h: PipelineHarness;
const today = marketToday(new Date());

/** Two failed readings in a row hand the region to the polls; staleness far off (the test's own clock is real). */
const MONITORING = { on: true, failuresBeforePolls: 2, staleAfterMs: 10 * 60_000, lookbackDays: 1 };

beforeAll(async () => {
  // A namespace of its own: other files run maxExchanges days around today at the same time, and a day's workflow id
  // is unique per namespace, so the poll found such a day busy in another file's run and left its fetch to it.
  const namespace = await createTestNamespace('monitoring-fallback');
  h = await createPipelineHarness('monitoring-fallback', {}, { namespace });
  for (const day of [addDays(today, -1), today, addDays(today, 1)]) h.simulator.unpublishDay(day);
  await h.startWorkers({ monitoring: MONITORING });
});
afterAll(async () => {
  await h?.close();
});

const readings = async (outcome: string) =>
  Number(
    (await h.db.pool.query(`SELECT count(*) FROM jao.monitoring_reading WHERE outcome = $1`, [outcome]))
      .rows[0].count,
  );
const dataRequests = () => h.simulator.requests.filter((entry) => entry.monitoring === undefined);

let polls = 0;
const poll = (dataset: Dataset): Promise<PollResult> =>
  h.temporal.client.workflow.execute<typeof pollWorkflow>('pollWorkflow', {
    workflowId: `${dataset}/poll-${h.taskQueue}-${++polls}`,
    taskQueue: h.taskQueue,
    // Today alone: whether a poll asks JAO is the same for each of its days (its window: pollDays, tested in
    // test/unit/datasets.test.ts).
    args: [{ dataset, lookbackDays: 0, lookaheadDays: 0 }],
  });

const SETTINGS: HealthSettings = {
  TEMPORAL_NAMESPACE: 'unused',
  TEMPORAL_TASK_QUEUE: 'unused',
  HEALTH_POLLER_STALE_AFTER: 45_000,
  HEALTH_WINDOW_DAYS: 3,
  ARCHIVE_MAX_LAG: 3_600_000,
  JAO_DATASETS: ['maxExchanges'],
  JAO_MONITORING: 'on',
  MONITORING_FAILURES_BEFORE_POLLS: MONITORING.failuresBeforePolls,
  MONITORING_STALE_AFTER: MONITORING.staleAfterMs,
};
const coreMode = async () => {
  const facts = await gatherHealthFacts(
    SETTINGS,
    {
      temporal: () => Promise.reject(new Error('not asked in this test')),
      database: (use) => use(h.db.pool),
    },
    new Date(),
  );
  return {
    mode: facts.monitoring?.find((region) => region.region === 'core'),
    warnings: assessHealth(facts).warnings.filter((line) => line.startsWith('monitoring')),
    gauges: healthGauges(facts).filter((gauge) => gauge.name === 'jao_monitoring_mode'),
  };
};

describe('the polls and JAO monitoring', () => {
  it('stand down while core reads, take over when its monitoring path fails, stand down once it reads again', async () => {
    const handle = await h.temporal.client.workflow.start<typeof monitoringWorkflow>('monitoringWorkflow', {
      workflowId: `monitoring/core/${h.taskQueue}`,
      taskQueue: h.taskQueue,
      args: [{ region: 'core', intervalMs: 100, quietIntervalMs: 100 }],
    });
    try {
      await untilRead(
        'two readings',
        () => readings('read'),
        (count) => count >= 2,
      );
      expect(await coreMode()).toMatchObject({
        mode: { region: 'core', mode: 'monitoring', reason: null },
        warnings: [],
        gauges: [
          { name: 'jao_monitoring_mode', labels: { region: 'core', mode: 'monitoring' }, value: 1 },
          { name: 'jao_monitoring_mode', labels: { region: 'core', mode: 'polls' }, value: 0 },
        ],
      });

      // maxExchanges is announced by Final Computation: its poll asks JAO nothing.
      const stoodDown = await poll('maxExchanges');
      expect(stoodDown).toMatchObject({ days: [], byStatus: {}, notCompleted: [] });
      expect(stoodDown.stoodDown).toMatch(/^JAO's monitoring of core fetches its days \(last read .+\)$/);
      expect(dataRequests()).toEqual([]);
      // coreAtc has no known step: its poll asks JAO for its days as ever.
      const atc = await poll('coreAtc');
      expect(atc.stoodDown).toBeUndefined();
      expect(atc.days).toHaveLength(1);
      expect(new Set(dataRequests().map((entry) => entry.dataset))).toEqual(new Set(['coreAtc']));

      // The monitoring path alone fails: after two failed readings in a row the polls take over, and say so.
      h.simulator.setFaults({ monitoringOutage: true });
      const failedBefore = await readings('failed');
      await untilRead(
        'two failed readings',
        () => readings('failed'),
        (count) => count >= failedBefore + 2,
      );
      const down = await coreMode();
      expect(down.mode).toMatchObject({
        mode: 'polls',
        reason: expect.stringMatching(/2 readings in a row$/),
      });
      expect(down.warnings).toEqual([
        expect.stringMatching(/^monitoring core: fixed polls fetch its days \(.+\); see JaoMonitoringDown$/),
      ]);
      expect(down.gauges).toContainEqual({
        name: 'jao_monitoring_mode',
        labels: { region: 'core', mode: 'polls' },
        value: 1,
      });
      const before = dataRequests().length;
      const takesOver = await poll('maxExchanges');
      expect(takesOver.stoodDown).toBeUndefined();
      expect(takesOver.days).toHaveLength(1);
      expect(
        dataRequests()
          .slice(before)
          .filter((entry) => entry.dataset === 'maxExchanges'),
      ).toHaveLength(1);

      // Read again: the polls stand down at their next run.
      h.simulator.setFaults({ monitoringOutage: false });
      const readBefore = await readings('read');
      await untilRead(
        'a reading read again',
        () => readings('read'),
        (count) => count >= readBefore + 1,
      );
      const after = dataRequests().length;
      expect((await poll('maxExchanges')).stoodDown).toBeDefined();
      expect(dataRequests().length).toBe(after);
    } finally {
      await handle.terminate('test over');
    }
  });
});
