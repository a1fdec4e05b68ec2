import {
  ApplicationFailure,
  continueAsNew,
  defineQuery,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeliveryDay } from '../domain/types';
import {
  type BackfillInput,
  type BackfillProgress,
  type BackfillResult,
  parseBackfillInput,
} from '../domain/workflowInputs';
import { store } from './activities';
import { DayRunner, emptyTally, type Tally } from './dayRunner';
import { INVALID_INPUT } from './deliveryDay';

export const progressQuery = defineQuery<BackfillProgress>('progress');

/**
 * State carried across continue-as-new: what is left, and what the earlier runs counted. Written by one build and
 * read by the next: fields are only ever added, as optional with a default for their absence (README: "Changing a
 * workflow safely").
 */
export interface BackfillCarry {
  remaining: DeliveryDay[];
  total: number;
  tally: Tally;
}

/** Runs the day workflow for every selected day of a range, `concurrency` at a time. */
export async function backfillWorkflow(input: BackfillInput, carry?: BackfillCarry): Promise<BackfillResult> {
  const parsed = parseBackfillInput(input, new Date());
  if (!parsed.ok)
    throw ApplicationFailure.nonRetryable(`invalid backfill input: ${parsed.message}`, INVALID_INPUT);
  const { dataset, from, to, mode, concurrency, daysPerRun } = parsed.value;

  const runner = new DayRunner(
    { dataset, trigger: 'backfill', concurrency, onBusy: 'wait' },
    carry?.tally ?? emptyTally(),
  );
  const { tally } = runner;
  let total = carry?.total ?? 0;
  setHandler(progressQuery, () => ({
    total,
    done: tally.done,
    running: runner.running.size,
    byStatus: { ...tally.byStatus },
    failedDays: tally.notCompleted
      .filter((outcome) => outcome.status === 'failed')
      .map((outcome) => outcome.day),
  }));

  const queue = carry?.remaining ?? (await store.planBackfillDays({ dataset, from, to, mode }));
  if (!carry) total = queue.length;

  let startedThisRun = 0;
  while (queue.length > 0) {
    if (startedThisRun >= daysPerRun || workflowInfo().continueAsNewSuggested) break;
    const day = queue.shift()!;
    await runner.launch(day);
    startedThisRun += 1;
  }
  await runner.idle();

  if (queue.length > 0) {
    await continueAsNew<typeof backfillWorkflow>(input, { remaining: queue, total, tally });
  }
  return { dataset, from, to, mode, total, byStatus: tally.byStatus, notCompleted: tally.notCompleted };
}
