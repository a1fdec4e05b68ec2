// How soon the monitoring workflow reads again (workflows/monitoring.ts, patch monitoring-quiet-interval): the
// interval its reading says, with a stub reading on the fetch queue and the timers read from the history.
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringReadResult } from '../../activities/monitoring';
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

/** Runs the workflow for `script.length` readings (one run), each reading answering the script's next entry. */
async function timersFor(script: Array<MonitoringPace | 'failed'>) {
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
    const handle = await t.env.client.workflow.start<typeof monitoringWorkflow>('monitoringWorkflow', {
      workflowId: `monitoring/core/${taskQueue}`,
      taskQueue,
      args: [{ region: 'core', intervalMs: 20, quietIntervalMs: 200, readingsPerRun: script.length }],
    });
    const deadline = Date.now() + 60_000;
    let history = await handle.fetchHistory();
    while (!history.events?.some((event) => event.workflowExecutionContinuedAsNewEventAttributes)) {
      if (Date.now() > deadline)
        throw new Error('the monitoring workflow did not continue as new within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
      history = await t.env.client.workflow
        .getHandle(handle.workflowId, handle.firstExecutionRunId)
        .fetchHistory();
    }
    await t.env.client.workflow.getHandle(handle.workflowId).terminate('the test is over');
    const timers = (history.events ?? []).flatMap((event) => {
      const timeout = event.timerStartedEventAttributes?.startToFireTimeout;
      return timeout ? [Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6)] : [];
    });
    const continued = history.events?.find((event) => event.workflowExecutionContinuedAsNewEventAttributes);
    const input = continued?.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads?.[0]?.data;
    return { timers, continuedWith: input ? JSON.parse(Buffer.from(input).toString()) : null };
  } finally {
    for (const worker of workers) worker.shutdown();
    await running;
  }
}

describe('the monitoring workflow reads again at the pace its reading says', () => {
  it('soon while a day is expected or a reading failed, at the quiet interval otherwise, and keeps both', async () => {
    const { timers, continuedWith } = await timersFor(['expecting', 'quiet', 'failed', 'quiet', 'expecting']);
    expect(timers).toEqual([20, 200, 20, 200, 20]);
    expect(continuedWith).toMatchObject({ region: 'core', intervalMs: 20, quietIntervalMs: 200 });
  });
});
