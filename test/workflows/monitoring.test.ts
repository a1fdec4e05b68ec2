// The monitoring workflow (workflows/monitoring.ts) against the simulator over HTTP, with an injected interval: steps
// turning Received start exactly their days and nothing else, a moved lastModifiedOn re-fetches, an outage is
// recorded as such. A reading covers the polls' look-back (POLL_LOOKBACK_DAYS, 3 by default), so a revision JAO
// announces of an older day is fetched too. Of the datasets a step announces, only those the worker keeps are
// started (the settings its start-up signals).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysInRange, marketToday } from '../../domain/calendar';
import { MONITORING_SETTINGS_SIGNAL, type MonitoringSettings } from '../../domain/monitoring';
import type { monitoringWorkflow } from '../../workflows/monitoring';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { untilRead } from '../helpers/until';

let h: PipelineHarness;
const today = marketToday(new Date());
const olderDay = addDays(today, -3);
const window = daysInRange(olderDay, addDays(today, 1));

beforeAll(async () => {
  h = await createPipelineHarness('monitoring');
  for (const day of window) h.simulator.unpublishDay(day);
  await h.startWorkers();
});
afterAll(async () => {
  await h?.close();
});

const storedDays = async () =>
  (
    await h.db.pool.query<{ dataset: string; day: string; status: string; revision_count: number }>(
      `SELECT dataset, day::text AS day, status, revision_count FROM jao.delivery_day ORDER BY dataset, day`,
    )
  ).rows;
const readings = async (outcome: string) =>
  Number(
    (await h.db.pool.query(`SELECT count(*) FROM jao.monitoring_reading WHERE outcome = $1`, [outcome]))
      .rows[0].count,
  );
const dataRequests = () => h.simulator.requests.filter((entry) => entry.monitoring === undefined);

describe('monitoring workflow', () => {
  it('starts exactly the days whose steps turn Received, re-fetches a revised one, and records an outage', async () => {
    const handle = await h.temporal.client.workflow.start<typeof monitoringWorkflow>('monitoringWorkflow', {
      workflowId: `monitoring/core/${h.taskQueue}`,
      taskQueue: h.taskQueue,
      args: [{ region: 'core', intervalMs: 100, quietIntervalMs: 100 }],
    });
    try {
      // Every step Pending: readings, and not one data request.
      await untilRead(
        'three readings',
        () => readings('read'),
        (count) => count >= 3,
      );
      expect(dataRequests()).toEqual([]);
      expect(await storedDays()).toEqual([]);

      // Final Computation of today turns Received once both datasets it announces are published.
      h.simulator.publishDay(today, undefined, 'maxExchanges');
      h.simulator.publishDay(today, undefined, 'coreFinalComputation');
      const stored = await untilRead(
        'today stored for the two datasets Final Computation announces',
        storedDays,
        (rows) => rows.filter((row) => row.status === 'complete').length === 2,
        { timeoutMs: 60_000 },
      );
      expect(stored.map(({ dataset, day, status }) => ({ dataset, day, status }))).toEqual([
        { dataset: 'coreFinalComputation', day: today, status: 'complete' },
        { dataset: 'maxExchanges', day: today, status: 'complete' },
      ]);
      // From here on the worker keeps maxExchanges alone (JAO_DATASETS, the settings a worker's start-up signals):
      // Final Computation announces both datasets, and each revision or look-back day below would fetch the heavy
      // flow-based domain day again, while the start of both from one step is asserted above.
      await handle.signal(MONITORING_SETTINGS_SIGNAL, {
        intervalMs: 100,
        quietIntervalMs: 100,
        datasets: ['maxExchanges'],
      } satisfies MonitoringSettings);
      // Quiet readings after: not one data request more.
      const before = dataRequests().length;
      const seen = await readings('read');
      await untilRead(
        'three more readings',
        () => readings('read'),
        (count) => count >= seen + 3,
      );
      expect(dataRequests().length).toBe(before);

      // A revision moves the step's lastModifiedOn: the day is fetched again and stored as revision 2.
      h.simulator.reviseDay(today, 'maxExchanges');
      await untilRead(
        'maxExchanges today at revision 2',
        storedDays,
        (rows) => rows.some((row) => row.dataset === 'maxExchanges' && row.revision_count === 2),
        { timeoutMs: 60_000 },
      );
      expect((await storedDays()).map((row) => `${row.dataset} ${row.day}`)).toEqual([
        `coreFinalComputation ${today}`,
        `maxExchanges ${today}`,
      ]);

      // A day of the look-back, published and then revised: fetched, then fetched again; of the datasets its step
      // announces, only the one the worker keeps.
      h.simulator.publishDay(olderDay, undefined, 'maxExchanges');
      h.simulator.publishDay(olderDay, undefined, 'coreFinalComputation');
      await untilRead(
        `maxExchanges ${olderDay} stored`,
        storedDays,
        (rows) =>
          rows.some(
            (row) => row.dataset === 'maxExchanges' && row.day === olderDay && row.status === 'complete',
          ),
        { timeoutMs: 60_000 },
      );
      h.simulator.reviseDay(olderDay, 'maxExchanges');
      await untilRead(
        `maxExchanges ${olderDay} at revision 2`,
        storedDays,
        (rows) =>
          rows.some(
            (row) => row.day === olderDay && row.dataset === 'maxExchanges' && row.revision_count === 2,
          ),
        { timeoutMs: 60_000 },
      );

      expect((await storedDays()).map((row) => `${row.dataset} ${row.day} ${row.revision_count}`)).toEqual([
        `coreFinalComputation ${today} 1`,
        `maxExchanges ${olderDay} 2`,
        `maxExchanges ${today} 2`,
      ]);
      // Not one request of the flow-based domain since: the revisions and the look-back day fetched maxExchanges alone.
      expect(
        new Set(
          dataRequests()
            .slice(before)
            .map((entry) => entry.endpoint ?? entry.dataset),
        ),
      ).toEqual(new Set(['maxExchanges']));

      // The monitoring path alone fails: the readings say so.
      h.simulator.setFaults({ monitoringOutage: true });
      await untilRead(
        'a failed reading',
        () => readings('failed'),
        (count) => count >= 1,
      );
      h.simulator.setFaults({ monitoringOutage: false });
    } finally {
      await handle.terminate('test over');
    }
  });
});
