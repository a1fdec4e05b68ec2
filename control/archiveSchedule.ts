// The archive schedule (docs/archive.md): every ARCHIVE_INTERVAL it starts archiveWorkflow, which ships the writes
// not archived yet. Overlap SKIP: while an outage keeps one run retrying, no other piles up behind it; the writes
// wait in the database and the lag shows in `jao health` and jao_archive_lag_seconds.
import { type Client, ScheduleOverlapPolicy } from '@temporalio/client';
import { ARCHIVE_WORKFLOW_ID } from '../domain/archiveInputs';
import type { archiveWorkflow } from '../workflows/archive';
import { durationText, perQueueId, upsertSchedule } from './pollSchedule';

export const ARCHIVE_SCHEDULE_ID = 'archive';

export const archiveScheduleIdFor = (taskQueue: string) => perQueueId(ARCHIVE_SCHEDULE_ID, taskQueue);

export interface ArchiveScheduleSettings {
  taskQueue: string;
  intervalMs: number;
}

/** Creates the queue's archive schedule, or brings it to these settings (keeping its paused state). */
export function ensureArchiveSchedule(
  client: Client,
  settings: ArchiveScheduleSettings,
): Promise<'created' | 'updated'> {
  return upsertSchedule(client, {
    scheduleId: archiveScheduleIdFor(settings.taskQueue),
    spec: { intervals: [{ every: settings.intervalMs }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    action: {
      type: 'startWorkflow',
      workflowType: 'archiveWorkflow' satisfies (typeof archiveWorkflow)['name'],
      workflowId: perQueueId(ARCHIVE_WORKFLOW_ID, settings.taskQueue),
      taskQueue: settings.taskQueue,
      args: [],
      staticSummary: 'archive: ship the writes not archived yet',
    },
    state: {
      note: `Every ${durationText(settings.intervalMs)}: ships each write not archived yet, with its raw answer, to ARCHIVE_URL (docs/archive.md).`,
    },
  });
}
