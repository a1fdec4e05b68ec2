// The poll schedule is managed per task queue: a worker on another queue never re-points the shared one, and
// `jao schedule …` / `jao health` find the schedule of the configured queue.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensurePollSchedule, pollScheduleIdFor } from '../../control/pollSchedule';
import { ensurePublicationSchedule, publicationScheduleIdFor } from '../../control/publicationSchedule';
import { unknownDatasetMessage } from '../../domain/datasets';
import { LEGACY_SCHEDULE_IDS } from '../../domain/datasets/compat';
import type { Dataset } from '../../domain/types';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { connectTemporal, type TemporalTestContext, uniqueTaskQueue } from '../helpers/temporal';

const NORDIC: Dataset = 'nordicMaxExchanges';

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
      for (const id of [
        pollScheduleIdFor(queue, 'maxExchanges'),
        publicationScheduleIdFor(queue, 'maxExchanges'),
        pollScheduleIdFor(queue, NORDIC),
        publicationScheduleIdFor(queue, NORDIC),
      ]) {
        await temporal?.client.schedule
          .getHandle(id)
          .delete()
          .catch(() => {});
      }
    }
    await temporal?.close();
    await db?.release();
  });

  it('names the default queue’s schedule maxExchanges-poll and any other queue’s after the queue', () => {
    expect(pollScheduleIdFor('jao-scraper', 'maxExchanges')).toBe(LEGACY_SCHEDULE_IDS.poll);
    expect(pollScheduleIdFor('other', 'maxExchanges')).toBe('maxExchanges-poll/other');
  });

  it('keeps each queue’s schedule pointing at its own queue, and the CLI finds the configured one', async () => {
    for (const taskQueue of queues) {
      await ensurePollSchedule(temporal.client, {
        dataset: 'maxExchanges',
        taskQueue,
        intervalMs: 3_600_000,
        lookbackDays: 1,
      });
    }
    for (const taskQueue of queues) {
      const description = await temporal.client.schedule
        .getHandle(pollScheduleIdFor(taskQueue, 'maxExchanges'))
        .describe();
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
    const paused = await runCli(['schedule', 'pause'], env);
    expect({ code: paused.code, stdout: paused.stdout }).toEqual({
      code: 0,
      stdout: `schedule maxExchanges-poll/${first} paused\n`,
    });
    const health = await runCli(['health'], env);
    const lines = health.stdout.split('\n');
    const pausedLine = lines.find((line) => line.startsWith(`schedule maxExchanges-poll/${first} is paused`));
    expect(pausedLine).toMatch(
      new RegExp(
        `^schedule maxExchanges-poll/${first} is paused: paused from the jao CLI by \\S+@\\S+ at \\d{4}-\\d\\d-\\d\\dT`,
      ),
    );
    // This test created no publication schedule: health names it as missing, and only it.
    expect(lines.filter((line) => line.includes('does not exist'))).toEqual([
      `schedule maxExchanges-publication/${first} does not exist`,
    ]);
    expect(health.code).not.toBe(0);

    // Unpaused, the note says again what the schedule does.
    expect((await runCli(['schedule', 'unpause'], env)).code).toBe(0);
    const described = await runCli(['schedule', 'describe'], env);
    expect(described.stdout.split('\n').slice(0, 2)).toEqual([
      `schedule maxExchanges-poll/${first}: running`,
      '  note: maxExchanges: Every 1 h: runs pollWorkflow, which fetches tomorrow and the last 1 day (new, late and ' +
        'revised publications); a day already running elsewhere is left to that run.',
    ]);
  });

  it('says in its note and calendar when the publication window opens: daily at 08:00 Europe/Amsterdam', async () => {
    const taskQueue = queues[1]!;
    const settings = {
      dataset: 'maxExchanges' as const,
      taskQueue,
      window: '08:00-09:00',
      checkIntervalMs: 30_000,
    };
    await ensurePublicationSchedule(temporal.client, settings, new Date('2024-01-01T00:00:00Z'));
    const handle = temporal.client.schedule.getHandle(publicationScheduleIdFor(taskQueue, 'maxExchanges'));
    const description = await handle.describe();
    expect(description.state.note).toBe(
      "maxExchanges: Daily at 08:00 Europe/Amsterdam (the spec's calendar: second 0, minute 0, hour 8): opens the " +
        'publication window 08:00-09:00, which fetches tomorrow every 30 s until it is stored complete or the ' +
        'window closes at 09:00.',
    );
    expect(description.spec.timezone).toBe('Europe/Amsterdam');
    expect(description.spec.calendars).toEqual([
      {
        second: [{ start: 0, end: 0, step: 1 }],
        minute: [{ start: 0, end: 0, step: 1 }],
        hour: [{ start: 8, end: 8, step: 1 }],
        dayOfMonth: [{ start: 1, end: 31, step: 1 }],
        month: [{ start: 'JANUARY', end: 'DECEMBER', step: 1 }],
        dayOfWeek: [{ start: 'SUNDAY', end: 'SATURDAY', step: 1 }],
        year: [],
        comment: 'publication window opens: daily at 08:00 Europe/Amsterdam',
      },
    ]);
    // A paused schedule keeps its pause note through an update (a worker's start-up).
    await handle.pause('JAO maintenance, by ops');
    await ensurePublicationSchedule(temporal.client, settings, new Date('2024-01-01T00:00:00Z'));
    expect((await handle.describe()).state).toMatchObject({ paused: true, note: 'JAO maintenance, by ops' });
  });

  it('acts on the schedules of the dataset --dataset names, and on Core maxExchanges only without it', async () => {
    const taskQueue = queues[1]!;
    const env = {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: taskQueue,
    };
    const created = await runCli(['schedule', 'create', '--dataset', 'nordic/maxExchanges'], env);
    expect({ code: created.code, stdout: created.stdout }).toEqual({
      code: 0,
      stdout:
        `schedule nordicMaxExchanges-poll/${taskQueue} created\n` +
        `schedule nordicMaxExchanges-publication/${taskQueue} created\n`,
    });
    const nordicPublication = await temporal.client.schedule
      .getHandle(publicationScheduleIdFor(taskQueue, NORDIC))
      .describe();
    expect(nordicPublication.action).toMatchObject({ type: 'startWorkflow', taskQueue });

    const paused = await runCli(['schedule', 'pause', '--dataset', NORDIC], env);
    expect(paused.code).toBe(0);
    for (const id of [pollScheduleIdFor(taskQueue, NORDIC), publicationScheduleIdFor(taskQueue, NORDIC)]) {
      expect((await temporal.client.schedule.getHandle(id).describe()).state.paused).toBe(true);
    }
    // Core maxExchanges' publication schedule of this queue (the test above) keeps its own pause and note.
    expect(
      (
        await temporal.client.schedule
          .getHandle(publicationScheduleIdFor(taskQueue, 'maxExchanges'))
          .describe()
      ).state,
    ).toMatchObject({ paused: true, note: 'JAO maintenance, by ops' });
    const described = await runCli(['schedule', 'describe', '--dataset', NORDIC], env);
    expect(described.stdout).toContain(`schedule nordicMaxExchanges-poll/${taskQueue}: PAUSED`);
    expect((await runCli(['schedule', 'unpause', '--dataset', NORDIC], env)).code).toBe(0);
    expect(
      (await temporal.client.schedule.getHandle(pollScheduleIdFor(taskQueue, NORDIC)).describe()).state
        .paused,
    ).toBe(false);

    const unknown = await runCli(['schedule', 'pause', '--dataset', 'nordic'], env);
    expect({ code: unknown.code, stderr: unknown.stderr.trim() }).toEqual({
      code: 2,
      stderr: `jao schedule pause: ${unknownDatasetMessage('nordic')} (help: jao schedule --help)`,
    });
  });

  it('refuses to act on a dataset whose poll schedule does not exist, naming it and how to create it', async () => {
    const taskQueue = uniqueTaskQueue('schedule-none');
    const paused = await runCli(['schedule', 'pause'], {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: taskQueue,
    });
    expect(paused).toMatchObject({
      code: 2,
      stderr:
        `jao schedule maxExchanges-poll/${taskQueue} does not exist: run "npx jao schedule create --dataset ` +
        'maxExchanges" or start a worker (help: jao schedule --help)\n',
    });
  });
});
