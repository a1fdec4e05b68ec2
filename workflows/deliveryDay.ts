import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
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
import type { DayStatus } from '../domain/types';
import {
  checkStartedDay,
  type DayInput,
  type DayRequest,
  type DayResult,
  parseDayInput,
  type Trigger,
} from '../domain/workflowInputs';
import { failureStore, fetchActivities, legacyLocalFailureStore, localStore } from './activities';
import { fetchPriorityOf } from './fetchPriority';
import {
  CHILD_STARTS_RUNNING_PATCH,
  DAY_OUTCOME_PATCH,
  DAY_RUNNING_PATCH,
  OPERATOR_RERUN_PATCH,
  RECORD_EVERY_FAILURE_PATCH,
  UNRECORDED_FAILURE_PATCH,
} from './patches';

export type DayStage = 'fetching' | 'validating' | 'writing' | 'done' | 'failed';
export const dayStageQuery = defineQuery<DayStage>('stage');

export const INVALID_INPUT = 'InvalidInput';
export const DAY_FAILED = 'DayFailed';

/**
 * Input from outside (client, Web UI, schedule) is parsed with zod; a child's input comes from its backfill or
 * poll parent, which built it from input it had already parsed, so the day workflow skips the cost there.
 */
function dayRequestOf(input: DayInput): DayRequest {
  if (workflowInfo().parent) {
    return { dataset: input.dataset ?? 'maxExchanges', day: input.day, trigger: input.trigger ?? 'manual' };
  }
  const parsed = parseDayInput(input);
  if (!parsed.ok) throw ApplicationFailure.nonRetryable(`invalid input: ${parsed.message}`, INVALID_INPUT);
  if (patched(DAY_OUTCOME_PATCH)) {
    const started = checkStartedDay(parsed.value, workflowInfo().workflowId, new Date());
    if (!started.ok)
      throw ApplicationFailure.nonRetryable(`invalid input: ${started.message}`, INVALID_INPUT);
  }
  if (patched(OPERATOR_RERUN_PATCH))
    return { ...parsed.value, trigger: operatorTriggerOf(parsed.value.trigger) };
  return parsed.value;
}

/** Only the CLI and the Web UI (or a client) start a day with no parent: `backfill` or `poll` was copied in. */
const operatorTriggerOf = (trigger: Trigger): Trigger => (trigger === 'cli' ? 'cli' : 'manual');

function failureMessageOf(error: unknown): string {
  if (error instanceof ActivityFailure) return error.cause?.message ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Started `running` by its backfill or poll (DayRunner, CHILD_STARTS_RUNNING_PATCH): the start already carries
 * Dataset, DeliveryDay and DayStatus `running`, and the parent runs a build that takes every patch this workflow
 * checked before (DAY_RUNNING_PATCH, FETCH_PRIORITY_PATCH, DAY_OUTCOME_PATCH, RECORD_EVERY_FAILURE_PATCH,
 * UNRECORDED_FAILURE_PATCH). Such a day upserts nothing at its start and checks none of those: each check records
 * a marker and upserts TemporalChangeVersion, events that made up most of a backfill day's history. Its own
 * patched() call keeps a history written by an older build (a child of a new parent run by an old worker) on the
 * old path when replayed. A patch added after this one is checked with patched() like any other.
 */
function startedRunningByParent(): boolean {
  const info = workflowInfo();
  return (
    info.parent !== undefined &&
    info.typedSearchAttributes.get(DAY_STATUS_ATTRIBUTE) === DAY_RUNNING &&
    patched(CHILD_STARTS_RUNNING_PATCH)
  );
}

function recordOutcome(status: DayStatus, preset: boolean): void {
  if (preset || patched(DAY_OUTCOME_PATCH))
    upsertSearchAttributes([{ key: DAY_STATUS_ATTRIBUTE, value: status }]);
}

/** One delivery day: fetch → validate → write. Ends with the day's status; throws only when the day failed. */
export async function deliveryDayWorkflow(input: DayInput): Promise<DayResult> {
  const preset = startedRunningByParent();
  const { dataset, day, trigger } = dayRequestOf(input);
  if (!preset) {
    upsertSearchAttributes([
      { key: DATASET_ATTRIBUTE, value: dataset },
      { key: DELIVERY_DAY_ATTRIBUTE, value: day },
    ]);
    if (patched(DAY_RUNNING_PATCH)) {
      upsertSearchAttributes([{ key: DAY_STATUS_ATTRIBUTE, value: DAY_RUNNING }]);
      if (!workflowInfo().parent)
        setCurrentDetails(`${dataset} ${day}: started by an operator (${trigger}), live priority`);
    }
  }

  let stage: DayStage = 'fetching';
  setHandler(dayStageQuery, () => stage);

  // The day's database retry horizon counts from its start (domain/timeBudget.ts), whichever step is retrying.
  const horizonStartMs = workflowInfo().runStartTime.getTime();
  try {
    const fetched = await fetchActivities(fetchPriorityOf(trigger, preset)).fetchDayFromJao({
      dataset,
      day,
      horizonStartMs,
    });
    stage = 'validating';
    const ref = { dataset, day, rawResponseId: fetched.rawResponseId, horizonStartMs };
    await localStore.validateStoredDay(ref);
    stage = 'writing';
    const result = await localStore.writeStoredDay(ref);
    stage = 'done';
    recordOutcome(result.status, preset);
    return result;
  } catch (error) {
    if (isCancellation(error)) throw error;
    const everyFailure =
      !(error instanceof ActivityFailure) && (preset || patched(RECORD_EVERY_FAILURE_PATCH));
    if (!(error instanceof ActivityFailure) && !everyFailure) throw error;
    stage = 'failed';
    const message = failureMessageOf(error);
    const recorder =
      everyFailure || preset || patched(RECORD_EVERY_FAILURE_PATCH) ? failureStore : legacyLocalFailureStore;
    try {
      await CancellationScope.nonCancellable(() =>
        recorder.recordDayFailure({ dataset, day, error: message }),
      );
    } catch (recordError) {
      // The failure could not be stored (the database refused it): the run still says what happened.
      if (preset || patched(UNRECORDED_FAILURE_PATCH)) recordOutcome('failed', preset);
      throw recordError;
    }
    recordOutcome('failed', preset);
    // The run is the day's: its failure says what went wrong, the day is named by the run (and by the activity).
    throw ApplicationFailure.nonRetryable(message, DAY_FAILED);
  }
}
