// The time budget under a database outage (domain/timeBudget.ts): the retry horizon counts from the day's start,
// not from each step's, so a day whose write cannot reach the database fails at its horizon, and its failure is
// recorded once the database is back, whether a poll, a backfill or an operator started it. Shortened settings:
// a 1 s horizon, JAO answering after 2 s, so every write starts past its day's horizon. The outage: every write
// of jao.delivery_day (the day's write and the record of its failure) fails with 57P03, what a restarting server
// answers, until every affected day's write has failed once: the test ends it then, not a clock (a loaded machine
// once started the backfill's writes after a 6 s outage had ended). Own namespace: the poll's days (yesterday,
// today) collide with no other file.
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InAttemptRetry } from '../../domain/timeBudget';
import type { BackfillResult } from '../../domain/workflowInputs';
import type { backfillWorkflow, pollWorkflow } from '../../workflows';
import type { PollResult } from '../../workflows/poll';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { untilRead } from '../helpers/until';

const HORIZON_MS = 1_000;
const JAO_LATENCY_MS = 2_000;
/** The days whose writes the outage fails: the top-level day, the backfill's two, the poll's two. */
const AFFECTED_DAYS = 5;
const TOP_LEVEL_DAY = '2025-10-06';
const BACKFILL_DAYS = ['2025-10-07', '2025-10-08'];
const FAST_STORE_RETRY: InAttemptRetry = { initialDelayMs: 100, maxDelayMs: 500, budgetMs: 3_000 };
/** What every affected day's failure says (a workflow's with the day workflow's prefix): its write gave up at the day's horizon, counted from its start. */
const GAVE_UP =
  /^(?:maxExchanges \d{4}-\d{2}-\d{2} failed: )?gave up (\d+) s after the day started \(retry horizon 1 s\): write (\d{4}-\d{2}-\d{2}): SQLSTATE 57P03 /;

let h: PipelineHarness;

beforeAll(async () => {
  const namespace = await createTestNamespace('budget');
  h = await createPipelineHarness('budget', {}, { namespace });
  await h.db.pool.query(`
    CREATE TABLE public.write_outage (since timestamptz NOT NULL DEFAULT clock_timestamp());
    CREATE SEQUENCE public.failed_writes;
    CREATE FUNCTION public.write_outage() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM public.write_outage) THEN
        -- counts the day's writes, not the records of its failure (the increments survive the rollback)
        IF NEW.status <> 'failed' THEN PERFORM nextval('public.failed_writes'); END IF;
        RAISE EXCEPTION 'the database system is starting up (test)' USING ERRCODE = '57P03';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER write_outage BEFORE INSERT OR UPDATE ON jao.delivery_day
      FOR EACH ROW EXECUTE FUNCTION public.write_outage();
  `);
  await h.startWorkers({ retryHorizonMs: HORIZON_MS, rawStoreRetry: FAST_STORE_RETRY });
});

afterAll(async () => {
  await h?.close();
});

/** Why a day workflow failed. */
function reasonOf(failure: unknown): string {
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  return (failure as WorkflowFailedError).cause?.message ?? '';
}

/** Seconds after the day's start at which its write gave up, checking the reason names the day and the horizon. */
function gaveUpAfter(day: string, reason: string | undefined): number {
  const match = GAVE_UP.exec(reason ?? '');
  expect(match, reason).not.toBeNull();
  expect(match![2]).toBe(day);
  return Number(match![1]);
}

async function failedWrites(): Promise<number> {
  const result = await h.db.pool.query<{ n: number }>(
    `SELECT CASE WHEN is_called THEN last_value ELSE 0 END::int AS n FROM public.failed_writes`,
  );
  return result.rows[0]!.n;
}

describe('a database outage longer than the horizon', () => {
  it('fails every affected day at its horizon and records it, whichever workflow started it', async () => {
    h.simulator.setFaults({ latencyMs: JAO_LATENCY_MS });
    await h.db.pool.query('INSERT INTO public.write_outage DEFAULT VALUES');
    try {
      const { client } = h.temporal;
      const topLevel = await h.startDay(TOP_LEVEL_DAY);
      const backfill = await client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
        workflowId: `backfill-budget-${h.taskQueue}`,
        taskQueue: h.taskQueue,
        args: [{ from: BACKFILL_DAYS[0]!, to: BACKFILL_DAYS[1]!, mode: 'all', concurrency: 2 }],
      });
      const poll = await client.workflow.start<typeof pollWorkflow>('pollWorkflow', {
        workflowId: `maxExchanges/poll/${h.taskQueue}`,
        taskQueue: h.taskQueue,
        args: [{ lookbackDays: 1, lookaheadDays: 0 }],
        // Scaled down like the horizon: the poll's days must end, recorded, well within it.
        workflowExecutionTimeout: '1 minute',
      });

      // The database comes back once every affected day's write has failed; their failures are recorded then.
      await untilRead(
        "every affected day's write failed",
        failedWrites,
        (failed) => failed >= AFFECTED_DAYS,
        { timeoutMs: 60_000 },
      );
      expect(await failedWrites()).toBe(AFFECTED_DAYS);
      await h.db.pool.query('DELETE FROM public.write_outage');

      const topLevelReason = reasonOf(await topLevel.result().catch((error: unknown) => error));
      const backfilled: BackfillResult = await backfill.result();
      const polled: PollResult = await poll.result();

      // Each write started past its day's horizon (JAO took 2 s of it) and gave up at its first failure: counted
      // from the write's own start, it would have been tried again and again for 1 s.
      expect(gaveUpAfter(TOP_LEVEL_DAY, topLevelReason)).toBeGreaterThanOrEqual(2);
      expect(backfilled).toMatchObject({ total: 2, byStatus: { failed: 2 } });
      expect(backfilled.notCompleted.map((outcome) => outcome.day).sort()).toEqual(BACKFILL_DAYS);
      expect(polled.days).toHaveLength(2);
      expect(polled.byStatus).toEqual({ failed: 2 });
      expect(polled.notCompleted.map((outcome) => outcome.day).sort()).toEqual(polled.days);
      for (const outcome of [...backfilled.notCompleted, ...polled.notCompleted]) {
        expect(outcome.status).toBe('failed');
        expect(gaveUpAfter(outcome.day, outcome.reason)).toBeGreaterThanOrEqual(2);
      }
      expect(await failedWrites()).toBe(AFFECTED_DAYS);
      expect((await poll.describe()).status.name).toBe('COMPLETED');

      const days = [TOP_LEVEL_DAY, ...BACKFILL_DAYS, ...polled.days].sort();
      const rows = await h.db.pool.query<{ day: string; status: string; last_error: string }>(
        'SELECT day::text AS day, status, last_error FROM jao.delivery_day ORDER BY day',
      );
      expect(rows.rows.map(({ day, status }) => ({ day, status }))).toEqual(
        days.map((day) => ({ day, status: 'failed' })),
      );
      for (const row of rows.rows) expect(gaveUpAfter(row.day, row.last_error)).toBeGreaterThanOrEqual(2);
    } finally {
      h.simulator.setFaults({ latencyMs: 0 });
      await h.db.pool.query('DELETE FROM public.write_outage');
    }
  });
});
