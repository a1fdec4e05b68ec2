// Runs a lane's long work (reading a day of tens of thousands of constraint rows, making its versions) in slices,
// giving the event loop back between them: the worker's workflow tasks complete through this thread, and one day's
// answer held it for seconds (TMPRL1104, docs/operations.md "Workflow tasks over 5 seconds"). The process runs one
// such work at a time, the others queued in the order they came: two at once would each take a slice in the same
// turn of the loop, and hold their days' parsed answers in memory together.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Steps } from '../../domain/steps';

/** How long a slice holds the thread: a workflow task waits behind it for about this long at most. */
export const SLICE_MS = 20;

/** The last work queued: the next one starts when it has ended, however it ended. */
let lastQueued: Promise<unknown> = Promise.resolve();

/** Runs the work to its end after the works queued before it, giving the thread back whenever a slice has lasted `sliceMs`. */
export function runTimeSliced<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  const run = lastQueued.then(() => inSlices(steps, sliceMs));
  lastQueued = run.catch(() => undefined);
  return run;
}

async function inSlices<T>(steps: Steps<T>, sliceMs: number): Promise<T> {
  // A turn of the loop between two works, as between two slices of one.
  await nextTurn();
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}
