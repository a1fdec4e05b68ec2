// The Web UI's list of the days bad now (docs/operations.md, "Only the days bad now"): one running badDayWorkflow
// per bad day, its id naming the day and its status, kept in line with jao.delivery_day by badDaysSyncWorkflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BadDaysSyncResult } from '../../activities/badDays';
import { BAD_DAYS_SCHEDULE_ID, ensureBadDaysSchedule } from '../../control/badDaysSchedule';
import { type DayCursor, readBadDayCandidates } from '../../db/badDays';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';

const HEALED = '2024-05-01';
const CHANGES = '2024-05-02';
const COMPLETE = '2024-05-03';
const LATE = '2024-05-04';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

  /** The operator's query, on this file's task queue: the ids listed, and their DayStatus. */
  const badNow = async () => {
    const listed: string[] = [];
    const query = `WorkflowType = "badDayWorkflow" AND ExecutionStatus = "Running" AND TaskQueue = "${h.taskQueue}"`;
    for await (const run of h.temporal.client.workflow.list({ query })) {
      const status = run.searchAttributes.DayStatus as string[] | undefined;
      listed.push(`${run.workflowId.replace(`/${h.taskQueue}`, '')} ${status?.join(',')}`);
    }
    return listed.sort();
  };

  /** Visibility follows the server's writes shortly after: ask until the list is the expected one. */
  const expectBadNow = async (expected: string[]) => {
    const deadline = Date.now() + 10_000;
    let listed = await badNow();
    while (JSON.stringify(listed) !== JSON.stringify(expected) && Date.now() < deadline) {
      await sleep(100);
      listed = await badNow();
    }
    expect(listed).toEqual(expected);
  };

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

  it('is kept in line by a schedule of the task queue', async () => {
    expect(await ensureBadDaysSchedule(h.temporal.client, { taskQueue: h.taskQueue })).toBe('created');
    const schedule = h.temporal.client.schedule.getHandle(`${BAD_DAYS_SCHEDULE_ID}/${h.taskQueue}`);
    try {
      const described = await schedule.describe();
      expect(described.action).toMatchObject({ workflowType: 'badDaysSyncWorkflow', taskQueue: h.taskQueue });
      expect(described.spec.intervals?.map((interval) => interval.every)).toEqual([30_000]);
    } finally {
      await schedule.delete();
    }
  });
});
