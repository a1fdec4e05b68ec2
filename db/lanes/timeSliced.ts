// Runs a lane's long work (reading a day of tens of thousands of constraint rows, making its versions) in slices,
// giving the event loop back between them: the worker's workflow tasks complete through this thread, and one day's
// answer held it for seconds (TMPRL1104, docs/operations.md "Workflow tasks over 5 seconds").
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Steps } from '../../domain/steps';

/** How long a slice holds the thread: a workflow task waits for at most about this long behind it. */
export const SLICE_MS = 20;

/** Runs the work to its end, handing the thread back whenever a slice has lasted `sliceMs`. */
export async function runTimeSliced<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
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
