// The poll schedule is managed per task queue: a worker on another queue never re-points the shared one, and
// `jao schedule …` / `jao health` find the schedule of the configured queue.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensurePollSchedule, pollScheduleIdFor } from '../../control/pollSchedule';
import { POLL_SCHEDULE_ID } from '../../domain/workflowInputs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { runJao } from '../helpers/processes';
import { connectTemporal, type TemporalTestContext, uniqueTaskQueue } from '../helpers/temporal';

describe('poll schedules per task queue', () => {
  let temporal: TemporalTestContext;
  let db: TestDatabase;
  const queues = [uniqueTaskQueue('schedule-a'), uniqueTaskQueue('schedule-b')];

  beforeAll(async () => {
    temporal = await connectTemporal();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const queue of queues) {
      await temporal?.client.schedule
        .getHandle(pollScheduleIdFor(queue))
        .delete()
        .catch(() => {});
    }
    await temporal?.close();
    await db?.drop();
  });

  it('names the default queue’s schedule maxExchanges-poll and any other queue’s after the queue', () => {
    expect(pollScheduleIdFor('jao-scraper')).toBe(POLL_SCHEDULE_ID);
    expect(pollScheduleIdFor('other')).toBe('maxExchanges-poll/other');
  });

  it('keeps each queue’s schedule pointing at its own queue, and the CLI finds the configured one', async () => {
    for (const taskQueue of queues) {
      await ensurePollSchedule(temporal.client, { taskQueue, intervalMs: 3_600_000, lookbackDays: 1 });
    }
    for (const taskQueue of queues) {
      const description = await temporal.client.schedule.getHandle(pollScheduleIdFor(taskQueue)).describe();
      expect(description.action).toMatchObject({
        type: 'startWorkflow',
        taskQueue,
        workflowId: `maxExchanges/poll/${taskQueue}`,
      });
    }
    const [first] = queues;
    const env = {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: first!,
    };
    const paused = await runJao(['schedule', 'pause'], env);
    expect({ code: paused.code, stdout: paused.stdout }).toEqual({
      code: 0,
      stdout: `schedule maxExchanges-poll/${first} paused\n`,
    });
    const health = await runJao(['health'], env);
    const lines = health.stdout.split('\n');
    expect(lines).toContain(`schedule maxExchanges-poll/${first} is paused`);
    // This test created no publication schedule: health names it as missing, and only it.
    expect(lines.filter((line) => line.includes('does not exist'))).toEqual([
      `schedule maxExchanges-publication/${first} does not exist`,
    ]);
    expect(health.code).not.toBe(0);
  });
});
