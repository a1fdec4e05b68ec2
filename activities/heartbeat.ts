import { Context } from '@temporalio/activity';
import { HEARTBEAT_INTERVAL_MS } from '../domain/timeBudget';

/**
 * Heartbeats every `everyMs` while `work` runs, so a worker that dies mid-activity is noticed within the
 * activity's heartbeat timeout instead of its (longer) start-to-close timeout. Local activities cannot
 * heartbeat (their workflow task's timeout plays that role). The first beat comes after `everyMs`, not at the
 * start: the heartbeat timeout counts from the start anyway, and most activities end within milliseconds, so a
 * beat at the start would cost the server a write per activity for nothing. Each beat carries what `details` gives.
 */
export async function withHeartbeat<T>(
  work: () => Promise<T>,
  everyMs = HEARTBEAT_INTERVAL_MS,
  details?: () => unknown,
): Promise<T> {
  const context = Context.current();
  if (context.info.isLocal) return work();
  const timer = setInterval(() => context.heartbeat(details?.()), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
