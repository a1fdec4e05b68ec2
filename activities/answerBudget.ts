// How many bytes of stored answers one process's store steps read, judge and write at once. A step holds its
// answer's size from before it reads the answer until it ends: the heap it needs grows with that size
// (domain/storedAnswerLimit.ts, HEAP_BYTES_PER_ANSWER_BYTE), and the heap is the process's. Small answers pass
// beside a large one; a second large one waits until the first is done; one larger than the whole budget runs
// alone.
import { getHeapStatistics } from 'node:v8';
import { HEAP_BYTES_PER_ANSWER_BYTE } from '../domain/storedAnswerLimit';

interface Waiting {
  bytes: number;
  grant: () => void;
}

export class AnswerBudget {
  #free: number;
  readonly #waiting: Waiting[] = [];

  constructor(readonly capacityBytes: number) {
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
   * Runs `work` once `answerBytes` (at most the whole budget) are free, and frees them when it ends. A wait aborted
   * by `signal` (the activity cancelled, or timed out on the server) rejects with the signal's reason.
   */
  async hold<T>(answerBytes: number, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const bytes = Math.min(Math.max(Math.ceil(answerBytes), 0), this.capacityBytes);
    await this.#take(bytes, signal);
    try {
      return await work();
    } finally {
      this.#free += bytes;
      this.#grantWaiting();
    }
  }

  #take(bytes: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (bytes <= this.#free) {
      this.#free -= bytes;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiting: Waiting = {
        bytes,
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
    for (const waiting of [...this.#waiting]) {
      if (waiting.bytes > this.#free) continue;
      this.#free -= waiting.bytes;
      this.#waiting.splice(this.#waiting.indexOf(waiting), 1);
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
