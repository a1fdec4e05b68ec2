// How soon the monitoring workflow reads again (workflows/monitoring.ts, patch monitoring-quiet-interval): the
// interval its reading says, with a stub reading on the fetch queue and the timers read from the history; and the
// settings a worker brings at start-up (control/monitoringWorkflow.ts), taken by a run already going.
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringReadResult } from '../../activities/monitoring';
import {
  ensureMonitoringWorkflow,
  monitoringWorkflowIdFor,
  stopMonitoringWorkflow,
} from '../../control/monitoringWorkflow';
import type { MonitoringPace } from '../../domain/monitoringPace';
import { fetchTaskQueueOf } from '../../domain/workflowInputs';
import type { monitoringWorkflow } from '../../workflows/monitoring';
import { runBundle } from '../helpers/pipeline';
import { uniqueTaskQueue } from '../helpers/temporal';
import { type WorkflowTestEnvironment, workflowTestEnvironment } from '../helpers/workflowEnvironment';

let t: WorkflowTestEnvironment;
beforeAll(async () => {
  t = await workflowTestEnvironment('monitoring-pace');
});
afterAll(async () => {
  await t?.env.teardown();
});

type Script = Array<MonitoringPace | 'failed'>;

/** Workers on a fresh queue whose reading answers the script's next entry (its last one from then on). */
async function withWorkers<T>(script: Script, use: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uniqueTaskQueue('monitoring-pace');
  let next = 0;
  const readJaoMonitoring = async (): Promise<MonitoringReadResult> => {
    const entry = script[Math.min(next++, script.length - 1)]!;
    return entry === 'failed'
      ? { outcome: 'failed', detail: 'monitoring answer failed: HTTP 503' }
      : { outcome: 'read', steps: [], pace: entry };
  };
  const common = { connection: t.env.nativeConnection, namespace: t.namespace };
  const workers = [
    await Worker.create({ ...common, taskQueue, workflowBundle: { code: runBundle().code } }),
    await Worker.create({
      ...common,
      taskQueue: fetchTaskQueueOf(taskQueue),
      activities: { readJaoMonitoring },
    }),
  ];
  const running = Promise.all(workers.map((worker) => worker.run()));
  try {
    return await use(taskQueue);
  } finally {
    for (const worker of workers) worker.shutdown();
    await running;
  }
}

/** The first run's timers (ms) and the input it continued as new with, once it has. */
async function firstRun(workflowId: string, firstRunId: string) {
  const handle = t.env.client.workflow.getHandle(workflowId, firstRunId);
  const deadline = Date.now() + 60_000;
  let events = (await handle.fetchHistory()).events ?? [];
  while (!events.some((event) => event.workflowExecutionContinuedAsNewEventAttributes)) {
    if (Date.now() > deadline) throw new Error('the monitoring workflow did not continue as new within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
    events = (await handle.fetchHistory()).events ?? [];
  }
  await t.env.client.workflow.getHandle(workflowId).terminate('the test is over');
  const timers = events.flatMap((event) => {
    const timeout = event.timerStartedEventAttributes?.startToFireTimeout;
    return timeout ? [Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6)] : [];
  });
  const continued = events.find((event) => event.workflowExecutionContinuedAsNewEventAttributes);
  const input = continued?.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads?.[0]?.data;
  return { timers, continuedWith: input ? JSON.parse(Buffer.from(input).toString()) : null };
}

describe('the monitoring workflow reads again at the pace its reading says', () => {
  it('soon while a day is expected or a reading failed, at the quiet interval otherwise, and keeps both', async () => {
    const script: Script = ['expecting', 'quiet', 'failed', 'quiet', 'expecting'];
    const { timers, continuedWith } = await withWorkers(script, async (taskQueue) => {
      const handle = await t.env.client.workflow.start<typeof monitoringWorkflow>('monitoringWorkflow', {
        workflowId: `monitoring/core/${taskQueue}`,
        taskQueue,
        args: [{ region: 'core', intervalMs: 20, quietIntervalMs: 200, readingsPerRun: script.length }],
      });
      return firstRun(handle.workflowId, handle.firstExecutionRunId);
    });
    expect(timers).toEqual([20, 200, 20, 200, 20]);
    expect(continuedWith).toMatchObject({ region: 'core', intervalMs: 20, quietIntervalMs: 200 });
  });
});

describe('a worker starting up brings its settings', () => {
  it('starts the region workflow once, and a run already going reads at the intervals of the next start-up', async () => {
    const { first, second, timers } = await withWorkers(['quiet'], async (taskQueue) => {
      const settings = {
        taskQueue,
        region: 'core' as const,
        intervalMs: 20,
        datasets: ['maxExchanges' as const],
      };
      const first = await ensureMonitoringWorkflow(t.env.client, { ...settings, quietIntervalMs: 300 });
      const workflowId = monitoringWorkflowIdFor(taskQueue, 'core');
      const { runId } = await t.env.client.workflow.getHandle(workflowId).describe();
      const second = await ensureMonitoringWorkflow(t.env.client, {
        ...settings,
        quietIntervalMs: 40,
        datasets: ['maxExchanges', 'coreFinalComputation'],
      });
      // 500 readings a run by default: terminated once its timers say which interval it slept.
      const handle = t.env.client.workflow.getHandle(workflowId, runId);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const events = (await handle.fetchHistory()).events ?? [];
        const timers = events.flatMap((event) => {
          const timeout = event.timerStartedEventAttributes?.startToFireTimeout;
          return timeout
            ? [Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6)]
            : [];
        });
        if (timers.filter((ms) => ms === 40).length >= 3) {
          await handle.terminate('the test is over');
          return { first, second, timers };
        }
        if (Date.now() > deadline) throw new Error(`no 40 ms timers within 60 s: ${timers.join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    expect([first, second]).toEqual(['started', 'running']);
    // The run kept going (one run, no restart): its first sleep at the interval it began with, or at once the new one.
    expect(new Set(timers)).toEqual(new Set(timers[0] === 300 ? [300, 40] : [40]));
  });
});

describe('a worker that no longer wants the monitoring', () => {
  it('ends the region workflow where it runs, and says so where none does', async () => {
    await withWorkers(['quiet'], async (taskQueue) => {
      const region = 'core' as const;
      const stop = () =>
        stopMonitoringWorkflow(t.env.client, { taskQueue, region, reason: 'JAO_MONITORING=off' });
      expect(await stop()).toBe('not running');
      await ensureMonitoringWorkflow(t.env.client, {
        taskQueue,
        region,
        intervalMs: 20,
        quietIntervalMs: 20,
        datasets: ['maxExchanges'],
      });
      expect(await stop()).toBe('stopped');
      const description = await t.env.client.workflow
        .getHandle(monitoringWorkflowIdFor(taskQueue, region))
        .describe();
      expect(description.status.name).toBe('TERMINATED');
      expect(await stop()).toBe('not running');
    });
  });
});
