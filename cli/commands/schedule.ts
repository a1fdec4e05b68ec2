import { ScheduleNotFoundError } from '@temporalio/client';
import { connectClient } from '../../common/temporal';
import { PUBLICATION_SCHEDULE_ID } from '../../domain/publicationWindow';
import { POLL_SCHEDULE_ID } from '../../domain/workflowInputs';
import { ensurePublicationSchedule } from '../../workers/publicationSchedule';
import { ensurePollSchedule } from '../../workers/schedule';
import { configFromEnv } from '../context';
import { UsageError } from '../errors';

const ACTIONS = ['create', 'pause', 'unpause', 'trigger', 'describe'] as const;
/** pause, unpause and describe act on both schedules; trigger polls now. */
const SCHEDULE_IDS = [POLL_SCHEDULE_ID, PUBLICATION_SCHEDULE_ID];
type Action = (typeof ACTIONS)[number];

export async function scheduleCommand(argv: string[]): Promise<void> {
  const action = argv[0] as Action | undefined;
  if (!action || !ACTIONS.includes(action)) {
    throw new UsageError(`schedule: expected one of ${ACTIONS.join(', ')}`);
  }
  const config = configFromEnv();
  const temporal = await connectClient(config);
  let scheduleId = POLL_SCHEDULE_ID;
  try {
    const handle = temporal.client.schedule.getHandle(POLL_SCHEDULE_ID);
    const each = async (act: (id: string) => Promise<void>) => {
      for (const id of SCHEDULE_IDS) {
        scheduleId = id;
        await act(id);
      }
    };
    switch (action) {
      case 'create': {
        const outcome = await ensurePollSchedule(temporal.client, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          intervalMs: config.POLL_INTERVAL,
          lookbackDays: config.POLL_LOOKBACK_DAYS,
        });
        console.log(`schedule ${POLL_SCHEDULE_ID} ${outcome}`);
        const publication = await ensurePublicationSchedule(temporal.client, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          window: config.PUBLICATION_WINDOW,
          checkIntervalMs: config.PUBLICATION_POLL_INTERVAL,
        });
        console.log(`schedule ${PUBLICATION_SCHEDULE_ID} ${publication.outcome}`);
        return;
      }
      case 'pause':
        await each(async (id) => {
          await temporal.client.schedule.getHandle(id).pause('paused from the jao CLI');
          console.log(`schedule ${id} paused`);
        });
        return;
      case 'unpause':
        await each(async (id) => {
          await temporal.client.schedule.getHandle(id).unpause('unpaused from the jao CLI');
          console.log(`schedule ${id} running`);
        });
        return;
      case 'trigger':
        await handle.trigger();
        console.log(`schedule ${POLL_SCHEDULE_ID} triggered`);
        return;
      case 'describe':
        await each(async (id) => {
          const description = await temporal.client.schedule.getHandle(id).describe();
          const next = description.info.nextActionTimes[0];
          const recent = description.info.recentActions.at(-1);
          console.log(`schedule ${id}: ${description.state.paused ? 'PAUSED' : 'running'}`);
          if (description.state.note) console.log(`  note: ${description.state.note}`);
          console.log(`  next run: ${next ? next.toISOString() : 'none'}`);
          console.log(`  last run: ${recent ? recent.takenAt.toISOString() : 'never'}`);
          console.log(`  runs so far: ${description.info.numActionsTaken}`);
        });
        return;
    }
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) {
      throw new UsageError(
        `schedule ${scheduleId} does not exist: run "npx jao schedule create" or start a worker`,
      );
    }
    throw error;
  } finally {
    await temporal.close();
  }
}
