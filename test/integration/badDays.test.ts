// The Web UI's list of the days bad now (docs/operations.md, "Only the days bad now"): one running badDayWorkflow
// per bad day, its id naming the day and its status, kept in line with jao.delivery_day by a sync; the sync run by
// one long-lived keeper per task queue that the writes which change a day's outcome tell, not by a schedule.
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BadDaysSyncResult } from '../../activities/badDays';
import { BAD_DAYS_SCHEDULE_ID, ensureBadDayMarkers } from '../../control/badDayMarkers';
import { type DayCursor, readBadDayCandidates } from '../../db/badDays';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { untilRead } from '../helpers/until';

const HEALED = '2024-05-01';
const CHANGES = '2024-05-02';
const COMPLETE = '2024-05-03';
const LATE = '2024-05-04';

/** The operator's query, on the harness's task queue: the ids listed, and their DayStatus. */
async function badNowOn(h: PipelineHarness): Promise<string[]> {
  const listed: string[] = [];
  const query = `WorkflowType = "badDayWorkflow" AND ExecutionStatus = "Running" AND TaskQueue = "${h.taskQueue}"`;
  for await (const run of h.temporal.client.workflow.list({ query })) {
    const status = run.searchAttributes.DayStatus as string[] | undefined;
    listed.push(`${run.workflowId.replace(`/${h.taskQueue}`, '')} ${status?.join(',')}`);
  }
  return listed.sort();
}

/** Visibility follows the server's writes shortly after: ask until the list is the expected one. */
async function expectBadNowOn(h: PipelineHarness, expected: string[]): Promise<void> {
  const listed = await untilRead(
    `the bad days now: ${expected.join('; ') || 'none'}`,
    () => badNowOn(h),
    (now) => JSON.stringify(now) === JSON.stringify(expected),
    { timeoutMs: 10_000 },
  );
  expect(listed).toEqual(expected);
}

describe('the bad-day markers', () => {
  let h: PipelineHarness;
  let syncs = 0;

  beforeAll(async () => {
    h = await createPipelineHarness('bad-days', { faults: { missingMtuDays: [HEALED, CHANGES] } });
    await h.startWorkers();
  });
  afterAll(async () => {
    await h?.close();
  });

  const sync = () => {
    syncs += 1;
    return h.temporal.client.workflow.execute<() => Promise<BadDaysSyncResult>>('badDaysSyncWorkflow', {
      workflowId: `bad-days/sync-${syncs}/${h.taskQueue}`,
      taskQueue: h.taskQueue,
    });
  };

  const expectBadNow = (expected: string[]) => expectBadNowOn(h, expected);

  it('lists each bad day once, named with its status; a healed day or a changed status replaces its marker', async () => {
    await h.runDay(HEALED);
    await h.runDay(CHANGES);
    await h.runDay(COMPLETE);
    h.simulator.unpublishDay(LATE);
    await h.runDay(LATE);

    // Two syncs at once: each bad day gets one marker, whichever started it.
    const first = await Promise.all([sync(), sync()]);
    expect(first.map((result) => result.badDays)).toEqual([3, 3]);
    expect(first[0]!.started + first[1]!.started).toBe(3);
    await expectBadNow([
      `maxExchanges/bad-day/${HEALED}/partial partial`,
      `maxExchanges/bad-day/${CHANGES}/partial partial`,
      `maxExchanges/bad-day/${LATE}/late late`,
    ]);

    // A later run heals one day; another day heals, then its re-check is refused: complete, re-check failed.
    h.simulator.setFaults({ missingMtuDays: [] });
    expect((await h.runDay(HEALED)).status).toBe('complete');
    expect((await h.runDay(CHANGES)).status).toBe('complete');
    h.simulator.setFaults({ rejectedDays: [CHANGES] });
    await expect(h.runDay(CHANGES)).rejects.toThrow();
    h.simulator.setFaults({ rejectedDays: [] });

    await Promise.all([sync(), sync()]);
    await expectBadNow([
      `maxExchanges/bad-day/${CHANGES}/recheck_failed recheck_failed`,
      `maxExchanges/bad-day/${LATE}/late late`,
    ]);
    const replaced = h.temporal.client.workflow.getHandle(
      `maxExchanges/bad-day/${CHANGES}/partial/${h.taskQueue}`,
    );
    expect(await replaced.result()).toEqual({ dataset: 'maxExchanges', day: CHANGES, status: 'partial' });

    // Once in line, a sync changes nothing.
    expect(await sync()).toEqual({ badDays: 2, started: 0, completed: 0 });
  });

  it('reads the bad days a page at a time, each once', async () => {
    const pages: string[][] = [];
    let after: DayCursor | null = null;
    // Bounded: a cursor that did not move on would read the same page again and again.
    while (pages.length < 5) {
      const page = await readBadDayCandidates(h.db.pool, { after, limit: 1, notPublishedThrough: LATE });
      if (page.length === 0) break;
      pages.push(page.map((facts) => `${facts.day} ${facts.status}`));
      after = page.at(-1)!;
    }
    expect(pages).toEqual([[`${CHANGES} complete`], [`${LATE} not_published`]]);
  });
});

