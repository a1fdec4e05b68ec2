import { hostname, userInfo } from 'node:os';
import { ScheduleNotFoundError } from '@temporalio/client';
import { withTemporal } from '../../common/temporal';
import { ensurePollSchedule, pollScheduleIdFor } from '../../control/pollSchedule';
import { ensurePublicationSchedule, publicationScheduleIdFor } from '../../control/publicationSchedule';
import { publicationSettingsOf } from '../../control/publicationSettings';
import { describedScheduleNote } from '../../control/scheduleNote';
import { parseCommandArgs, parseDatasetArg } from '../args';
import { configFromEnv } from '../context';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import { marketInstant } from '../marketTime';
import { COMMAND_OPTIONS } from '../options';

/**
 * pause, unpause and describe act on both of the queue's schedules (poll, publication) of one dataset (`--dataset`,
 * Core maxExchanges when absent); trigger polls it now.
 */
const ACTIONS = ['create', 'pause', 'unpause', 'trigger', 'describe'] as const;
type Action = (typeof ACTIONS)[number];

/** Who acts: the server keeps no identity with a pause, only its note. */
function operator(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (a container's arbitrary uid)
  }
  return `${user}@${hostname()}`;
}

export async function scheduleCommand(argv: string[], io: CliIo): Promise<void> {
  const action = argv[0] as Action | undefined;
  if (!action || !ACTIONS.includes(action)) {
    throw new UsageError(`schedule: expected one of ${ACTIONS.join(', ')}`);
  }
  const { values } = parseCommandArgs(`schedule ${action}`, argv.slice(1), COMMAND_OPTIONS.schedule, 0);
  const dataset = parseDatasetArg(`schedule ${action}`, values.dataset);
  const config = configFromEnv(io.env);
  const POLL_SCHEDULE_ID = pollScheduleIdFor(config.TEMPORAL_TASK_QUEUE, dataset);
  const scheduleIds = [POLL_SCHEDULE_ID, publicationScheduleIdFor(config.TEMPORAL_TASK_QUEUE, dataset)];
  await withTemporal(config, async (temporal) => {
    // The publication schedule may be missing (created by workers of an earlier version): the poll's still acts.
    const each = async (act: (id: string) => Promise<void>) => {
      for (const id of scheduleIds) {
        try {
          await act(id);
        } catch (error) {
          if (!(error instanceof ScheduleNotFoundError) || id === POLL_SCHEDULE_ID) throw error;
          io.err(`schedule ${id} does not exist: a worker creates it at start-up`);
        }
      }
    };
    switch (action) {
      case 'create': {
        const outcome = await ensurePollSchedule(temporal.client, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          intervalMs: config.POLL_INTERVAL,
          lookbackDays: config.POLL_LOOKBACK_DAYS,
          dataset,
        });
        io.out(`schedule ${POLL_SCHEDULE_ID} ${outcome}`);
        const publication = await ensurePublicationSchedule(temporal.client, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          window: publicationSettingsOf(config, dataset).window,
          checkIntervalMs: config.PUBLICATION_POLL_INTERVAL,
          dataset,
        });
        io.out(`schedule ${scheduleIds[1]} ${publication.outcome}`);
        return;
      }
      case 'pause':
        await each(async (id) => {
          const schedule = temporal.client.schedule.getHandle(id);
          await schedule.pause(`paused from the jao CLI by ${operator()} at ${new Date().toISOString()}`);
          io.out(`schedule ${id} paused`);
          // A publication window already open would go on asking JAO until it closes: pausing means no requests.
          if (id === POLL_SCHEDULE_ID) return;
          for (const running of (await schedule.describe()).info.runningActions) {
            await temporal.client.workflow
              .getHandle(running.workflow.workflowId, running.workflow.firstExecutionRunId)
              .cancel();
            io.out(`cancelled ${running.workflow.workflowId}, which it had started`);
          }
        });
        return;
      case 'unpause':
        await each(async (id) => {
          // Unpaused, the note says again what the schedule does (a worker's start-up rewrites it the same way).
          const schedule = temporal.client.schedule.getHandle(id);
          const note = describedScheduleNote(await schedule.describe()) ?? 'unpaused from the jao CLI';
          await schedule.unpause(note);
          io.out(`schedule ${id} running`);
        });
        return;
      case 'trigger':
        await temporal.client.schedule.getHandle(POLL_SCHEDULE_ID).trigger();
        io.out(`schedule ${POLL_SCHEDULE_ID} triggered`);
        return;
      case 'describe':
        await each(async (id) => {
          const description = await temporal.client.schedule.getHandle(id).describe();
          const next = description.info.nextActionTimes[0];
          const recent = description.info.recentActions.at(-1);
          io.out(`schedule ${id}: ${description.state.paused ? 'PAUSED' : 'running'}`);
          if (description.state.note) io.out(`  note: ${description.state.note}`);
          io.out(`  next run: ${next ? marketInstant(next) : 'none'}`);
          io.out(`  last run: ${recent ? marketInstant(recent.takenAt) : 'never'}`);
          io.out(`  runs so far: ${description.info.numActionsTaken}`);
        });
        return;
    }
  }).catch((error: unknown) => {
    if (error instanceof ScheduleNotFoundError) {
      throw new UsageError(
        `schedule ${POLL_SCHEDULE_ID} does not exist: run "npx jao schedule create --dataset ${dataset}" or start a worker`,
      );
    }
    throw error;
  });
}
