// The worker starts one monitoring workflow per region that a dataset it keeps is announced in (docs/monitoring.md),
// as it ensures the schedules: one long-lived run per region, continued as new, so the Web UI's default list holds
// one row per region rather than one per reading. Idempotent: a run already there is kept, and told the settings
// (signal-with-start), so a changed MONITORING_INTERVAL, MONITORING_QUIET_INTERVAL or JAO_DATASETS applies from its
// next reading without losing its last one.
import { type Client, type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import type { Dataset, Region } from '../domain/datasets';
import { MONITORING_SETTINGS_SIGNAL, type MonitoringSettings } from '../domain/monitoring';
import type { monitoringWorkflow } from '../workflows/monitoring';
import { perQueueId } from './pollSchedule';

const isRunning = (handle: WorkflowHandle) =>
  handle.describe().then(
    (description) => description.status.name === 'RUNNING',
    () => false,
  );

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
  const settings: MonitoringSettings = {
    intervalMs: options.intervalMs,
    quietIntervalMs: options.quietIntervalMs,
    datasets: [...options.datasets],
  };
  // Whether a run was going before, for the worker's start-up line (two workers starting at once may both say started).
  const wasRunning = await isRunning(client.workflow.getHandle(workflowId));
  await client.workflow.signalWithStart<typeof monitoringWorkflow, [MonitoringSettings]>(
    'monitoringWorkflow',
    {
      workflowId,
      taskQueue: options.taskQueue,
      args: [{ region: options.region, ...settings, datasets: [...options.datasets] }],
      signal: MONITORING_SETTINGS_SIGNAL,
      signalArgs: [settings],
      staticSummary:
        `JAO monitoring ${options.region}: read every ${options.intervalMs / 1000} s while a day is expected, ` +
        `every ${options.quietIntervalMs / 1000} s otherwise`,
    },
  );
  return wasRunning ? 'running' : 'started';
}

/**
 * Ends the region's monitoring workflow where it runs and the worker no longer wants it (JAO_MONITORING=off, or no
 * kept dataset announced in the region): its fixed polls fetch alone from then on. Its day workflows in flight end
 * with it (children); a day is idempotent, and the polls fetch it again. `stopped` or `not running`.
 */
export async function stopMonitoringWorkflow(
  client: Client,
  options: { taskQueue: string; region: Region; reason: string },
): Promise<'stopped' | 'not running'> {
  const handle = client.workflow.getHandle(monitoringWorkflowIdFor(options.taskQueue, options.region));
  if (!(await isRunning(handle))) return 'not running';
  try {
    await handle.terminate(options.reason);
  } catch (error) {
    // Ended meanwhile (another worker starting up did it): what was asked is done.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  return 'stopped';
}
