// The bad-days schedule (docs/operations.md, "Only the days bad now"): every BAD_DAYS_SYNC_INTERVAL_MS it starts
// badDaysSyncWorkflow, which brings the bad-day markers in line with jao.delivery_day. Overlap SKIP: a slow sync
// (a database outage) is not queued behind; the next one after it sees the same database.
import { type Client, ScheduleOverlapPolicy } from '@temporalio/client';
import { BAD_DAYS_SYNC_INTERVAL_MS, BAD_DAYS_SYNC_WORKFLOW_TYPE } from '../domain/badDays';
import type { badDaysSyncWorkflow } from '../workflows/badDays';
import { durationText, perQueueId, upsertSchedule } from './pollSchedule';

export const BAD_DAYS_SCHEDULE_ID = 'bad-days';

export const badDaysScheduleIdFor = (taskQueue: string) => perQueueId(BAD_DAYS_SCHEDULE_ID, taskQueue);

/** Creates the queue's bad-days schedule, or brings it to these settings (keeping its paused state). */
export function ensureBadDaysSchedule(
  client: Client,
  settings: { taskQueue: string; intervalMs?: number },
): Promise<'created' | 'updated'> {
  const intervalMs = settings.intervalMs ?? BAD_DAYS_SYNC_INTERVAL_MS;
  return upsertSchedule(client, {
    scheduleId: badDaysScheduleIdFor(settings.taskQueue),
    spec: { intervals: [{ every: intervalMs }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    action: {
      type: 'startWorkflow',
      workflowType: BAD_DAYS_SYNC_WORKFLOW_TYPE satisfies (typeof badDaysSyncWorkflow)['name'],
      workflowId: perQueueId('bad-days/sync', settings.taskQueue),
      taskQueue: settings.taskQueue,
      args: [],
      staticSummary: 'bad days: mark the days bad now',
    },
    state: {
      note:
        `Every ${durationText(intervalMs)}: keeps one running badDayWorkflow per day that is bad now in ` +
        'jao.delivery_day (Web UI: WorkflowType = "badDayWorkflow" AND ExecutionStatus = "Running").',
    },
  });
}
