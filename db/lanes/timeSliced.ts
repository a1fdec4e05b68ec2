// Runs a lane's long work (reading a day of tens of thousands of constraint rows, making its versions) in slices,
// giving the event loop back between them: the worker's workflow tasks complete through this thread, and one day's
// answer held it for seconds (TMPRL1104, docs/operations.md "Workflow tasks over 5 seconds"). The process runs one
// such work at a time, the others queued in the order they came: two at once would each take a slice in the same
// turn of the loop, and hold their days' parsed answers in memory together. Work started for an activity stops
// between two slices once the activity is cancelled (slicedWorkCancelledBy), and leaves the queue at once.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Steps } from '../../domain/steps';

/** How long a slice holds the thread: a workflow task waits behind it for about this long at most. */
export const SLICE_MS = 20;

/** The last work queued: the next one starts when it has ended, however it ended. */
let lastQueued: Promise<unknown> = Promise.resolve();

/** The signal of the activity whose work runs in this async context, if any. */
const cancellation = new AsyncLocalStorage<AbortSignal>();

/**
 * Runs `work` so that any sliced work it starts stops once `signal` is aborted (its activity cancelled, or its worker
 * shutting down): a queued work leaves the queue at once, a running one at its next slice, with the signal's reason.
 */
export function slicedWorkCancelledBy<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return cancellation.run(signal, work);
}

/** Runs the work to its end after the works queued before it, giving the thread back whenever a slice has lasted `sliceMs`. */
export function runTimeSliced<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  const signal = cancellation.getStore();
  const run = lastQueued.then(() => inSlices(steps, sliceMs, signal));
  lastQueued = run.catch(() => undefined);
  return signal ? untilAborted(run, signal) : run;
}

function untilAborted<T>(run: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    run.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

async function inSlices<T>(steps: Steps<T>, sliceMs: number, signal: AbortSignal | undefined): Promise<T> {
  // A turn of the loop between two works, as between two slices of one.
  await nextTurn();
  signal?.throwIfAborted();
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
}
