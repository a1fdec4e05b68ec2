// The note a schedule shows while it runs, read back from the schedule itself (its spec and its workflow's
// input), so an unpause restores what the schedule really does rather than what this machine's config says.
import type { ScheduleDescription } from '@temporalio/client';
import { parsePublicationWindowInput } from '../domain/publicationWindow';
import { parsePollInput } from '../domain/workflowInputs';
import { pollScheduleNote } from './pollSchedule';
import { publicationScheduleNote } from './publicationSchedule';

/** Undefined for a schedule this project did not make (or whose input no longer parses). */
export function describedScheduleNote(description: ScheduleDescription): string | undefined {
  const { action } = description;
  if (action.type !== 'startWorkflow') return undefined;
  const input = action.args?.[0];
  if (action.workflowType === 'pollWorkflow') {
    const every = description.spec.intervals?.[0]?.every;
    const poll = parsePollInput(input);
    if (!poll.ok || every === undefined) return undefined;
    return pollScheduleNote({ taskQueue: action.taskQueue, intervalMs: every, ...poll.value });
  }
  if (action.workflowType === 'publicationWindowWorkflow') {
    const publication = parsePublicationWindowInput(input);
    if (!publication.ok) return undefined;
    const { dataset, window, checkIntervalMs } = publication.value;
    return publicationScheduleNote({ taskQueue: action.taskQueue, dataset, window, checkIntervalMs });
  }
  return undefined;
}
