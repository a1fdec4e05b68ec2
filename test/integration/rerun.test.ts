// A day re-run from the Web UI with "Start Workflow Like This One": the new run gets the old run's search
// attributes (DayStatus included), summary and input (trigger `backfill` when the old run was a backfill's child).
// It must list as running while it runs, end with its own status, fetch with live priority and say it is the
// operator's; the backfill that left the day invalid must say it finished, with its not-complete day in its memo.
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DATASET_ATTRIBUTE,
  DAY_STATUS_ATTRIBUTE,
  DELIVERY_DAY_ATTRIBUTE,
} from '../../common/searchAttributes';
import { DETAILS_END } from '../../domain/runDetails';
import type { BackfillProgress, BackfillResult, DayInput, DayResult } from '../../domain/workflowInputs';
import { LIVE_PRIORITY_KEY } from '../../workflows/fetchPriority';
import { runCli } from '../helpers/cli';
import { type JaoGate, startJaoGate } from '../helpers/gatedJao';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness, type RunningWorkers } from '../helpers/pipeline';
import { untilRead } from '../helpers/until';

const DAY = '2025-03-10';
const REJECTED_DAY = '2025-03-11';
/** Days `jao rerun --wait` runs: complete, partial (an MTU missing), invalid (not JSON). */
const [COMPLETE_DAY, PARTIAL_DAY, INVALID_DAY] = ['2025-03-12', '2025-03-13', '2025-03-14'];
/** Revised by the simulator between two runs. */
const REVISED_DAY = '2025-03-15';

