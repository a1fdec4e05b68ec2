// The longest stretch the event loop was held while some work ran: what a workflow task waits behind on the
// worker's thread (TMPRL1104, docs/operations.md "Workflow tasks over 5 seconds"), read from node's own delay
// histogram.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Runs `work` and returns its result with the longest event-loop delay seen meanwhile, in ms. */
export async function withLongestHold<T>(work: () => Promise<T>): Promise<{ result: T; holdMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  // One turn first, so that the histogram's timer is armed before the work takes the thread.
  await nextTurn();
  try {
    const result = await work();
    await nextTurn();
    return { result, holdMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}
