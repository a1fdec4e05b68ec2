import { Context } from '@temporalio/activity';

/**
 * Heartbeats every `everyMs` while `work` runs, so a worker that dies mid-activity is noticed within the
 * activity's heartbeat timeout instead of its (longer) start-to-close timeout.
 */
export async function withHeartbeat<T>(work: () => Promise<T>, everyMs = 2_000): Promise<T> {
  const context = Context.current();
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
