// DayRunner with stub activities: a day already running elsewhere is waited for by a backfill, left by a poll.
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, marketToday } from '../../domain/calendar';
import { dayWorkflowId } from '../../domain/workflowInputs';
import type { backfillWorkflow, deliveryDayWorkflow, pollWorkflow } from '../../workflows';
import { type StubCalls, type StubOutcome, stubActivities } from '../helpers/stubActivities';
import { untilTrue } from '../helpers/until';
import {
  type StubWorkers,
  startStubWorkers,
  type WorkflowTestEnvironment,
  workflowTestEnvironment,
} from '../helpers/workflowEnvironment';

const EventType = temporal.api.enums.v1.EventType;
/** The deadline of a wait for the stub workers. */
const SOON = { timeoutMs: 15_000 };

/** Days whose first fetch waits until released: they stay running, as if started by someone else. */
class Gates {
  private readonly waiting = new Map<string, { opened: Promise<void>; open: () => void }>();
  hold(day: string): void {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.waiting.set(day, { opened, open });
  }
  release(day: string): void {
    this.waiting.get(day)?.open();
  }
  async pass(day: string, attempt: number): Promise<void> {
    if (attempt === 1) await this.waiting.get(day)?.opened;
  }
}

describe('DayRunner (stub activities)', () => {
  let t: WorkflowTestEnvironment;
  let workers: StubWorkers;
  let calls: StubCalls;
  let monitoring: { healthy: boolean };
  const gates = new Gates();

  beforeAll(async () => {
    t = await workflowTestEnvironment('wf-runner');
    const stub = stubActivities(async (day, attempt): Promise<StubOutcome> => {
      await gates.pass(day, attempt);
      return 'complete';
    });
    calls = stub.calls;
    monitoring = stub.monitoring;
    workers = await startStubWorkers(t, 'wf-runner', stub.stubs);
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.env.teardown();
  });

  const fetchesOf = (day: string) => calls.fetches.filter((fetched) => fetched === day).length;

  /** Starts the day from outside, its fetch held: it runs until the gate is released. */
  async function startHeldDay(day: string): Promise<WorkflowHandle<typeof deliveryDayWorkflow>> {
    gates.hold(day);
    const handle = await t.env.client.workflow.start<typeof deliveryDayWorkflow>('deliveryDayWorkflow', {
      workflowId: dayWorkflowId('maxExchanges', day),
      taskQueue: workers.taskQueue,
      args: [{ dataset: 'maxExchanges', day, trigger: 'manual' }],
    });
    await untilTrue(`the fetch of ${day}`, () => fetchesOf(day) === 1, SOON);
    return handle;
  }

  it('a backfill waits for a day running elsewhere, then runs it', async () => {
    const day = '2025-04-01';
    const elsewhere = await startHeldDay(day);
    const backfill = await t.env.client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId: `backfill-busy-${workers.taskQueue}`,
      taskQueue: workers.taskQueue,
      args: [{ from: day, to: day, mode: 'all', concurrency: 1 }],
    });
    // The backfill found the day busy and is waiting to try again.
    await untilTrue(
      'the backfill to find the day busy',
      async () => {
        const events = (await backfill.fetchHistory()).events ?? [];
        const types = events.map((event) => event.eventType);
        return (
          types.includes(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED) &&
          types.includes(EventType.EVENT_TYPE_TIMER_STARTED)
        );
      },
      SOON,
    );
    expect(fetchesOf(day)).toBe(1);
    gates.release(day);
    expect(await elsewhere.result()).toMatchObject({ day, status: 'complete' });

    expect(await backfill.result()).toEqual({
      dataset: 'maxExchanges',
      from: day,
      to: day,
      mode: 'all',
      total: 1,
      byStatus: { complete: 1 },
      notCompleted: [],
    });
    // The day ran twice: once elsewhere, once as the backfill's child.
    expect(fetchesOf(day)).toBe(2);
    const latest = await t.env.client.workflow.getHandle(dayWorkflowId('maxExchanges', day)).describe();
    expect(latest.parentExecution?.workflowId).toBe(backfill.workflowId);
  });

  it('a poll leaves a day running elsewhere to that run', async () => {
    // Today and tomorrow are held: whichever the poll calls today (it reads its own clock), it finds it busy.
    const today = marketToday(new Date(await t.env.currentTimeMs()));
    const held = [today, addDays(today, 1)];
    const elsewhere = await Promise.all(held.map((day) => startHeldDay(day)));
    try {
      const poll = await t.env.client.workflow.execute<typeof pollWorkflow>('pollWorkflow', {
        workflowId: `poll-busy-${workers.taskQueue}`,
        taskQueue: workers.taskQueue,
        args: [{ lookbackDays: 0, lookaheadDays: 0 }],
      });
      expect(poll.days).toHaveLength(1);
      expect(held).toContain(poll.days[0]);
      expect({ byStatus: poll.byStatus, notCompleted: poll.notCompleted }).toEqual({
        byStatus: {},
        notCompleted: [],
      });
      expect(held.map(fetchesOf)).toEqual([1, 1]);
    } finally {
      for (const day of held) gates.release(day);
    }
    for (const handle of elsewhere) expect(await handle.result()).toMatchObject({ status: 'complete' });
    expect(held.map(fetchesOf)).toEqual([1, 1]);
  });

  it("a poll stands down while its region's monitoring is healthy: no day, no request", async () => {
    const fetchesBefore = calls.fetches.length;
    const modeReadsBefore = calls.modeReads;
    monitoring.healthy = true;
    try {
      const poll = await t.env.client.workflow.execute<typeof pollWorkflow>('pollWorkflow', {
        workflowId: `poll-stood-down-${workers.taskQueue}`,
        taskQueue: workers.taskQueue,
        args: [{ lookbackDays: 1, lookaheadDays: 1 }],
      });
      expect(poll).toEqual({
        days: [],
        byStatus: {},
        notCompleted: [],
        stoodDown: "JAO's monitoring of core fetches its days (stub)",
      });
      expect(calls.fetches.length).toBe(fetchesBefore);
      expect(calls.modeReads).toBe(modeReadsBefore + 1);
    } finally {
      monitoring.healthy = false;
    }
    // Monitoring not healthy: the same poll runs its days.
    const poll = await t.env.client.workflow.execute<typeof pollWorkflow>('pollWorkflow', {
      workflowId: `poll-takes-over-${workers.taskQueue}`,
      taskQueue: workers.taskQueue,
      args: [{ lookbackDays: 1, lookaheadDays: 0 }],
    });
    expect(poll.days).toHaveLength(2);
    expect(poll.stoodDown).toBeUndefined();
    expect(poll.byStatus).toEqual({ complete: 2 });
    expect(calls.fetches.length).toBe(fetchesBefore + 2);
  });
});
