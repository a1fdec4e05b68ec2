// How many bytes of stored answers one process's store steps read, judge and write at once. A step holds its
// answer's size from before it reads the answer until it ends: the heap it needs grows with that size
// (domain/storedAnswerLimit.ts, HEAP_BYTES_PER_ANSWER_BYTE), and the heap is the process's. Small answers pass
// beside a large one; a second large one waits until the first is done; one larger than the whole budget runs
// alone.
//
// The process's one JavaScript thread is budgeted too: reading and judging a large answer takes it for up to
// seconds at a stretch, and the worker's workflow tasks are completed on that thread. With every flow-based
// dataset's backfill running, dozens of such steps took turns on it and the tasks waited past the SDK's 5 s
// (TMPRL1104). So at most LARGE_STEPS_AT_ONCE steps on a large answer run at once, whatever the heap allows.
import { getHeapStatistics } from 'node:v8';
import { HEAP_BYTES_PER_ANSWER_BYTE } from '../domain/storedAnswerLimit';

/** An answer from this size on (a flow-based day's pages) takes the thread for a while to read and judge. */
export const LARGE_ANSWER_BYTES = 1_000_000;
/** Two, so one large step's database round trips overlap the other's reading. */
export const LARGE_STEPS_AT_ONCE = 2;

interface Waiting {
  bytes: number;
  large: boolean;
  grant: () => void;
}

export class AnswerBudget {
  #free: number;
  #largeRunning = 0;
  readonly #waiting: Waiting[] = [];

  constructor(
    readonly capacityBytes: number,
    readonly largeStepsAtOnce = LARGE_STEPS_AT_ONCE,
  ) {
    this.#free = capacityBytes;
  }

  /** Bytes held by steps running now. */
  get heldBytes(): number {
    return this.capacityBytes - this.#free;
  }

  /** Steps waiting for room. */
  get waitingSteps(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `work` once `answerBytes` (at most the whole budget) are free, and a large answer's slot, and frees them
   * when it ends. A wait aborted by `signal` (the activity cancelled, or timed out on the server) rejects with the
   * signal's reason.
   */
  async hold<T>(answerBytes: number, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const bytes = Math.min(Math.max(Math.ceil(answerBytes), 0), this.capacityBytes);
    const large = answerBytes >= LARGE_ANSWER_BYTES;
    await this.#take(bytes, large, signal);
    try {
      return await work();
    } finally {
      this.#free += bytes;
      if (large) this.#largeRunning -= 1;
      // The next step starts after the event loop's turn: what waited on the thread (a workflow task) goes first.
      setImmediate(() => this.#grantWaiting());
    }
  }

  #fits(bytes: number, large: boolean): boolean {
    return bytes <= this.#free && (!large || this.#largeRunning < this.largeStepsAtOnce);
  }

  #take(bytes: number, large: boolean, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    // A large step arriving behind waiting large ones queues after them.
    if (this.#fits(bytes, large) && !(large && this.#waiting.some((waiting) => waiting.large))) {
      this.#free -= bytes;
      if (large) this.#largeRunning += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiting: Waiting = {
        bytes,
        large,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(waiting);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiting);
    });
  }

  /** Grants every waiting step that fits, oldest first. */
  #grantWaiting(): void {
    for (let index = 0; index < this.#waiting.length; ) {
      const waiting = this.#waiting[index]!;
      if (!this.#fits(waiting.bytes, waiting.large)) {
        index += 1;
        continue;
      }
      this.#free -= waiting.bytes;
      if (waiting.large) this.#largeRunning += 1;
      this.#waiting.splice(index, 1);
      waiting.grant();
    }
  }
}

/**
 * A third of V8's heap limit, in answer bytes. That limit counts the young generation too (Node 24 reports 448 MiB
 * under --max-old-space-size=256, the deployed heap): a third of it is about half the old space, the other half
 * being everything else the worker holds.
 */
export function answerBudgetBytesFor(heapLimitBytes: number): number {
  return Math.floor(heapLimitBytes / 3 / HEAP_BYTES_PER_ANSWER_BYTE);
}

let processBudget: AnswerBudget | undefined;

/** The budget of this process (its heap limit is the process's: --max-old-space-size). */
export function processAnswerBudget(): AnswerBudget {
  processBudget ??= new AnswerBudget(answerBudgetBytesFor(getHeapStatistics().heap_size_limit));
  return processBudget;
}
