// Activity proxies shared by the workflows, with their timeouts and retry policies (DESIGN.md §5).
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { FetchActivities, StoreActivities } from '../activities';
import { fetchTaskQueueOf } from '../domain/workflowInputs';

const NON_RETRYABLE = ['JaoPermanentError', 'JaoRejected'];

/** Fetches run on the fetch queue next to the workflow's own queue, where a queue-wide rate limit applies. */
export function fetchActivities() {
  return proxyActivities<FetchActivities>({
    taskQueue: fetchTaskQueueOf(workflowInfo().taskQueue),
    startToCloseTimeout: '3 minutes',
    heartbeatTimeout: '15 seconds',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts: 8,
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
  });
}

export const store = proxyActivities<StoreActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '15 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
  },
});
