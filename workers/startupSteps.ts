// The worker's start-up steps: each names what it does when it fails, ends at once on a stop request, and a step
// against Temporal waits out a server that is still starting (compose restarts Temporal with its database, and a
// frontend answers UNAVAILABLE until its history and matching services have joined).
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../common/config';

/** Start-up ended by a stop request before the workers ran. */
export class StartupAborted extends Error {
  override name = 'StartupAborted';
  constructor() {
    super('stopped during start-up');
  }
}

/** A start-up step that failed, with what it was doing. */
export class StartupFailed extends Error {
  override name = 'StartupFailed';
}

/** `step`, or StartupAborted as soon as `signal` is aborted (the step is abandoned, not waited for). */
export function untilStopped<T>(step: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return step;
  if (signal.aborted) return Promise.reject(new StartupAborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new StartupAborted());
    signal.addEventListener('abort', onAbort, { once: true });
    step.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Waits for `work` at most `ms`; cleanup after a failed start-up, or a stop, must not hang the exit. */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  const timeout = new AbortController();
  const pause = sleep(ms, undefined, { signal: timeout.signal }).catch(() => {});
  await Promise.race([work.catch(() => {}), pause]);
  timeout.abort();
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Prefixes a failed step's error with what the step was (a stop request passes unchanged). */
export async function step<T>(what: string, work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  try {
    return await untilStopped(work, signal);
  } catch (error) {
    // A setting to fix names itself in one line (common/config.ts): the step adds nothing to it.
    if (error instanceof StartupAborted || error instanceof ConfigError) throw error;
    throw new StartupFailed(`${what}: ${messageOf(error)}`, { cause: error });
  }
}

/** gRPC DEADLINE_EXCEEDED or UNAVAILABLE anywhere in an error's causes: a server still starting, worth a retry. */
export function isTransientTemporalError(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 4 || code === 14 || /\b(DEADLINE_EXCEEDED|UNAVAILABLE)\b/.test(cause.message)) return true;
  }
  return false;
}

export interface TemporalPatience {
  /** How long a step keeps trying while Temporal answers transiently. */
  patienceMs: number;
  /** The pause after the first transient failure; each later one doubles, up to `maxPauseMs`. */
  firstPauseMs: number;
  maxPauseMs: number;
}

/** Two minutes: a Temporal restarted with its database (compose `up`) answered UNAVAILABLE for 40 s here. */
export const TEMPORAL_STARTUP_PATIENCE: TemporalPatience = {
  patienceMs: 120_000,
  firstPauseMs: 500,
  maxPauseMs: 5_000,
};

/**
 * A start-up step against Temporal that is safe to repeat (create-or-update), tried again after a growing pause while
 * Temporal answers UNAVAILABLE or DEADLINE_EXCEEDED, each wait in one line; any other failure, or one past the
 * patience, ends start-up naming the step. `passThrough` errors (a configuration conflict) are thrown as they are.
 */
export async function temporalStep<T>(
  what: string,
  work: () => Promise<T>,
  options: {
    signal: AbortSignal | undefined;
    log: (line: string) => void;
    patience?: TemporalPatience;
    passThrough?: (error: unknown) => boolean;
  },
): Promise<T> {
  const patience = options.patience ?? TEMPORAL_STARTUP_PATIENCE;
  const started = Date.now();
  let pauseMs = patience.firstPauseMs;
  for (;;) {
    try {
      return await untilStopped(work(), options.signal);
    } catch (error) {
      if (error instanceof StartupAborted || options.passThrough?.(error)) throw error;
      const waited = Date.now() - started;
      if (!isTransientTemporalError(error) || waited + pauseMs > patience.patienceMs)
        throw new StartupFailed(`${what}: ${messageOf(error)}`, { cause: error });
      options.log(
        `${what}: Temporal is not ready (${messageOf(error)}); trying again in ${pauseMs / 1000} s ` +
          `(${Math.round(waited / 1000)} s of ${patience.patienceMs / 1000} s)`,
      );
      const pause = sleep(pauseMs, undefined, { signal: options.signal }).catch(() => undefined);
      await untilStopped(pause, options.signal);
      pauseMs = Math.min(pauseMs * 2, patience.maxPauseMs);
    }
  }
}
