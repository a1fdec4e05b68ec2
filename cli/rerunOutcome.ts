// What `jao rerun --wait` prints for each day it waited for, and the exit code of the whole run.
import type { DayResult } from '../domain/workflowInputs';

/**
 * Exit codes of `rerun --wait` (docs/operations.md): the worst outcome among the days waited for. 2 stays the
 * code of a user's mistake, as for every command.
 */
export const RERUN_EXIT_CODES = {
  /** Every day ended complete. */
  complete: 0,
  /** A day's run failed (retries exhausted, JAO refused the request): nothing new was stored for it. */
  failed: 1,
  /** No run failed, but a day ended partial, invalid or not published. */
  notComplete: 3,
} as const;

export type RerunOutcome =
  | { kind: 'result'; result: DayResult }
  | { kind: 'failed'; workflowId: string; message: string };

export function rerunExitCode(outcomes: readonly RerunOutcome[]): number {
  if (outcomes.some((outcome) => outcome.kind === 'failed' || outcome.result.status === 'failed'))
    return RERUN_EXIT_CODES.failed;
  if (outcomes.some((outcome) => outcome.kind === 'result' && outcome.result.status !== 'complete'))
    return RERUN_EXIT_CODES.notComplete;
  return RERUN_EXIT_CODES.complete;
}

export function describeRerunOutcome(outcome: RerunOutcome): string {
  if (outcome.kind === 'failed') return `${outcome.workflowId} failed: ${outcome.message}`;
  const { result } = outcome;
  const counts = `${result.mtus} MTUs, ${result.points} points, ${result.changedPoints} changed, revision ${result.revision}`;
  return result.reason
    ? `${result.day} ${result.status}: ${counts} (${result.reason})`
    : `${result.day} ${result.status}: ${counts}`;
}
