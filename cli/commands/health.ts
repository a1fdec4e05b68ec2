import { type Connection, ScheduleNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Config } from '../../common/config';
import { connectClient } from '../../common/temporal';
import { pollScheduleIdFor } from '../../control/pollSchedule';
import { publicationScheduleIdFor } from '../../control/publicationSchedule';
import { addDays, GO_LIVE_DAY, marketTomorrow } from '../../domain/calendar';
import { assessHealth, type HealthFacts, type PolledQueue, type QueueState } from '../../domain/health';
import { fetchTaskQueueOf } from '../../domain/workflowInputs';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import { readStatusReport } from './status';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const { TaskQueueType } = temporal.api.enums.v1;

/** Whether any worker polled the queue within `staleAfterMs` (pollers long-poll, so an idle one shows too). */
async function queueState(
  connection: Connection,
  namespace: string,
  taskQueue: string,
  type: temporal.api.enums.v1.TaskQueueType,
  staleAfterMs: number,
): Promise<QueueState> {
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: type,
  });
  const lastPolls = (pollers ?? []).map((poller) => Number(poller.lastAccessTime?.seconds ?? 0) * 1000);
  if (lastPolls.length === 0) return { kind: 'unpolled', lastPollAgeMs: null };
  const ageMs = Date.now() - Math.max(...lastPolls);
  return ageMs <= staleAfterMs ? { kind: 'polled' } : { kind: 'unpolled', lastPollAgeMs: ageMs };
}

async function temporalFacts(config: Config, facts: HealthFacts): Promise<void> {
  const queues: PolledQueue[] = [
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      role: 'workflows, validate and write',
      state: { kind: 'unknown' },
    },
    {
      taskQueue: fetchTaskQueueOf(config.TEMPORAL_TASK_QUEUE),
      role: 'JAO fetches',
      state: { kind: 'unknown' },
    },
  ];
  facts.queues = queues;
  const temporalClient = await connectClient(config);
  try {
    const stateOf = async (scheduleId: string) => {
      try {
        const { state } = await temporalClient.client.schedule.getHandle(scheduleId).describe();
        return state.paused
          ? { state: 'paused' as const, pauseNote: state.note }
          : { state: 'running' as const };
      } catch (error) {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
        return { state: 'missing' as const };
      }
    };
    const poll = await stateOf(facts.scheduleId ?? pollScheduleIdFor(config.TEMPORAL_TASK_QUEUE));
    facts.schedule = poll.state;
    if (poll.pauseNote !== undefined) facts.pauseNote = poll.pauseNote;
    const publicationId = publicationScheduleIdFor(config.TEMPORAL_TASK_QUEUE);
    facts.publication = { scheduleId: publicationId, ...(await stateOf(publicationId)) };
    const types = [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY];
    for (const [index, queue] of queues.entries()) {
      queue.state = await queueState(
        temporalClient.connection,
        config.TEMPORAL_NAMESPACE,
        queue.taskQueue,
        types[index]!,
        config.HEALTH_POLLER_STALE_AFTER,
      );
    }
  } finally {
    await temporalClient.close();
  }
}

/** Exit 0 when healthy; otherwise exit 1 with every reason on its own line (or as JSON with --json). */
export async function healthCommand(argv: string[] = []): Promise<void> {
  const { values } = parseCommandArgs('health', argv, { json: { type: 'boolean' } }, 0);
  const config = configFromEnv();
  const now = new Date();
  const scheduleId = pollScheduleIdFor(config.TEMPORAL_TASK_QUEUE);
  const facts: HealthFacts = {
    temporalError: null,
    databaseError: null,
    schedule: 'unknown',
    scheduleId,
    report: null,
  };

  try {
    await temporalFacts(config, facts);
  } catch (error) {
    facts.temporalError = messageOf(error);
    facts.queues = [];
  }

  try {
    const tomorrow = marketTomorrow(now);
    const windowStart = addDays(tomorrow, -config.HEALTH_WINDOW_DAYS);
    const from = windowStart < GO_LIVE_DAY ? GO_LIVE_DAY : windowStart;
    facts.report = await readStatusReport(config, from, tomorrow, now);
  } catch (error) {
    facts.databaseError = messageOf(error);
  }

  const verdict = assessHealth(facts);
  if (values.json) {
    console.log(JSON.stringify({ ...verdict, checkedAt: now.toISOString() }, null, 2));
  } else {
    for (const problem of verdict.problems) console.log(problem);
    for (const warning of verdict.warnings) console.log(`warning: ${warning}`);
    if (verdict.healthy) console.log('healthy');
  }
  if (!verdict.healthy) process.exitCode = 1;
}
