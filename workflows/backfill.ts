import {
  ApplicationFailure,
  continueAsNew,
  defineQuery,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { renderRunDetails } from '../domain/runDetails';
import type { DeliveryDay } from '../domain/types';
import {
  type BackfillInput,
  type BackfillProgress,
  type BackfillResult,
  isRerunFailed,
  parseBackfillInput,
} from '../domain/workflowInputs';
import { store } from './activities';
import { DayRunner, emptyTally, type Tally } from './dayRunner';
import { INVALID_INPUT } from './deliveryDay';

export const progressQuery = defineQuery<BackfillProgress>('progress');

/**
 * State carried across continue-as-new: what is left, and what the earlier runs counted. Written by one build and
 * read by the next: fields are only ever added, as optional with a default for their absence (docs/workflow-changes.md).
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

  let total = carry?.total ?? 0;
  const progress = (): BackfillProgress => ({
    total,
    done: runner.tally.done,
    running: runner.running.size,
    byStatus: { ...runner.tally.byStatus },
    failedDays: runner.tally.notCompleted
      .filter((outcome) => isRerunFailed(outcome.status))
      .map((outcome) => outcome.day),
    notCompleted: [...runner.tally.notCompleted],
  });
  const showDetails = () =>
    setCurrentDetails(renderRunDetails({ title: `backfill ${from}..${to} (${mode})`, ...progress() }));
  const runner: DayRunner = new DayRunner(
    { dataset, trigger: 'backfill', concurrency, onBusy: 'wait', onOutcome: showDetails },
    carry?.tally ?? emptyTally(),
  );
  const { tally } = runner;
  setHandler(progressQuery, progress);

  const queue = carry?.remaining ?? (await store.planBackfillDays({ dataset, from, to, mode }));
  if (!carry) total = queue.length;
  showDetails();

  let startedThisRun = 0;
  while (queue.length > 0) {
    if (startedThisRun >= daysPerRun || workflowInfo().continueAsNewSuggested) break;
    const day = queue.shift()!;
    await runner.launch(day);
    startedThisRun += 1;
    showDetails();
  }
  await runner.idle();

  if (queue.length > 0) {
    await continueAsNew<typeof backfillWorkflow>(input, { remaining: queue, total, tally });
  }
  return { dataset, from, to, mode, total, byStatus: tally.byStatus, notCompleted: tally.notCompleted };
}
