// The schedule that keeps the data current: created or updated idempotently (docs/design.md §5).
import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleOptions,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import { countOf } from '../domain/runDetails';
import { POLL_EXECUTION_TIMEOUT_MS } from '../domain/timeBudget';
import type { Dataset } from '../domain/types';
import { type PollInput, TASK_QUEUE } from '../domain/workflowInputs';
import type { pollWorkflow } from '../workflows';

export interface PollScheduleSettings {
  scheduleId?: string;
  taskQueue: string;
  intervalMs: number;
  dataset: Dataset;
  lookbackDays: number;
  lookaheadDays?: number;
}

/**
 * Each dataset and task queue has its own poll schedule, so a worker on another queue never re-points the shared
 * one: `<dataset>-poll` for the default queue (1.x's id for its dataset, domain/datasets/compat.ts),
 * `<dataset>-poll/<queue>` for any other.
 */
export function pollScheduleIdFor(taskQueue: string, dataset: Dataset): string {
  return perQueueId(`${dataset}-poll`, taskQueue);
}

/** `id` for the default task queue, `id/<queue>` for any other (schedules and the workflow ids they start). */
export function perQueueId(id: string, taskQueue: string): string {
  return taskQueue === TASK_QUEUE ? id : `${id}/${taskQueue}`;
}

/** `90 s`, `10 min`, `2 h`: an interval as the schedule's note says it. */
export function durationText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/** What the schedule does and when: its note in the Web UI's Schedules page while it runs. */
export function pollScheduleNote(settings: PollScheduleSettings): string {
  const lookahead = settings.lookaheadDays ?? 1;
  return (
    `${settings.dataset}: Every ${durationText(settings.intervalMs)}: runs pollWorkflow, which fetches ` +
    `${lookahead > 0 ? 'tomorrow and ' : ''}the last ${countOf(settings.lookbackDays, 'day')} ` +
    '(new, late and revised publications); a day already running elsewhere is left to that run.'
  );
}

function scheduleOptions(settings: PollScheduleSettings): ScheduleOptions {
  const scheduleId = settings.scheduleId ?? pollScheduleIdFor(settings.taskQueue, settings.dataset);
  const input: PollInput = {
    dataset: settings.dataset,
    lookbackDays: settings.lookbackDays,
    lookaheadDays: settings.lookaheadDays ?? 1,
  };
  return {
    scheduleId,
    spec: { intervals: [{ every: settings.intervalMs }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    action: {
      type: 'startWorkflow',
      workflowType: 'pollWorkflow' satisfies (typeof pollWorkflow)['name'],
      workflowId: perQueueId(`${input.dataset}/poll`, settings.taskQueue),
      taskQueue: settings.taskQueue,
      args: [input],
      staticSummary: `${input.dataset} poll: tomorrow and the last ${input.lookbackDays} days`,
      workflowExecutionTimeout: POLL_EXECUTION_TIMEOUT_MS,
    },
    state: { note: pollScheduleNote(settings) },
  };
}

/** Creates the queue's poll schedule, or brings an existing one to these settings (keeping its paused state). */
export function ensurePollSchedule(
  client: Client,
  settings: PollScheduleSettings,
): Promise<'created' | 'updated'> {
  return upsertSchedule(client, scheduleOptions(settings));
}

/**
 * Creates a schedule, or brings an existing one to `options` (spec, policies, action and note). A paused
 * schedule stays paused and keeps its note, which is then the pause reason.
 */
export async function upsertSchedule(
  client: Client,
  options: ScheduleOptions,
): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(options.scheduleId).update((previous) => ({
    ...previous,
    spec: options.spec,
    policies: { ...previous.policies, ...options.policies },
    action: { ...options.action },
    state: previous.state.paused ? previous.state : { ...previous.state, note: options.state?.note },
  }));
  return 'updated';
}