const KEEPER_PARTIAL = '2024-05-11';
const KEEPER_COMPLETE = '2024-05-12';

describe("the markers' keeper", () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await createPipelineHarness('bad-day-keeper', { faults: { missingMtuDays: [KEEPER_PARTIAL] } });
    await h.startWorkers({ keepBadDayMarkers: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  const keeperId = () => `bad-days/markers/${h.taskQueue}`;

  /** Every run on this file's task queue, by workflow type. */
  const runsByType = async () => {
    const counts: Record<string, number> = {};
    for await (const run of h.temporal.client.workflow.list({ query: `TaskQueue = "${h.taskQueue}"` }))
      counts[run.type] = (counts[run.type] ?? 0) + 1;
    return counts;
  };

  /** The signals the keeper received so far (all its runs). */
  const signalsToKeeper = async () => {
    const history = await h.temporal.client.workflow.getHandle(keeperId()).fetchHistory();
    return (history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes).length;
  };

  it("replaces release 1.1.0's schedule of a sync every 30 s by one keeper, whatever the times it starts", async () => {
    const schedules = h.temporal.client.schedule;
    // What a worker of 1.1.0 left on this queue.
    await schedules.create({
      scheduleId: `${BAD_DAYS_SCHEDULE_ID}/${h.taskQueue}`,
      spec: { intervals: [{ every: 30_000 }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      action: {
        type: 'startWorkflow',
        workflowType: 'badDaysSyncWorkflow',
        workflowId: `bad-days/sync/${h.taskQueue}`,
        taskQueue: h.taskQueue,
        args: [],
      },
      state: { paused: true },
    });
    expect(await ensureBadDayMarkers(h.temporal.client, h.taskQueue)).toEqual({
      keeper: keeperId(),
      schedule: 'removed',
    });
    expect(await ensureBadDayMarkers(h.temporal.client, h.taskQueue)).toEqual({
      keeper: keeperId(),
      schedule: 'absent',
    });
    await expect(
      schedules.getHandle(`${BAD_DAYS_SCHEDULE_ID}/${h.taskQueue}`).describe(),
    ).rejects.toBeInstanceOf(ScheduleNotFoundError);
    const keeper = await h.temporal.client.workflow.getHandle(keeperId()).describe();
    expect({ type: keeper.type, status: keeper.status.name }).toEqual({
      type: 'badDayMarkersWorkflow',
      status: 'RUNNING',
    });
  });

  it('marks a day as its write makes it bad, and ends the marker as a later write heals it: told only of changes', async () => {
    expect((await h.runDay(KEEPER_COMPLETE)).status).toBe('complete');
    expect((await h.runDay(KEEPER_PARTIAL)).status).toBe('partial');
    await expectBadNowOn(h, [`maxExchanges/bad-day/${KEEPER_PARTIAL}/partial partial`]);

    // Checked again, unchanged: no word to the keeper. Healed: one.
    expect((await h.runDay(KEEPER_COMPLETE)).status).toBe('complete');
    h.simulator.setFaults({ missingMtuDays: [] });
    expect((await h.runDay(KEEPER_PARTIAL)).status).toBe('complete');
    await expectBadNowOn(h, []);
    // The two starts' words and the two changes' (a signal that arrives during a workflow task joins the history
    // only once that task is done: counted once they all did).
    const told = await untilRead('four words to the keeper', signalsToKeeper, (count) => count >= 4, {
      timeoutMs: 10_000,
    });
    expect(told).toBe(4);

    // No sync of its own in the list: the keeper is one run, the markers are the days.
    expect(await runsByType()).toEqual({
      badDayMarkersWorkflow: 1,
      badDayWorkflow: 1,
      deliveryDayWorkflow: 4,
    });
  });
});
