import type { ActivityFailure, ChildWorkflowFailure } from '@temporalio/common';
import { connectionErrorMessage } from '../db/pool';

/** A mistake of the person at the keyboard: printed as one line, exit code 2, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** How many errors of a cause chain are read (a chain is a few deep: workflow, child, activity, application). */
const MAX_CAUSES = 8;

/**
 * What a link of Temporal's failure chain says: nothing for a wrapper whose cause says why ("Workflow execution
 * failed", "Activity task failed", "Child Workflow execution failed"), except the activity or child a timeout or a
 * termination ended; its own message for anything else. Matched by the SDK's error names, so that printing a
 * failure does not load the SDK.
 */
function ownMessage(error: unknown): string {
  if (!(error instanceof Error)) return connectionErrorMessage(error);
  const cause = error.cause;
  const causeName = cause instanceof Error ? cause.name : undefined;
  const endedBy = causeName === 'TimeoutFailure' || causeName === 'TerminatedFailure';
  switch (error.name) {
    case 'WorkflowFailedError':
      return cause instanceof Error && error.message === 'Workflow execution failed' ? '' : error.message;
    case 'ActivityFailure':
      if (!(cause instanceof Error)) return error.message;
      return endedBy ? `activity ${(error as ActivityFailure).activityType}` : '';
    case 'ChildWorkflowFailure':
      if (!(cause instanceof Error)) return error.message;
      return endedBy ? `child workflow ${(error as ChildWorkflowFailure).execution.workflowId}` : '';
    default:
      return connectionErrorMessage(error);
  }
}

/**
 * Why something failed, in one line: the messages along the error's causes, without Temporal's wrappers (a
 * workflow's failure reads as the root cause the activity or child raised, "the database holds 3 day(s): …",
 * never "Activity task failed" alone). Every command prints failures through it (cli/main.ts, rerun's outcomes).
 */
export function messageWithCauses(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < MAX_CAUSES; depth++) {
    const message = ownMessage(current);
    // A wrapper that quotes its cause ("step: cause") already said it.
    if (message && !messages.some((said) => said.includes(message))) messages.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return messages.join(': ') || (error instanceof Error ? error.message : String(error));
}
