import type { Priority } from '@temporalio/common';
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
import { DEFAULT_DATASET } from '../domain/datasets/compat';
import { DOMAIN_PAGE_TAKE } from '../domain/flowBased/paging';
import { answerReadingOf } from '../domain/lanes';
import type { DayStatus } from '../domain/types';
import {
  checkStartedDay,
  type DayInput,
  type DayRequest,
  type DayResult,
  parseDayInput,
  type Trigger,
} from '../domain/workflowInputs';
import { activityStore, failureStore, fetchActivities, localStore, type StoreSteps } from './activities';
import { fetchPriorityOf } from './fetchPriority';
import { fetchPagedDay } from './pagedDay';
import { PAGED_DAY_PATCH, STORE_ACTIVITY_TASKS_PATCH } from './patches';

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
    return { dataset: input.dataset ?? DEFAULT_DATASET, day: input.day, trigger: input.trigger ?? 'manual' };
  }
  const parsed = parseDayInput(input);
  if (!parsed.ok) throw ApplicationFailure.nonRetryable(`invalid input: ${parsed.message}`, INVALID_INPUT);
  const started = checkStartedDay(parsed.value, workflowInfo().workflowId, new Date());
  if (!started.ok) throw ApplicationFailure.nonRetryable(`invalid input: ${started.message}`, INVALID_INPUT);
  return { ...parsed.value, trigger: operatorTriggerOf(parsed.value.trigger) };
}

/** Only the CLI and the Web UI (or a client) start a day with no parent: `backfill` or `poll` was copied in. */
const operatorTriggerOf = (trigger: Trigger): Trigger => (trigger === 'cli' ? 'cli' : 'manual');

function failureMessageOf(error: unknown): string {
  if (error instanceof ActivityFailure) return error.cause?.message ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Started `running` by its backfill or poll (DayRunner): the start already carries Dataset, DeliveryDay and
 * DayStatus `running`, so the day upserts nothing at its start. A run started from outside with copied attributes
 * (the Web UI's "Start Workflow Like This One") has no parent and sets its own.
 */
function startedRunningByParent(): boolean {
  const info = workflowInfo();
  return info.parent !== undefined && info.typedSearchAttributes.get(DAY_STATUS_ATTRIBUTE) === DAY_RUNNING;
}

function recordOutcome(status: DayStatus): void {
  upsertSearchAttributes([{ key: DAY_STATUS_ATTRIBUTE, value: status }]);
}

/**
 * The store steps as activities of their own; a history from before STORE_ACTIVITY_TASKS_PATCH replays them as
 * the local activities it ran.
 */
function storeStepsOf(priority: Priority): StoreSteps {
  return patched(STORE_ACTIVITY_TASKS_PATCH) ? activityStore(priority) : localStore;
}

/** One delivery day: fetch → validate → write. Ends with the day's status; throws only when the day failed. */
export async function deliveryDayWorkflow(input: DayInput): Promise<DayResult> {
  const startedRunning = startedRunningByParent();
  const { dataset, day, trigger, pageSize } = dayRequestOf(input);
  if (!startedRunning) {
    upsertSearchAttributes([
      { key: DATASET_ATTRIBUTE, value: dataset },
      { key: DELIVERY_DAY_ATTRIBUTE, value: day },
    ]);
    upsertSearchAttributes([{ key: DAY_STATUS_ATTRIBUTE, value: DAY_RUNNING }]);
    if (!workflowInfo().parent)
      setCurrentDetails(`${dataset} ${day}: started by an operator (${trigger}), live priority`);
  }

  let stage: DayStage = 'fetching';
  setHandler(dayStageQuery, () => stage);

  // The day's database retry horizon counts from its start (domain/timeBudget.ts), whichever step is retrying.
  const horizonStartMs = workflowInfo().runStartTime.getTime();
  try {
    const priority = fetchPriorityOf(trigger);
    const fetch = fetchActivities(priority);
    const store = storeStepsOf(priority);
    const rawResponseId =
      answerReadingOf(dataset).paging === 'paged' && patched(PAGED_DAY_PATCH)
        ? await fetchPagedDay(fetch, store, {
            dataset,
            day,
            horizonStartMs,
            pageSize: pageSize ?? DOMAIN_PAGE_TAKE,
          })
        : (await fetch.fetchDayFromJao({ dataset, day, horizonStartMs })).rawResponseId;
    stage = 'validating';
    const ref = { dataset, day, rawResponseId, horizonStartMs };
    await store.validateStoredDay(ref);
    stage = 'writing';
    const result = await store.writeStoredDay(ref);
    stage = 'done';
    recordOutcome(result.status);
    return result;
  } catch (error) {
    if (isCancellation(error)) throw error;
    // A failed fetch arrives as an ActivityFailure, a failed local validate/write as an ApplicationFailure: both
    // are recorded, by an activity that outlasts database outages.
    stage = 'failed';
    const message = failureMessageOf(error);
    try {
      await CancellationScope.nonCancellable(() =>
        failureStore.recordDayFailure({ dataset, day, error: message }),
      );
    } catch (recordError) {
      // The failure could not be stored (the database refused it): the run still says what happened.
      recordOutcome('failed');
      throw recordError;
    }
    recordOutcome('failed');
    // The run is the day's: its failure says what went wrong, the day is named by the run (and by the activity).
    throw ApplicationFailure.nonRetryable(message, DAY_FAILED);
  }
}
