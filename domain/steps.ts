// Long pure work written as a generator that yields between its steps (a row read, a version made), so that a caller
// on a busy event loop can run it in slices (db/lanes/timeSliced.ts) and a caller that is not can run it at once.

/** Work that yields nothing between its steps and returns T when done. */
export type Steps<T> = Generator<void, T, void>;

/** Runs the work to its end without giving the thread back. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
