// The longest stretch the event loop was held while some work ran: what a workflow task waits behind on the
// worker's thread (TMPRL1104, docs/operations.md "Workflow tasks over 5 seconds"), from node's own delay histogram.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** The histogram's timer period, ms: a hold shorter than this reads as up to this. */
const RESOLUTION_MS = 2;

/** Runs `work` and returns its result with the longest event-loop delay seen meanwhile, in ms. */
export async function withLongestHold<T>(work: () => Promise<T>): Promise<{ result: T; holdMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  // The histogram records the time between two of its ticks: a few ticks first, so that it holds a reference when
  // the work takes the thread, and a few after, so that the tick the work delayed is recorded.
  await sleep(5 * RESOLUTION_MS);
  try {
    const result = await work();
    await sleep(5 * RESOLUTION_MS);
    return { result, holdMs: Math.max(0, histogram.max / 1e6 - RESOLUTION_MS) };
  } finally {
    histogram.disable();
  }
}
