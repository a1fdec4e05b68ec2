import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { DATASET_ATTRIBUTE, DELIVERY_DAY_ATTRIBUTE } from '../common/searchAttributes';
import { type DayInput, type DayRequest, type DayResult, parseDayInput } from '../domain/workflowInputs';
import { fetchActivities, localStore } from './activities';
import { fetchPriorityOf } from './fetchPriority';

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
  return parsed.value;
}

/** One delivery day: fetch → validate → write. Ends with the day's status; throws only when the day failed. */
export async function deliveryDayWorkflow(input: DayInput): Promise<DayResult> {
  const { dataset, day, trigger } = dayRequestOf(input);
  upsertSearchAttributes([
    { key: DATASET_ATTRIBUTE, value: dataset },
    { key: DELIVERY_DAY_ATTRIBUTE, value: day },
  ]);

  let stage: DayStage = 'fetching';
  setHandler(dayStageQuery, () => stage);

  try {
    const fetched = await fetchActivities(fetchPriorityOf(trigger)).fetchDayFromJao({ dataset, day });
    stage = 'validating';
    const ref = { dataset, day, rawResponseId: fetched.rawResponseId };
    await localStore.validateStoredDay(ref);
    stage = 'writing';
    const result = await localStore.writeStoredDay(ref);
    stage = 'done';
    return result;
  } catch (error) {
    if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
    stage = 'failed';
    const message = error.cause?.message ?? error.message;
    await CancellationScope.nonCancellable(() =>
      localStore.recordDayFailure({ dataset, day, error: message }),
    );
    throw ApplicationFailure.nonRetryable(`${dataset} ${day} failed: ${message}`, DAY_FAILED);
  }
}
