// Reprocessing (docs/design.md §13): days re-derived from their stored raw answers by the current build, with zero
// requests to JAO. reprocessWorkflow runs the days with a stored answer like a backfill (bounded, a progress query,
// continue-as-new): in batches, one activity each (REPROCESS_BATCHES_PATCH); runs started before it fan out one
// reprocessDayWorkflow per day, which sets Dataset, DeliveryDay and DayStatus. A day alone is reprocessDayWorkflow.
import {
  ActivityFailure,
  ApplicationFailure,
  continueAsNew,
  defineQuery,
  executeChild,
  isCancellation,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  DATASET_ATTRIBUTE,
  DAY_RUNNING,
  DAY_STATUS_ATTRIBUTE,
  DELIVERY_DAY_ATTRIBUTE,
} from '../common/searchAttributes';
import {
  countReprocessed,
  emptyReprocessTotals,
  parseReprocessDayInput,
  parseReprocessInput,
  type ReprocessDayInput,
  type ReprocessDayResult,
  type ReprocessInput,
  type ReprocessProgress,
  type ReprocessResult,
  type ReprocessTotals,
  reprocessBatchSize,
  reprocessDayWorkflowId,
} from '../domain/reprocessInputs';
import { countOf, renderRunDetails } from '../domain/runDetails';
import type { DeliveryDay } from '../domain/types';
import { type DayOutcome, isRerunFailed } from '../domain/workflowInputs';
import { localReprocess, reprocessBatches, reprocessPlanner } from './activities';
import { DayRunner, emptyTally, outcomeOf, type Tally } from './dayRunner';
import { INVALID_INPUT } from './deliveryDay';
import { REPROCESS_BATCHES_PATCH } from './patches';

export const reprocessProgressQuery = defineQuery<ReprocessProgress>('progress');

export const REPROCESS_FAILED = 'ReprocessFailed';

/**
 * State carried across continue-as-new: what is left and what the earlier runs counted. Fields are only ever added,
 * as optional with a default for their absence (docs/workflow-changes.md).
 */
export interface ReprocessCarry {
  remaining: DeliveryDay[];
  total: number;
  tally: Tally;
  totals: ReprocessTotals;
  withoutRawAnswer: DeliveryDay[];
}

