// The keeper of the bad-day markers with a stub sync: it syncs at its start, at each word that a day's outcome
// changed, at the deadline of a day stored not published (which turns late with no write), and continues as new
// after its syncs per run, handing on a word not synced yet. The clock moves in real time: the deadline the stub
// names is a second ahead.
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BadDayActivities, BadDaysSyncResult } from '../../activities/badDays';
import type { badDayMarkersWorkflow } from '../../workflows';
import { dayOutcomeChangedSignal } from '../../workflows';
import { runBundle } from '../helpers/pipeline';
import { uniqueTaskQueue } from '../helpers/temporal';
import { untilTrue } from '../helpers/until';
import { type WorkflowTestEnvironment, workflowTestEnvironment } from '../helpers/workflowEnvironment';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The deadline of a wait for the workflow and its stub sync. */
const SOON = { timeoutMs: 15_000 };

describe('badDayMarkersWorkflow (stub sync)', () => {
  let t: WorkflowTestEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('wf-markers');
  /** What the next syncs answer, in order; then the default (no deadline ahead). */
  const answers: Partial<BadDaysSyncResult>[] = [];
  let syncs = 0;

  beforeAll(async () => {
    t = await workflowTestEnvironment('wf-markers');
    const activities: Pick<BadDayActivities, 'syncBadDayMarkers'> = {
      async syncBadDayMarkers() {
        syncs += 1;
        return { badDays: 1, started: 0, completed: 0, ...answers.shift() };
      },
    };
    worker = await Worker.create({
      connection: t.env.nativeConnection,
      namespace: t.namespace,
      taskQueue,
      workflowBundle: { code: runBundle().code },
      activities,
    });
    running = worker.run();
  });
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await t?.env.teardown();
  });

  const start = (workflowId: string, syncsPerRun?: number) =>
    t.env.client.workflow.start<typeof badDayMarkersWorkflow>('badDayMarkersWorkflow', {
      workflowId,
      taskQueue,
      args: [syncsPerRun === undefined ? {} : { syncsPerRun }],
    });

  const details = async (workflowId: string) => {
    const metadata = await t.env.client.workflow
      .getHandle(workflowId)
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    return metadata.currentDetails ?? '';
  };

  it('syncs at its start, at each word that a day changed, and at the deadline of a day not published', async () => {
    syncs = 0;
    answers.push({ nextDeadline: new Date(Date.now() + 1_000).toISOString() });
    const handle = await start(`markers-${taskQueue}`);
    await untilTrue('the first sync', () => syncs === 1, SOON);
    // No word: the deadline a second ahead wakes it.
    await untilTrue('the sync at the deadline', () => syncs === 2, SOON);
    await untilTrue(
      'its details',
      async () => /a deadline passed/.test(await details(handle.workflowId)),
      SOON,
    );
    await handle.signal(dayOutcomeChangedSignal);
    await untilTrue('the sync after the word', () => syncs === 3, SOON);
    await untilTrue('its details', async () => /a day changed/.test(await details(handle.workflowId)), SOON);
    expect(await details(handle.workflowId)).toMatch(
      /^1 bad day\(s\) now.*\n\nLast sync .* \(a day changed\): 0 marker\(s\) started, 0 completed\.\n\nNext sync when a write changes a day's outcome, else at .* \(sweep\)\.$/s,
    );
    // Nothing more to do until the sweep: it waits.
    await sleep(200);
    expect(syncs).toBe(3);
    await handle.terminate('the test is over');
  });

  it('continues as new after its syncs per run, the word it had not synced yet handed on', async () => {
    syncs = 0;
    const handle = await start(`markers-bounded-${taskQueue}`, 2);
    await untilTrue('the first sync', () => syncs === 1, SOON);
    await handle.signal(dayOutcomeChangedSignal);
    await untilTrue(
      'a second run',
      async () => {
        const described = await t.env.client.workflow.getHandle(handle.workflowId).describe();
        return described.runId !== handle.firstExecutionRunId;
      },
      SOON,
    );
    expect(syncs).toBe(2);
    const next = t.env.client.workflow.getHandle(handle.workflowId);
    await next.signal(dayOutcomeChangedSignal);
    await untilTrue('the second run syncs on a word', () => syncs === 3, SOON);
    const first = await t.env.client.workflow
      .getHandle(handle.workflowId, handle.firstExecutionRunId)
      .describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    await next.terminate('the test is over');
  });
});
