import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensurePollSchedule, pollScheduleIdFor } from '../../control/pollSchedule';
import { ensurePublicationSchedule, publicationScheduleIdFor } from '../../control/publicationSchedule';
import { readPublicationTimes } from '../../db/freshness';
import { addDays, dayWindow, MARKET_TIME_ZONE, marketToday, marketTomorrow } from '../../domain/calendar';
import { BURST_SECONDS, fetchRatePerSecond } from '../../domain/fetchRate';
import { fetchTaskQueueOf } from '../../domain/workflowInputs';
import type { RequestLogEntry } from '../../simulator/server';
import type { backfillWorkflow, pollWorkflow, publicationWindowWorkflow } from '../../workflows';
import { runCli } from '../helpers/cli';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { msUntilLocalMidnight, WHOLE_DAY_WINDOW, windowClosedAt } from '../helpers/publicationWindows';
import { metricLinesOfTaskQueues } from '../helpers/runtime';
import { connectTemporal, uniqueTaskQueue } from '../helpers/temporal';
import { until, untilTrue } from '../helpers/until';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CANCEL_REQUESTED = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED;

/**
 * The whole-day window, with `durationMs` of it left: a window cannot reach past local midnight, so in the day's
 * last moments (at most `durationMs`, seconds) the test first lets midnight pass.
 */
async function windowOpenFor(durationMs: number): Promise<string> {
  const left = msUntilLocalMidnight(Date.now());
  if (left < durationMs) await sleep(left + 1_000);
  return WHOLE_DAY_WINDOW;
}

const requestsFor = (log: RequestLogEntry[], day: string) =>
  log.filter((request) => request.fromUtc === dayWindow(day).from);