/** Re-derives every day of a range that has a stored raw answer, `concurrency` at a time. */
export async function reprocessWorkflow(
  input: ReprocessInput,
  carry?: ReprocessCarry,
): Promise<ReprocessResult> {
  const parsed = parseReprocessInput(input, new Date());
  if (!parsed.ok)
    throw ApplicationFailure.nonRetryable(`invalid reprocess input: ${parsed.message}`, INVALID_INPUT);
  const { dataset, from, to, concurrency, daysPerRun } = parsed.value;

  const totals = carry?.totals ?? emptyReprocessTotals();
  let total = carry?.total ?? 0;
  let withoutRawAnswer = carry?.withoutRawAnswer ?? [];
  const progress = (): ReprocessProgress => ({
    total,
    done: runner.tally.done,
    running: runner.running.size,
    byStatus: { ...runner.tally.byStatus },
    failedDays: runner.tally.notCompleted
      .filter((outcome) => isRerunFailed(outcome.status))
      .map((outcome) => outcome.day),
    notCompleted: [...runner.tally.notCompleted],
    changedDays: totals.changedDays,
    unchangedDays: totals.unchangedDays,
    values: { ...totals.values },
    withoutRawAnswer,
  });
  const showDetails = () => {
    const details = renderRunDetails({ title: `reprocess ${from}..${to}`, ...progress() });
    const changes = `Changed: ${countOf(totals.changedDays, 'day')} (${countOf(
      totals.values.changed + totals.values.added + totals.values.vanished,
      'value',
    )}), unchanged: ${countOf(totals.unchangedDays, 'day')}.`;
    const without =
      withoutRawAnswer.length > 0
        ? [`Without a stored raw answer (not fetched): ${countOf(withoutRawAnswer.length, 'day')}.`]
        : [];
    setCurrentDetails([details, '', changes, ...(without.length ? ['', ...without] : [])].join('\n'));
  };
  const runner: DayRunner = new DayRunner(
    {
      dataset,
      trigger: 'backfill',
      concurrency,
      onBusy: 'wait',
      onOutcome: showDetails,
      child: {
        label: 'reprocess',
        async run(day, options) {
          // The child starts with DayStatus `running` among its attributes: no upsert of its own at its start.
          const result = await executeChild(reprocessDayWorkflow, {
            workflowId: reprocessDayWorkflowId(dataset, day),
            args: [{ dataset, day }],
            ...options,
            typedSearchAttributes: [
              ...options.typedSearchAttributes,
              { key: DAY_STATUS_ATTRIBUTE, value: DAY_RUNNING },
            ],
          });
          countReprocessed(totals, result);
          return result;
        },
      },
    },
    carry?.tally ?? emptyTally(),
  );
  setHandler(reprocessProgressQuery, progress);
  // Since REPROCESS_BATCHES_PATCH the days are re-derived in batches by one activity each, no child per day.
  const batched = patched(REPROCESS_BATCHES_PATCH);
  const reprocessBatch = async (days: DeliveryDay[]): Promise<DayOutcome[]> => {
    const outcomes = await reprocessBatches.reprocessStoredDays({ dataset, days });
    const recorded: DayOutcome[] = outcomes.map((outcome) => {
      if (!outcome.ok) return { day: outcome.day, status: 'failed', reason: outcome.reason };
      countReprocessed(totals, outcome.result);
      return outcomeOf(outcome.day, outcome.result);
    });
    // A day the batch gave no outcome for is failed, never silently left out of the run.
    const answered = new Set(recorded.map((outcome) => outcome.day));
    for (const day of days) {
      if (!answered.has(day))
        recorded.push({ day, status: 'failed', reason: 'the batch reported no outcome for it' });
    }
    return recorded;
  };

  let queue: DeliveryDay[];
  if (carry) queue = carry.remaining;
  else {
    const plan = await reprocessPlanner.planReprocessDays({ dataset, from, to });
    queue = plan.days;
    total = plan.days.length;
    withoutRawAnswer = plan.withoutRawAnswer;
  }
  showDetails();

  let startedThisRun = 0;
  while (queue.length > 0) {
    if (startedThisRun >= daysPerRun || workflowInfo().continueAsNewSuggested) break;
    if (batched) {
      const size = reprocessBatchSize(Math.min(queue.length, daysPerRun - startedThisRun), concurrency);
      const batch = queue.splice(0, size);
      await runner.launchBatch(batch, reprocessBatch);
      startedThisRun += batch.length;
    } else {
      await runner.launch(queue.shift()!);
      startedThisRun += 1;
    }
    showDetails();
  }
  await (batched ? runner.idleBatches() : runner.idle());
  if (queue.length > 0) {
    await continueAsNew<typeof reprocessWorkflow>(input, {
      remaining: queue,
      total,
      tally: runner.tally,
      totals,
      withoutRawAnswer,
    });
  }
  showDetails();
  return {
    dataset,
    from,
    to,
    total,
    byStatus: runner.tally.byStatus,
    notCompleted: runner.tally.notCompleted,
    withoutRawAnswer,
    ...totals,
  };
}

/** One day re-derived from its stored raw answer; ends with the day's status (DayStatus), fails only if it could not. */
export async function reprocessDayWorkflow(input: ReprocessDayInput): Promise<ReprocessDayResult> {
  const info = workflowInfo();
  const parsed = parseReprocessDayInput(input, new Date(), info.parent ? null : info.workflowId);
  if (!parsed.ok) throw ApplicationFailure.nonRetryable(`invalid input: ${parsed.message}`, INVALID_INPUT);
  const { dataset, day } = parsed.value;
  // Its parent started it with these; a run started from outside (the Web UI may copy an old run's) sets them.
  if (!info.parent) {
    upsertSearchAttributes([
      { key: DATASET_ATTRIBUTE, value: dataset },
      { key: DELIVERY_DAY_ATTRIBUTE, value: day },
      { key: DAY_STATUS_ATTRIBUTE, value: DAY_RUNNING },
    ]);
    setCurrentDetails(`${dataset} ${day}: reprocessing its stored raw answer`);
  }
  try {
    const result = await localReprocess.reprocessStoredDay({
      dataset,
      day,
      horizonStartMs: info.runStartTime.getTime(),
    });
    upsertSearchAttributes([{ key: DAY_STATUS_ATTRIBUTE, value: result.status }]);
    return result;
  } catch (error) {
    if (isCancellation(error)) throw error;
    // Nothing of the day was written: the run failed, the day keeps what it had.
    upsertSearchAttributes([{ key: DAY_STATUS_ATTRIBUTE, value: 'failed' }]);
    const cause = error instanceof ActivityFailure ? (error.cause ?? error) : error;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw ApplicationFailure.nonRetryable(`reprocessing ${day} failed: ${message}`, REPROCESS_FAILED);
  }
}
