// How many workflow tasks the main worker runs at once (docs/operations.md, "Workflow tasks over 5 seconds").
// A workflow task stays open while its local activities run (validate, write, assemble a paged answer: JSON
// parsing and judging of answers of up to megabytes, the COPY text of the flow-based domain), and every activity
// runs on the worker's one JavaScript thread. With the SDK's default of 40 slots, the initial backfills of ten
// datasets (four days at a time each) kept about 40 tasks open whose local activities took turns on that thread:
// on two cores tasks lasted 8 to 60 s (TMPRL1104), and past the 10 s task timeout the server handed the task to a
// new attempt, so the local activity's result reached a task no longer tracked ("Tried to complete untracked local
// activity"). Bounded by the cores, a task's local activities have the thread nearly to themselves; the tasks
// beyond the bound wait on the server, where waiting costs nothing and shows as schedule-to-start latency.
import { availableParallelism } from 'node:os';

/** The SDK's floor while workflows are cached: one slot for the sticky queue, one for the normal queue. */
const MIN_SLOTS = 2;

export function workflowTaskSlots(cores = availableParallelism()): number {
  return Math.max(MIN_SLOTS, cores);
}
