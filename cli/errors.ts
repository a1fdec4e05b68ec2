import { connectionErrorMessage } from '../db/pool';

/** A mistake of the person at the keyboard: printed as one line, exit code 2, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** "Workflow execution failed" alone says nothing: the causes say why (an activity's error, a bad input…). */
export function messageWithCauses(error: unknown): string {
  const messages: string[] = [];
  for (let current: unknown = error; current !== undefined && messages.length < 5; ) {
    const message = connectionErrorMessage(current);
    // A wrapper that quotes its cause ("step: cause") already said it.
    if (message && !messages.some((said) => said.includes(message))) messages.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return messages.join(': ');
}
