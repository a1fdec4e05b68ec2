import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { FreshnessActivities } from '../activities';
import type { PollsStandDown } from '../domain/monitoring';
import { FRESHNESS_ACTIVITY, FRESHNESS_BACKOFF } from '../domain/timeBudget';
import type { Dataset } from '../domain/types';
import { retryPolicyOf } from './activities';
import { POLLS_STAND_DOWN_ACTIVITY_PATCH } from './patches';

const options = {
  startToCloseTimeout: FRESHNESS_ACTIVITY.startToCloseMs,
  retry: retryPolicyOf(FRESHNESS_BACKOFF),
};
const asLocalActivity = proxyLocalActivities<Pick<FreshnessActivities, 'pollsStandDown'>>(options);
const asActivity = proxyActivities<Pick<FreshnessActivities, 'pollsStandDown'>>(options);

/**
 * Whether the dataset's polls stand down, JAO's monitoring of its region fetching its days: a regular activity, so
 * that no workflow task stays open while it waits (the patch polls-stand-down-activity); a local one before it.
 */
export function askPollsStandDown(input: { dataset: Dataset }): Promise<PollsStandDown> {
  return patched(POLLS_STAND_DOWN_ACTIVITY_PATCH)
    ? asActivity.pollsStandDown(input)
    : asLocalActivity.pollsStandDown(input);
}
