import {
  ApplicationFailure,
  continueAsNew,
  defineQuery,
  log,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { daysInRange } from '../domain/calendar';
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
  /** Days the runs so far counted complete. */
  completeDays: DeliveryDay[];
  /** Days already run again because the database did not hold them complete. */
  rerunDays: DeliveryDay[];
}

/** Runs the day workflow for every selected day of a range, `concurrency` at a time. */
export async function backfillWorkflow(input: BackfillInput, carry?: BackfillCarry): Promise<BackfillResult> {
  const parsed = parseBackfillInput(input, new Date());
  if (!parsed.ok)
    throw ApplicationFailure.nonRetryable(`invalid backfill input: ${parsed.message}`, INVALID_INPUT);
  const { dataset, from, to, mode, concurrency, daysPerRun } = parsed.value;

  let total = carry?.total ?? 0;
  const completeDays = new Set(carry?.completeDays);
  const rerunDays = new Set(carry?.rerunDays);
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
    {
      dataset,
      trigger: 'backfill',
      concurrency,
      onBusy: 'wait',
      onOutcome: (outcome) => {
        if (outcome.status === 'complete') completeDays.add(outcome.day);
        else completeDays.delete(outcome.day);
        showDetails();
      },
    },
    carry?.tally ?? emptyTally(),
  );
  const { tally } = runner;
  setHandler(progressQuery, progress);

  const queue = carry?.remaining ?? (await store.planBackfillDays({ dataset, from, to, mode }));
  if (!carry) total = queue.length;
  showDetails();

  let startedThisRun = 0;
  /** Runs the queue; continues as new when this run has started its share and days are left. */
  const runQueue = async (): Promise<void> => {
    while (queue.length > 0) {
      if (startedThisRun >= daysPerRun || workflowInfo().continueAsNewSuggested) break;
      const day = queue.shift()!;
      await runner.launch(day);
      startedThisRun += 1;
      showDetails();
    }
    await runner.idle();
    if (queue.length > 0) {
      await continueAsNew<typeof backfillWorkflow>(input, {
        remaining: queue,
        total,
        tally,
        completeDays: [...completeDays],
        rerunDays: [...rerunDays],
      });
    }
  };

  const uncountComplete = (day: DeliveryDay) => {
    completeDays.delete(day);
    tally.done -= 1;
    const complete = (tally.byStatus.complete ?? 0) - 1;
    if (complete > 0) tally.byStatus.complete = complete;
    else delete tally.byStatus.complete;
  };

  /** Queues the days the database does not hold complete, each once; returns how many it queued. */
  const recheck = async (): Promise<number> => {
    const reported = new Set(tally.notCompleted.map((outcome) => outcome.day));
    const promised =
      mode === 'missing' ? daysInRange(from, to).filter((day) => !reported.has(day)) : [...completeDays];
    const lacking = await store.findIncompleteDays({ dataset, days: promised });
    const again: DeliveryDay[] = [];
    for (const { day, status } of lacking) {
      const counted = completeDays.has(day);
      if (counted) uncountComplete(day);
      if (rerunDays.has(day)) {
        runner.record({
          day,
          status: 'failed',
          reason: `its run reported it complete, but the database holds it ${status ?? 'not at all'}, also after running it again`,
        });
        continue;
      }
      if (!counted) total += 1;
      rerunDays.add(day);
      again.push(day);
    }
    if (again.length > 0) {
      log.warn('days not complete in the database: running them again', { days: again });
      queue.push(...again);
    }
    showDetails();
    return again.length;
  };

  await runQueue();
  while ((await recheck()) > 0) await runQueue();
  return { dataset, from, to, mode, total, byStatus: tally.byStatus, notCompleted: tally.notCompleted };
}
