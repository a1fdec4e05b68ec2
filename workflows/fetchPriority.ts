// Which fetches go first on the shared, rate-limited fetch queue (docs/design.md §5): live work — the poll, the
// publication-window checks, a day an operator re-runs — before the queued fetches of a backfill.
import type { Priority } from '@temporalio/common';
import type { Trigger } from '../domain/workflowInputs';

/** Task priority keys (1 first … 5 last; the server's default is 3, which is what unmarked tasks get). */
export const LIVE_PRIORITY_KEY = 1;
export const BACKFILL_PRIORITY_KEY = 4;

export function fetchPriorityOf(trigger: Trigger): Priority {
  return { priorityKey: trigger === 'backfill' ? BACKFILL_PRIORITY_KEY : LIVE_PRIORITY_KEY };
}
