import { Context } from '@temporalio/activity';
import { HEARTBEAT_INTERVAL_MS } from '../domain/timeBudget';

/**
 * Heartbeats every `everyMs` while `work` runs, so a worker that dies mid-activity is noticed within the
 * activity's heartbeat timeout instead of its (longer) start-to-close timeout. Local activities cannot
 * heartbeat (their workflow task's timeout plays that role).
 */
export async function withHeartbeat<T>(work: () => Promise<T>, everyMs = HEARTBEAT_INTERVAL_MS): Promise<T> {
  const context = Context.current();
  if (context.info.isLocal) return work();
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
