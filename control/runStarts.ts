// Starting runs from outside the workflows: one day's re-run, or a backfill. The CLI (`jao rerun`, `jao backfill`)
// and the API's operator routes (api/routes/runs.ts) both start them here, so a run started from the status page
// is the same start as one typed in a shell. Who started a run is set in its memo at start (the client's choice,
// not a workflow command: no patch), where the Web UI shows it and the API's run history reads it.
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
  WorkflowIdConflictPolicy,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { Dataset, DeliveryDay } from '../domain/types';
import {
  type BackfillRequest,
  backfillWorkflowId,
  dayWorkflowId,
  type Trigger,
} from '../domain/workflowInputs';
import type { backfillWorkflow, deliveryDayWorkflow } from '../workflows';

/** The memo field naming who started a run. */
export const STARTED_BY_MEMO = 'startedBy';

/** Who started a run: a shell (`jao`), or the API on behalf of an operator key. */
export type StartedBy = { via: 'cli' } | { via: 'api'; keyId: number; keyName: string };

/** The memo a run started by `startedBy` carries (snake_case, as the API answers it). */
export function startedByMemo(startedBy: StartedBy): Record<string, unknown> {
  return {
    [STARTED_BY_MEMO]:
      startedBy.via === 'cli'
        ? { via: 'cli' }
        : { via: 'api', key_id: startedBy.keyId, key_name: startedBy.keyName },
  };
}

/** Both are live work (fetched before backfills, workflows/fetchPriority.ts); the day workflow names its trigger. */
const triggerOf = (startedBy: StartedBy): Trigger => (startedBy.via === 'cli' ? 'cli' : 'manual');

const summaryOf = (dataset: Dataset, day: DeliveryDay, startedBy: StartedBy) =>
  startedBy.via === 'cli'
    ? `${dataset} ${day} (re-run from the CLI)`
    : `${dataset} ${day} (re-run from the API by key ${startedBy.keyId} "${startedBy.keyName}")`;

export type DayStart =
  | {
      day: DeliveryDay;
      workflowId: string;
      started: true;
      handle: WorkflowHandleWithFirstExecutionRunId<typeof deliveryDayWorkflow>;
    }
  /** A run of the day was going on: it is left to finish (its result is the day's news). */
  | { day: DeliveryDay; workflowId: string; started: false };

/** Starts the day workflow of `day` at live priority, or leaves the run going on to finish. */
export async function startDayRun(
  client: Client,
  taskQueue: string,
  dataset: Dataset,
  day: DeliveryDay,
  startedBy: StartedBy,
): Promise<DayStart> {
  const workflowId = dayWorkflowId(dataset, day);
  try {
    const handle = await client.workflow.start<typeof deliveryDayWorkflow>('deliveryDayWorkflow', {
      workflowId,
      taskQueue,
      args: [{ dataset, day, trigger: triggerOf(startedBy) }],
      staticSummary: summaryOf(dataset, day, startedBy),
      memo: startedByMemo(startedBy),
    });
    return { day, workflowId, started: true, handle };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return { day, workflowId, started: false };
  }
}

export interface OpenedBackfill {
  handle: WorkflowHandle<typeof backfillWorkflow>;
  workflowId: string;
  runId: string;
  /** When the run this start attached to began; null when this start began a new run. */
  attachedSince: Date | null;
}

/** Starts a backfill, or attaches to the run going on for the same range and mode, and says which. */
export async function openBackfill(
  client: Client,
  taskQueue: string,
  request: BackfillRequest,
  startedBy: StartedBy = { via: 'cli' },
): Promise<OpenedBackfill> {
  const workflowId = backfillWorkflowId(request.dataset, request.from, request.to, request.mode);
  const running = await runningRunOf(client, workflowId);
  const handle = await client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
    workflowId,
    taskQueue,
    args: [request],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    staticSummary: `${request.dataset} backfill ${request.from}..${request.to} (${request.mode}), ${request.concurrency} at a time`,
    memo: startedByMemo(startedBy),
  });
  const runId = handle.firstExecutionRunId;
  const attachedSince = running?.runId === runId ? running.startTime : null;
  return { handle, workflowId, runId, attachedSince };
}

async function runningRunOf(
  client: Client,
  workflowId: string,
): Promise<{ runId: string; startTime: Date } | null> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    return description.status.name === 'RUNNING'
      ? { runId: description.runId, startTime: description.startTime }
      : null;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}
