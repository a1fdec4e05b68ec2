import {
  ActivityFailure,
  ApplicationFailure,
  defineQuery,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { DATASET_ATTRIBUTE, DELIVERY_DAY_ATTRIBUTE } from '../common/searchAttributes';
import { type DayInput, type DayResult, parseDayInput } from '../domain/workflowInputs';
import { fetchActivities, store } from './activities';

export type DayStage = 'fetching' | 'validating' | 'writing' | 'done' | 'failed';
export const dayStageQuery = defineQuery<DayStage>('stage');

export const INVALID_INPUT = 'InvalidInput';
export const DAY_FAILED = 'DayFailed';

/** One delivery day: fetch → validate → write. Ends with the day's status; throws only when the day failed. */
export async function deliveryDayWorkflow(input: DayInput): Promise<DayResult> {
  const parsed = parseDayInput(input);
  if (!parsed.ok) throw ApplicationFailure.nonRetryable(`invalid input: ${parsed.message}`, INVALID_INPUT);
  const { dataset, day } = parsed.value;
  upsertSearchAttributes([
    { key: DATASET_ATTRIBUTE, value: dataset },
    { key: DELIVERY_DAY_ATTRIBUTE, value: day },
  ]);

  let stage: DayStage = 'fetching';
  setHandler(dayStageQuery, () => stage);

  try {
    const fetched = await fetchActivities().fetchDayFromJao({ dataset, day });
    stage = 'validating';
    const ref = { dataset, day, rawResponseId: fetched.rawResponseId };
    await store.validateStoredDay(ref);
    stage = 'writing';
    const result = await store.writeStoredDay(ref);
    stage = 'done';
    return result;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    stage = 'failed';
    const message = error.cause?.message ?? error.message;
    await store.recordDayFailure({ dataset, day, error: message });
    throw ApplicationFailure.nonRetryable(`${dataset} ${day} failed: ${message}`, DAY_FAILED);
  }
}
