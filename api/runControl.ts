// What the operator routes ask of Temporal: start re-runs and backfills (through control/runStarts.ts, as the CLI
// does), list a day's runs, and read the backfills in progress. One connection, made on first use and again after
// a failure; a Temporal that does not answer is TemporalUnavailable (api/temporalClient.ts) (the routes answer 503).
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { DAY_STATUS_ATTRIBUTE } from '../common/searchAttributes';
import { openBackfill, STARTED_BY_MEMO, type StartedBy, startDayRun } from '../control/runStarts';
import type {
  BackfillInProgress,
  DayRun,
  RunStarter,
  StartedBackfill,
  StartedDay,
} from '../domain/apiAnswers';
import type { Dataset, DeliveryDay } from '../domain/types';
import { type BackfillProgress, type BackfillRequest, dayWorkflowId } from '../domain/workflowInputs';
import { LazyTemporalClient, type TemporalSettings } from './temporalClient';

export interface RunControlSettings extends TemporalSettings {
  /** The workflow task queue the worker polls (TEMPORAL_TASK_QUEUE). */
  taskQueue: string;
}

/** At most this many runs of one day are listed (newest first). */
export const MAX_DAY_RUNS = 50;
/** At most this many backfills in progress are listed and asked for their progress. */
export const MAX_BACKFILLS = 20;
const PROGRESS_TIMEOUT_MS = 3_000;

export interface RunControl {
  startDays(dataset: Dataset, days: DeliveryDay[], startedBy: StartedBy): Promise<StartedDay[]>;
  startBackfill(request: BackfillRequest, startedBy: StartedBy): Promise<StartedBackfill>;
  dayRuns(dataset: Dataset, day: DeliveryDay): Promise<DayRun[]>;
  backfills(dataset: Dataset): Promise<BackfillInProgress[]>;
  close(): Promise<void>;
}

export class TemporalRunControl implements RunControl {
  private readonly temporal: LazyTemporalClient;

  constructor(private readonly settings: RunControlSettings) {
    this.temporal = new LazyTemporalClient(settings);
  }

  startDays(dataset: Dataset, days: DeliveryDay[], startedBy: StartedBy): Promise<StartedDay[]> {
    return this.temporal.use('did not start the runs', async (client) => {
      const started: StartedDay[] = [];
      for (const day of days) {
        const start = await startDayRun(client, this.settings.taskQueue, dataset, day, startedBy);
        started.push({
          day,
          workflow_id: start.workflowId,
          run_id: start.started ? start.handle.firstExecutionRunId : null,
          started: start.started,
        });
      }
      return started;
    });
  }

  startBackfill(request: BackfillRequest, startedBy: StartedBy): Promise<StartedBackfill> {
    return this.temporal.use('did not start the backfill', async (client) => {
      const opened = await openBackfill(client, this.settings.taskQueue, request, startedBy);
      return {
        workflow_id: opened.workflowId,
        run_id: opened.runId,
        attached: opened.attachedSince !== null,
      };
    });
  }

  dayRuns(dataset: Dataset, day: DeliveryDay): Promise<DayRun[]> {
    return this.temporal.use("did not list the day's runs", async (client) => {
      const runs: DayRun[] = [];
      const query = `WorkflowId = '${dayWorkflowId(dataset, day)}'`;
      for await (const execution of client.workflow.list({ query, pageSize: MAX_DAY_RUNS })) {
        runs.push(dayRunOf(execution));
        if (runs.length >= MAX_DAY_RUNS) break;
      }
      return runs.sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0));
    });
  }

  backfills(dataset: Dataset): Promise<BackfillInProgress[]> {
    return this.temporal.use('did not list the backfills', async (client) => {
      const open: WorkflowExecutionInfo[] = [];
      const query = `WorkflowType = 'backfillWorkflow' AND ExecutionStatus = 'Running'`;
      for await (const execution of client.workflow.list({ query, pageSize: MAX_BACKFILLS })) {
        if (execution.workflowId.startsWith(`${dataset}/backfill/`)) open.push(execution);
        if (open.length >= MAX_BACKFILLS) break;
      }
      return Promise.all(
        open.map(async (execution) => ({
          workflow_id: execution.workflowId,
          run_id: execution.runId,
          started_at: execution.startTime.toISOString(),
          progress: await progressOf(client, execution),
        })),
      );
    });
  }

  close(): Promise<void> {
    return this.temporal.close();
  }
}

async function progressOf(
  client: Client,
  execution: WorkflowExecutionInfo,
): Promise<BackfillProgress | null> {
  const handle = client.workflow.getHandle(execution.workflowId, execution.runId);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), PROGRESS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([handle.query<BackfillProgress>('progress').catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A run's row from Temporal's visibility record. */
export function dayRunOf(execution: WorkflowExecutionInfo): DayRun {
  const raw = execution.raw;
  const buildId =
    raw.versioningInfo?.deploymentVersion?.buildId ||
    raw.mostRecentWorkerVersionStamp?.buildId ||
    raw.assignedBuildId ||
    buildIdOf(execution.searchAttributes.BuildIds) ||
    null;
  return {
    workflow_id: execution.workflowId,
    run_id: execution.runId,
    execution_status: execution.status.name,
    day_status: execution.typedSearchAttributes.get(DAY_STATUS_ATTRIBUTE) ?? null,
    started_at: execution.startTime.toISOString(),
    closed_at: execution.closeTime?.toISOString() ?? null,
    build_id: buildId,
    parent_workflow_id: execution.parentExecution?.workflowId ?? null,
    started_by: starterOf(execution.memo?.[STARTED_BY_MEMO]),
  };
}

/**
 * The system search attribute BuildIds, which lists every build that ran a task of the run (`unversioned:<id>`,
 * `versioned:<id>`, and a bare `unversioned`): the last one named.
 */
function buildIdOf(values: unknown): string | null {
  if (!Array.isArray(values)) return null;
  let last: string | null = null;
  for (const value of values) {
    const match = typeof value === 'string' ? /^(?:versioned|unversioned|assigned):(.+)$/.exec(value) : null;
    if (match) last = match[1]!;
  }
  return last;
}

const starterMemo = z.object({
  via: z.string().max(20),
  key_id: z.number().int().nullable().catch(null).default(null),
  key_name: z.string().max(200).nullable().catch(null).default(null),
});

/** The memo a run was started with (control/runStarts.ts), checked: anything else reads as unknown (null). */
function starterOf(memo: unknown): RunStarter | null {
  const parsed = starterMemo.safeParse(memo);
  return parsed.success ? parsed.data : null;
}