describe('freshness', () => {
  let namespace: string;
  beforeAll(async () => {
    namespace = await createTestNamespace('freshness');
  });

  describe('publication window', () => {
    const CHECK_MS = 1_000;
    let h: PipelineHarness;

    beforeAll(async () => {
      h = await createPipelineHarness('publication', {}, { namespace });
      await h.startWorkers({ maxRequestsPerMinute: 6_000 });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('stores tomorrow at the first check after its publication, then checks no more', async () => {
      const window = await windowOpenFor(45_000);
      const tomorrow = marketTomorrow(new Date());
      h.simulator.unpublishDay(tomorrow);
      const scheduleId = `publication-${h.taskQueue}`;
      const settings = {
        scheduleId,
        dataset: 'maxExchanges' as const,
        taskQueue: h.taskQueue,
        window,
        checkIntervalMs: CHECK_MS,
      };
      expect(await ensurePublicationSchedule(h.temporal.client, settings)).toEqual({
        outcome: 'created',
        triggered: true,
      });
      const schedule = h.temporal.client.schedule.getHandle(scheduleId);
      try {
        const spec = (await schedule.describe()).spec;
        expect(spec.timezone).toBe(MARKET_TIME_ZONE);
        expect(spec.calendars?.[0]).toMatchObject({
          hour: [{ start: Number(window.slice(0, 2)), end: Number(window.slice(0, 2)), step: 1 }],
          minute: [{ start: Number(window.slice(3, 5)), end: Number(window.slice(3, 5)), step: 1 }],
        });

        // Checks come every CHECK_MS while JAO answers empty.
        await untilTrue('two empty answers', () => requestsFor(h.simulator.requests, tomorrow).length >= 2);
        const publishedAt = new Date();
        h.simulator.publishDay(tomorrow, publishedAt);

        const stored = await until('tomorrow stored complete', async () => {
          const row = await h.db.pool.query<{ status: string; first_complete_at: Date | null }>(
            'SELECT status, first_complete_at FROM jao.delivery_day WHERE day = $1',
            [tomorrow],
          );
          return row.rows[0]?.status === 'complete' ? row.rows[0].first_complete_at! : undefined;
        });

        const run = (await schedule.describe()).info.recentActions[0]!.action.workflow;
        const result = await h.temporal.client.workflow
          .getHandle<typeof publicationWindowWorkflow>(run.workflowId, run.firstExecutionRunId)
          .result();
        // Once the window's workflow has ended, nothing asks JAO for the day any more: every check is in the log.
        const checks = requestsFor(h.simulator.requests, tomorrow);
        expect(result).toEqual({
          day: tomorrow,
          outcome: 'complete',
          status: 'complete',
          checks: checks.length,
        });
        // The first check after the publication stored the day, and was the last: at most one request came after
        // it (none when the check in flight at the publication already saw the data).
        const seen = checks.map((request) => `${request.at - publishedAt.getTime()} ms: ${request.status}`);
        expect(
          checks.filter((request) => request.at >= publishedAt.getTime()).length,
          `the checks, from the publication: ${seen.join(', ')}`,
        ).toBeLessThanOrEqual(1);
        expect(checks.length).toBeGreaterThanOrEqual(3);

        // Publication → stored, as `status` shows it: the publication lies between the last empty answer (the
        // check before the last) and the first one with data (the last check). Each check starts after the one
        // before it has ended, so the recorded fetch times fall between the simulator's neighbouring requests.
        const [lastButTwo, lastEmpty, withData] = checks.slice(-3).map((request) => request.at) as [
          number,
          number,
          number,
        ];
        const [times] = await readPublicationTimes(h.db.pool, 'maxExchanges', tomorrow, tomorrow);
        expect(times!.publishedAfter!.getTime()).toBeGreaterThan(lastButTwo);
        expect(times!.publishedAfter!.getTime()).toBeLessThan(withData);
        expect(times!.seenAt!.getTime()).toBeGreaterThan(lastEmpty);
        expect(times!.seenAt!.getTime()).toBeLessThanOrEqual(stored.getTime());
        expect(times!.storedAt).toEqual(stored);
        // … and the worker's histogram: observed once, publication → stored at most (from the last empty answer).
        const metrics = (await metricLinesOfTaskQueues(h.taskQueue)).join('\n');
        const observed = (suffix: string) =>
          Number(
            new RegExp(`^jao_publication_latency_seconds_${suffix}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(
              metrics,
            )?.[1],
          );
        expect(observed('count')).toBe(1);
        expect(observed('sum')).toBeCloseTo((stored.getTime() - times!.publishedAfter!.getTime()) / 1000, 2);
      } finally {
        await schedule.delete();
      }
    });

    it('watches today when its window runs on the delivery day itself', async () => {
      const window = `D ${await windowOpenFor(30_000)}`;
      const today = marketToday(new Date());
      h.simulator.unpublishDay(today);
      const tomorrowBefore = requestsFor(h.simulator.requests, addDays(today, 1)).length;
      const handle = await h.temporal.client.workflow.start<typeof publicationWindowWorkflow>(
        'publicationWindowWorkflow',
        {
          workflowId: `publication-on-the-day-${h.taskQueue}`,
          taskQueue: h.taskQueue,
          args: [{ window, checkIntervalMs: CHECK_MS }],
        },
      );
      await untilTrue(
        'an empty answer for today',
        () => requestsFor(h.simulator.requests, today).length >= 1,
      );
      h.simulator.publishDay(today);
      const result = await handle.result();
      expect(result).toMatchObject({ day: today, outcome: 'complete', status: 'complete' });
      expect(requestsFor(h.simulator.requests, addDays(today, 1)).length).toBe(tomorrowBefore);
    });

    it('does nothing when started outside its window', async () => {
      const before = h.simulator.requests.length;
      const closed = windowClosedAt(Date.now());
      const result = await h.temporal.client.workflow.execute<typeof publicationWindowWorkflow>(
        'publicationWindowWorkflow',
        {
          workflowId: `publication-closed-${h.taskQueue}`,
          taskQueue: h.taskQueue,
          args: [{ window: closed, checkIntervalMs: 1_000 }],
        },
      );
      expect(result).toMatchObject({ outcome: 'outside-window', checks: 0 });
      expect(h.simulator.requests.length).toBe(before);
    });
  });

  it('jao schedule pauses, describes and unpauses both schedules of the configured queue', async () => {
    const taskQueue = uniqueTaskQueue('schedules');
    const temporal = await connectTemporal({ namespace });
    const ids = [
      pollScheduleIdFor(taskQueue, 'maxExchanges'),
      publicationScheduleIdFor(taskQueue, 'maxExchanges'),
    ];
    let windowRunId: string | undefined;
    try {
      await ensurePollSchedule(temporal.client, {
        dataset: 'maxExchanges',
        taskQueue,
        intervalMs: 3_600_000,
        lookbackDays: 1,
      });
      // An open window: the schedule starts its workflow at once (no worker serves this queue: it waits).
      const created = await ensurePublicationSchedule(temporal.client, {
        dataset: 'maxExchanges',
        taskQueue,
        // Open whatever the hour: the schedule starts its workflow at once, which then waits for a worker.
        window: WHOLE_DAY_WINDOW,
        checkIntervalMs: 30_000,
      });
      expect(created).toEqual({ outcome: 'created', triggered: true });
      const windowRun = await until('the window workflow the schedule started', async () => {
        const running = (await temporal.client.schedule.getHandle(ids[1]!).describe()).info.runningActions;
        return running[0]?.workflow;
      });
      windowRunId = windowRun.workflowId;
      const env = {
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: namespace,
        TEMPORAL_TASK_QUEUE: taskQueue,
      };
      const paused = await runCli(['schedule', 'pause'], env);
      expect({ code: paused.code, stdout: paused.stdout }).toEqual({
        code: 0,
        stdout:
          ids.map((id) => `schedule ${id} paused\n`).join('') +
          `cancelled ${windowRun.workflowId}, which it had started\n`,
      });
      // Paused means no more requests to JAO: the open window is asked to stop too.
      const events =
        (await temporal.client.workflow.getHandle(windowRun.workflowId).fetchHistory()).events ?? [];
      expect(events.map((event) => event.eventType)).toContain(CANCEL_REQUESTED);
      const described = await runCli(['schedule', 'describe'], env);
      for (const id of ids) expect(described.stdout).toContain(`schedule ${id}: PAUSED`);
      const unpaused = await runCli(['schedule', 'unpause'], env);
      expect(unpaused.stdout).toBe(ids.map((id) => `schedule ${id} running\n`).join(''));
    } finally {
      if (windowRunId)
        await temporal.client.workflow
          .getHandle(windowRunId)
          .terminate()
          .catch(() => {});
      for (const id of ids)
        await temporal.client.schedule
          .getHandle(id)
          .delete()
          .catch(() => {});
      await temporal.close();
    }
  });

  describe('the fetch queue', () => {
    const LIMIT_PER_MINUTE = 240;
    // More days than the backfill runs at once: its first 16 fetches wait in the queue, and more follow.
    const FROM = '2025-11-01';
    const TO = '2025-11-20';
    const DAYS = 20;
    const BACKFILL_CONCURRENCY = 16;
    let h: PipelineHarness;

    beforeAll(async () => {
      h = await createPipelineHarness('live-first', {}, { namespace });
    });
    afterAll(async () => {
      await h?.close();
    });

    const backlogOf = async () => {
      const description = await h.temporal.connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: fetchTaskQueueOf(h.taskQueue) },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        reportStats: true,
      });
      return Number(description.stats?.approximateBacklogCount ?? 0);
    };

    /**
     * No window of the log holds more fetches than the queue's rate allows (plus the limiter's burst). Only the
     * upper bound is a correctness property: how close a backfill comes to the budget is bench:freshness's target.
     */
    function expectUnderRate(log: RequestLogEntry[]): void {
      const times = log.map((request) => request.at).sort((a, b) => a - b);
      const perSecond = fetchRatePerSecond(LIMIT_PER_MINUTE);
      const burst = perSecond * BURST_SECONDS + 1;
      const busiest = (windowMs: number) =>
        Math.max(...times.map((start) => times.filter((at) => at >= start && at < start + windowMs).length));
      for (const windowMs of [1_000, 5_000, 10_000])
        expect(busiest(windowMs)).toBeLessThanOrEqual(Math.floor((perSecond * windowMs) / 1000 + burst));
      expect(log.filter((request) => request.status === 429)).toHaveLength(0);
    }

    /**
     * The order is made, not raced: with no fetch worker running, the backfill's fetches and then the poll's wait
     * in the queue; a fetch worker that takes one task at a time then shows the order the server dispatches in.
     */
    it('serves a poll ahead of every queued backfill fetch, all under the rate limit', async () => {
      await h.startWorkers({ queues: 'main' });
      const backfill = await h.temporal.client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
        workflowId: `backfill-${h.taskQueue}`,
        taskQueue: h.taskQueue,
        args: [{ from: FROM, to: TO, concurrency: BACKFILL_CONCURRENCY, mode: 'all' }],
      });
      await untilTrue(
        "the backfill's fetches queued",
        async () => (await backlogOf()) >= BACKFILL_CONCURRENCY,
      );
      const pollStartedAt = new Date();
      const poll = await h.temporal.client.workflow.start<typeof pollWorkflow>('pollWorkflow', {
        workflowId: `poll-${h.taskQueue}`,
        taskQueue: h.taskQueue,
        args: [{ lookbackDays: 0, lookaheadDays: 1 }],
      });
      await untilTrue(
        "the poll's two fetches queued behind them",
        async () => (await backlogOf()) >= BACKFILL_CONCURRENCY + 2,
      );
      expect(h.simulator.requests).toHaveLength(0);

      await h.startWorkers({
        queues: 'fetch',
        maxRequestsPerMinute: LIMIT_PER_MINUTE,
        maxConcurrentFetches: 1,
      });
      const polled = await poll.result();
      // Today as the poll read it (midnight may have passed since the poll was started).
      const today = polled.days[0]!;
      expect([marketToday(pollStartedAt), marketTomorrow(pollStartedAt)]).toContain(today);
      expect(polled.days).toEqual([today, addDays(today, 1)]);
      const result = await backfill.result();
      expect(result).toMatchObject({ total: DAYS, byStatus: { complete: DAYS }, notCompleted: [] });

      const log = h.simulator.requests;
      const liveWindows = polled.days.map((day) => dayWindow(day).from).sort();
      // Queued last, served first: the poll's two fetches, then the backfill's, each backfill day once.
      expect(
        log
          .slice(0, 2)
          .map((request) => request.fromUtc)
          .sort(),
      ).toEqual(liveWindows);
      const backfillWindows = log.slice(2).map((request) => request.fromUtc);
      expect(backfillWindows).toHaveLength(DAYS);
      expect(new Set(backfillWindows).size).toBe(DAYS);
      expectUnderRate(log);
    });
  });
});