const detailsOf = async (handle: WorkflowHandle) =>
  (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails;

describe('a day re-run like its old run tells the truth', () => {
  let h: PipelineHarness;
  let workers: RunningWorkers;

  let namespace: string;
  /** Between the workers and the simulator: the re-run's fetch waits there while the test looks at the run. */
  let gate: JaoGate;

  beforeAll(async () => {
    namespace = await createTestNamespace('rerun');
    h = await createPipelineHarness(
      'rerun',
      { faults: { malformedDays: [DAY], rejectedDays: [REJECTED_DAY] } },
      { namespace },
    );
    gate = await startJaoGate(h.simulator.origin);
    workers = await h.startWorkers({ jaoBaseUrl: gate.origin });
  });
  afterAll(async () => {
    await workers?.stop();
    await h?.close();
    await gate?.stop();
  });
  // A test that failed with the gate closed leaves it open for the next.
  afterEach(() => gate?.open());

  const statusesOf = async (runId: string) => {
    const found: string[] = [];
    for await (const run of h.temporal.client.workflow.list({
      query: `WorkflowId = 'maxExchanges/day/${DAY}' AND RunId = '${runId}'`,
    })) {
      found.push(...((run.searchAttributes.DayStatus as string[] | undefined) ?? []));
    }
    return found;
  };

  it('lists the re-run as running, then complete, with live priority and the operator as its trigger', async () => {
    const backfill = await h.temporal.client.workflow.start('backfillWorkflow', {
      workflowId: `maxExchanges/backfill/${DAY}..${DAY}/all`,
      taskQueue: h.taskQueue,
      args: [{ from: DAY, to: DAY, mode: 'all' }],
    });
    const result: BackfillResult = await backfill.result();
    expect(result.byStatus).toEqual({ invalid: 1 });
    // The reason carries the JSON parser's own words, whatever the engine writes; the details show it as markdown.
    expect(result.notCompleted).toEqual([
      { day: DAY, status: 'invalid', reason: expect.stringMatching(/^body is not JSON: \S/) },
    ]);
    const details = (await detailsOf(backfill))?.split('\n') ?? [];
    const notCompleteLine = details.findIndex((line) => line.startsWith(`- ${DAY} `));
    expect(details[notCompleteLine], 'the invalid day is listed').toMatch(
      new RegExp(`^- ${DAY} \\*\\*invalid\\*\\*: body is not JSON: \\S`),
    );
    // Quoted text of the parser's message as code spans: the Web UI would typeset straight quotes curly.
    expect(details[notCompleteLine]).not.toMatch(/"|(?<!\w)'|'(?!\w)/);
    details[notCompleteLine] = `- ${DAY} **invalid**: (the reason)`;
    expect(details.join('\n')).toBe(
      [
        `**backfill ${DAY}..${DAY} (all)**`,
        '',
        'Finished: 1 of 1 day done.',
        '',
        'Outcomes:',
        '',
        '- invalid: 1 day',
        '',
        'Not complete (1):',
        '',
        `- ${DAY} **invalid**: (the reason)`,
        '',
        DETAILS_END,
      ].join('\n'),
    );
    // failedDays: what `rerun --failed` would run again (failed, invalid, partial).
    expect((await backfill.query<BackfillProgress>('progress')).failedDays).toEqual([DAY]);
    const memo = (await backfill.describe()).memo;
    expect(memo).toEqual({ NotCompleteDays: [`${DAY} invalid: ${result.notCompleted[0]!.reason}`] });

    // "Start Workflow Like This One" on the invalid day, now that JAO answers well (once the gate opens).
    h.simulator.setFaults({ malformedDays: [] });
    gate.close();
    const rerun = await h.temporal.client.workflow.start('deliveryDayWorkflow', {
      workflowId: `maxExchanges/day/${DAY}`,
      taskQueue: h.taskQueue,
      args: [{ dataset: 'maxExchanges', day: DAY, trigger: 'backfill' } satisfies DayInput],
      typedSearchAttributes: [
        { key: DATASET_ATTRIBUTE, value: 'maxExchanges' },
        { key: DELIVERY_DAY_ATTRIBUTE, value: DAY },
        { key: DAY_STATUS_ATTRIBUTE, value: 'invalid' },
      ],
      staticSummary: `maxExchanges ${DAY} (backfill)`,
    });
    const runId = rerun.firstExecutionRunId;
    const whileRunning = await untilRead(
      'the re-run listed as running',
      () => statusesOf(runId),
      (found) => found[0] === 'running',
      { timeoutMs: 15_000 },
    );
    expect(whileRunning).toEqual(['running']);
    expect((await rerun.describe()).status.name).toBe('RUNNING');
    expect(await detailsOf(rerun)).toBe(
      `maxExchanges ${DAY}: started by an operator (manual), live priority`,
    );

    gate.open();
    const healed: DayResult = await rerun.result();
    expect(healed.status).toBe('complete');
    expect(
      await untilRead(
        'the re-run listed as complete',
        () => statusesOf(runId),
        (found) => found[0] === 'complete',
        { timeoutMs: 15_000 },
      ),
    ).toEqual(['complete']);
    const scheduled = (await rerun.fetchHistory()).events?.filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'fetchDayFromJao',
    );
    expect(
      scheduled?.map((event) => event.activityTaskScheduledEventAttributes?.priority?.priorityKey),
    ).toEqual([LIVE_PRIORITY_KEY]);
  });

  it('fails a day with what went wrong, naming the day once (JAO names it too)', async () => {
    const failure = await h.runDay(REJECTED_DAY).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toBe(
      `JAO rejected the request for ${REJECTED_DAY}: The request for delivery day ${REJECTED_DAY} was rejected (simulated).`,
    );
  });
  it('jao rerun --wait exits 0 when every day is complete, 3 when one is not, 1 when one failed', async () => {
    h.simulator.setFaults({ missingMtuDays: [PARTIAL_DAY], malformedDays: [INVALID_DAY] });
    const env = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      DATABASE_URL: h.db.url,
    };
    const complete = await runCli(['rerun', COMPLETE_DAY, '--wait'], env);
    expect({ code: complete.code, stderr: complete.stderr }).toEqual({ code: 0, stderr: '' });
    expect(complete.stdout).toMatch(new RegExp(`^${COMPLETE_DAY} complete: 24 MTUs, \\d+ points`, 'm'));

    const notComplete = await runCli(['rerun', COMPLETE_DAY, PARTIAL_DAY, INVALID_DAY, '--wait'], env);
    expect(notComplete.code).toBe(3);
    expect(notComplete.stdout).toMatch(
      new RegExp(`^${PARTIAL_DAY} partial: 23 MTUs, .*\\(.*missing.*\\)$`, 'm'),
    );
    expect(notComplete.stdout).toMatch(
      new RegExp(`^${INVALID_DAY} invalid: .*\\(body is not JSON.*\\)$`, 'm'),
    );

    const failed = await runCli(['rerun', PARTIAL_DAY, REJECTED_DAY, '--wait'], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`maxExchanges/day/${REJECTED_DAY} failed: JAO rejected the request`);
  });

  it('stores a day the simulator revised as the revision its answer named (docs/tutorial.md step 3)', async () => {
    expect((await h.runDay(REVISED_DAY)).revision).toBe(1);
    const answer = await fetch(`${h.simulator.origin}/_simulator/revise?day=${REVISED_DAY}`, {
      method: 'POST',
    });
    const { version } = (await answer.json()) as { version: number };
    expect(version).toBe(2);
    const rerun = await h.runDay(REVISED_DAY);
    expect({ status: rerun.status, revision: rerun.revision }).toEqual({
      status: 'complete',
      revision: version,
    });
  });
});
