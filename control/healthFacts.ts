// What Temporal says about the pipeline's health (`jao health`, the worker's health gauges): the state of the poll
// and publication schedules, and whether workers poll the workflow and fetch queues.
import { type Client, type Connection, ScheduleNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { DatasetSchedule, HealthFacts, PolledQueue, QueueState, ScheduleState } from '../domain/health';
import type { Dataset } from '../domain/types';
import { fetchTaskQueueOf } from '../domain/workflowInputs';
import { pollAgesMs } from './fetchRateLimit';
import { pollScheduleIdFor } from './pollSchedule';
import { publicationScheduleIdFor } from './publicationSchedule';

const { TaskQueueType } = temporal.api.enums.v1;

export interface TemporalHealthSettings {
  namespace: string;
  taskQueue: string;
  /** HEALTH_POLLER_STALE_AFTER: a queue not polled for this long has no worker. */
  pollerStaleAfterMs: number;
  /** The datasets whose poll and publication schedules are read (JAO_DATASETS). */
  datasets: readonly Dataset[];
}

/** Whether any worker polled the queue within pollerStaleAfterMs (pollers long-poll, so an idle one shows too). */
async function queueState(
  connection: Connection,
  settings: TemporalHealthSettings,
  taskQueue: string,
  type: temporal.api.enums.v1.TaskQueueType,
  now: number,
): Promise<QueueState> {
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace: settings.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: type,
  });
  const ages = pollAgesMs(pollers, now);
  if (ages.length === 0) return { kind: 'unpolled', lastPollAgeMs: null };
  const recent = ages.filter((age) => age <= settings.pollerStaleAfterMs).length;
  if (recent > 0) return { kind: 'polled', pollers: recent };
  return { kind: 'unpolled', lastPollAgeMs: Math.min(...ages) };
}

/** A schedule's state, and its note while paused (the reason, and who paused it when they said). */
async function scheduleState(
  client: Client,
  scheduleId: string,
): Promise<{ state: ScheduleState; pauseNote?: string }> {
  try {
    const { state } = await client.schedule.getHandle(scheduleId).describe();
    return state.paused ? { state: 'paused', pauseNote: state.note ?? '' } : { state: 'running' };
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    return { state: 'missing' };
  }
}

/** The poll and publication schedules of each dataset, in that order. */
async function datasetSchedules(
  client: Client,
  taskQueue: string,
  datasets: readonly Dataset[],
): Promise<DatasetSchedule[]> {
  const schedules: DatasetSchedule[] = [];
  for (const dataset of datasets) {
    for (const scheduleId of [
      pollScheduleIdFor(taskQueue, dataset),
      publicationScheduleIdFor(taskQueue, dataset),
    ]) {
      schedules.push({ dataset, scheduleId, ...(await scheduleState(client, scheduleId)) });
    }
  }
  return schedules;
}

/** The schedules and queues of the configured task queue; throws when Temporal cannot be asked. */
export async function readTemporalHealth(
  temporalClient: { client: Client; connection: Connection },
  settings: TemporalHealthSettings,
  now = Date.now(),
): Promise<Required<Pick<HealthFacts, 'queues' | 'schedules'>>> {
  const { client, connection } = temporalClient;
  const queues: PolledQueue[] = [
    { taskQueue: settings.taskQueue, role: 'workflows, validate and write', state: { kind: 'unknown' } },
    { taskQueue: fetchTaskQueueOf(settings.taskQueue), role: 'JAO fetches', state: { kind: 'unknown' } },
  ];
  const schedules = await datasetSchedules(client, settings.taskQueue, settings.datasets);
  const types = [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY];
  for (const [index, queue] of queues.entries()) {
    queue.state = await queueState(connection, settings, queue.taskQueue, types[index]!, now);
  }
  return { schedules, queues };
}
