// Waiting for a condition instead of for a time: a test asks until the answer is there, or fails at a deadline
// with a message naming what it waited for (and, where it helps, the last answer it got).
import { inspect } from 'node:util';

/** The longest pause between two asks. */
const MAX_EVERY_MS = 100;

/** How long to wait, and how often to ask. */
export interface Patience {
  /** Counted from the first ask; 30 s unless told. */
  timeoutMs?: number;
  /** The pause between two asks: 100 ms unless told, never more. */
  everyMs?: number;
  /**
   * A probe that throws has no answer yet and is asked again (a server that accepts a call only moments later);
   * at the deadline its last error is named. Otherwise its error fails the wait at once.
   */
  retryErrors?: boolean;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const shown = (value: unknown) =>
  inspect(value, { depth: 4, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 200 });

/** Reads until `done` holds for what was read; at the deadline, `lastSeen` names the last read in the failure. */
async function poll<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 30_000, everyMs = MAX_EVERY_MS, retryErrors = false }: Patience,
  lastSeen?: (value: T) => string,
): Promise<T> {
  if (everyMs > MAX_EVERY_MS) throw new RangeError(`asks at most ${MAX_EVERY_MS} ms apart, not ${everyMs}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: { value: T } | { error: unknown };
    try {
      last = { value: await read() };
    } catch (error) {
      if (!retryErrors) throw error;
      last = { error };
    }
    if ('value' in last && done(last.value)) return last.value;
    if (Date.now() > deadline) {
      const seen =
        'value' in last
          ? lastSeen?.(last.value)
          : `last error: ${last.error instanceof Error ? last.error.message : shown(last.error)}`;
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${seen ? `; ${seen}` : ''}`, {
        cause: 'error' in last ? last.error : undefined,
      });
    }
    await pause(everyMs);
  }
}

/** Asks `probe` until it returns a value other than undefined, and returns that value. */
export function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  patience: Patience = {},
): Promise<T> {
  return poll(what, probe, (value) => value !== undefined, patience) as Promise<T>;
}

/** Asks `holds` until it answers true. */
export async function untilTrue(
  what: string,
  holds: () => boolean | Promise<boolean>,
  patience: Patience = {},
): Promise<void> {
  await poll(what, holds, (held) => held, patience);
}

/** Reads until `done` holds for what was read, and returns that; a failure names the last value read. */
export function untilRead<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  patience: Patience = {},
): Promise<T> {
  return poll(what, read, done, patience, (value) => `last seen: ${shown(value)}`);
}
