// A day run cancelled on its own (an operator cancels one day in the Web UI) is not the cancellation of the
// backfill, poll or publication window that started it: the parent records the day and goes on.
import { CancellationScope, ChildWorkflowFailure, isCancellation } from '@temporalio/workflow';

/** True when `error` is the cancellation of the child alone, the parent itself going on. */
export function isChildOnlyCancellation(error: unknown): boolean {
  return (
    error instanceof ChildWorkflowFailure &&
    isCancellation(error) &&
    !CancellationScope.current().consideredCancelled
  );
}

export const CANCELLED_DAY_REASON = 'its day workflow was cancelled (nothing written by that run)';
