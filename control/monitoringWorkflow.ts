// The worker starts one monitoring workflow per region that a dataset it keeps is announced in (docs/monitoring.md),
// as it ensures the schedules: one long-lived run per region, continued as new, so the Web UI's default list holds
// one row per region rather than one per reading. Idempotent: a run already there is kept.
import { type Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import type { Dataset, Region } from '../domain/datasets';
import type { monitoringWorkflow } from '../workflows/monitoring';
import { perQueueId } from './pollSchedule';

/** `monitoring/core` on the default queue, `monitoring/core/<queue>` on another. */
export const monitoringWorkflowIdFor = (taskQueue: string, region: Region) =>
  perQueueId(`monitoring/${region}`, taskQueue);

export async function ensureMonitoringWorkflow(
  client: Client,
  options: {
    taskQueue: string;
    region: Region;
    intervalMs: number;
    quietIntervalMs: number;
    datasets: readonly Dataset[];
  },
): Promise<'started' | 'running'> {
  const workflowId = monitoringWorkflowIdFor(options.taskQueue, options.region);
  const handle = await client.workflow.start<typeof monitoringWorkflow>('monitoringWorkflow', {
    workflowId,
    taskQueue: options.taskQueue,
    args: [
      {
        region: options.region,
        intervalMs: options.intervalMs,
        quietIntervalMs: options.quietIntervalMs,
        datasets: [...options.datasets],
      },
    ],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    staticSummary:
      `JAO monitoring ${options.region}: read every ${options.intervalMs / 1000} s while a day is expected, ` +
      `every ${options.quietIntervalMs / 1000} s otherwise`,
  });
  const description = await handle.describe();
  return description.runId === handle.firstExecutionRunId &&
    Date.now() - description.startTime.getTime() < 60_000
    ? 'started'
    : 'running';
}
