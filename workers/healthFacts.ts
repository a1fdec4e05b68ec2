// The facts behind the pipeline's health verdict (domain/health.ts), gathered from Temporal and the database: what
// `jao health` judges and what the worker's health gauges export. A source that cannot be read is recorded as such.
// From Temporal: the state of the poll and publication schedules, and whether workers poll the workflow and fetch
// queues.
import { type Client, type Connection, ScheduleNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type pg from 'pg';
import { archiveLag } from '../archive/ship';
import type { Config } from '../common/config';
import { pollAgesMs } from '../control/fetchRateLimit';
import { pollScheduleIdFor } from '../control/pollSchedule';
import { publicationScheduleIdFor } from '../control/publicationSchedule';
import { readRegionMode } from '../db/monitoringSteps';
import { readStatusReport } from '../db/statusReport';
import { readTimescaleJobs } from '../db/timescaleJobs';
import { addDays, marketTomorrow } from '../domain/calendar';
import { type DatasetPublicationSettings, freshnessDeadlineOf } from '../domain/datasetSource';
import { declarationOf } from '../domain/datasets';
import type { DatasetSchedule, HealthFacts, PolledQueue, QueueState, ScheduleState } from '../domain/health';
import { monitoredRegions, monitoringModeSettingsOf } from '../domain/monitoring';
import type { Dataset } from '../domain/types';
import { fetchTaskQueueOf } from '../domain/workflowInputs';
import { messageOf } from './startupSteps';

export type HealthSettings = Pick<
  Config,
  | 'TEMPORAL_NAMESPACE'
  | 'TEMPORAL_TASK_QUEUE'
  | 'HEALTH_POLLER_STALE_AFTER'
  | 'HEALTH_WINDOW_DAYS'
  | 'ARCHIVE_MAX_LAG'
  | 'JAO_DATASETS'
> &
  Partial<
    Pick<
      Config,
      | 'JAO_MONITORING'
      | 'MONITORING_INTERVAL'
      | 'MONITORING_QUIET_INTERVAL'
      | 'MONITORING_FAILURES_BEFORE_POLLS'
      | 'MONITORING_STALE_AFTER'
    >
  > &
  DatasetPublicationSettings;

export type Lender<R> = <T>(use: (resource: R) => Promise<T>) => Promise<T>;

export interface HealthSources {
  temporal: Lender<{ client: Client; connection: Connection }>;
  database: Lender<pg.Pool>;
}

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
  const schedules = await datasetSchedules(client, settings.taskQueue, settings.datasets);
  const queues: PolledQueue[] = [];
  for (const [taskQueue, role, type] of [
    [settings.taskQueue, 'workflows, validate and write', TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
    [fetchTaskQueueOf(settings.taskQueue), 'JAO fetches', TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
  ] as const) {
    queues.push({ taskQueue, role, state: await queueState(connection, settings, taskQueue, type, now) });
  }
  return { schedules, queues };
}

/** The first day of a dataset's health window: HEALTH_WINDOW_DAYS before tomorrow, not before its first day. */
export function healthWindowStart(dataset: Dataset, tomorrow: string, windowDays: number): string {
  const start = addDays(tomorrow, -windowDays);
  const { firstDay } = declarationOf(dataset);
  // biome-ignore lint/complexity/useMathMinMax: days are ISO strings, which Math.max does not order
  return start < firstDay ? firstDay : start;
}

export async function gatherHealthFacts(
  settings: HealthSettings,
  sources: HealthSources,
  now: Date,
): Promise<HealthFacts> {
  const datasets = settings.JAO_DATASETS;
  const facts: HealthFacts = { temporalError: null, databaseError: null, reports: [] };
  try {
    Object.assign(
      facts,
      await sources.temporal((temporal) =>
        readTemporalHealth(
          temporal,
          {
            namespace: settings.TEMPORAL_NAMESPACE,
            taskQueue: settings.TEMPORAL_TASK_QUEUE,
            pollerStaleAfterMs: settings.HEALTH_POLLER_STALE_AFTER,
            datasets,
          },
          now.getTime(),
        ),
      ),
    );
  } catch (error) {
    facts.temporalError = messageOf(error);
    facts.queues = [];
  }
  try {
    const tomorrow = marketTomorrow(now);
    for (const dataset of datasets) {
      const range = { from: healthWindowStart(dataset, tomorrow, settings.HEALTH_WINDOW_DAYS), to: tomorrow };
      const deadline = freshnessDeadlineOf(dataset, settings);
      const report = await sources.database((pool) => readStatusReport(pool, range, now, deadline, dataset));
      facts.reports.push({ dataset, report });
    }
    const lag = await sources.database((pool) => archiveLag(pool));
    facts.archive = {
      pending: lag.pending,
      oldestAgeMs: lag.oldest === null ? null : Math.max(0, now.getTime() - lag.oldest.getTime()),
      maxLagMs: settings.ARCHIVE_MAX_LAG,
    };
    const regions =
      settings.JAO_MONITORING === 'on' ? monitoredRegions(settings.JAO_DATASETS.map(declarationOf)) : [];
    facts.monitoring = [];
    const modeSettings = monitoringModeSettingsOf(settings);
    for (const region of regions) {
      facts.monitoring.push(
        await sources.database((pool) => readRegionMode(pool, region, now, modeSettings)),
      );
    }
  } catch (error) {
    facts.databaseError = messageOf(error);
    return facts;
  }
  try {
    const jobs = await sources.database((pool) => readTimescaleJobs(pool));
    if (jobs) facts.timescaleJobs = { checkedAt: now, jobs };
  } catch (error) {
    facts.timescaleJobs = { error: messageOf(error) };
  }
  return facts;
}
