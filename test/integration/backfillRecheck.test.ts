// A backfill re-plans against the database before it ends: a day its runs counted complete (or, in mode missing,
// one it skipped as complete) that the database no longer holds complete is fetched again, once; a day still not
// complete after that is reported failed. Own namespace, database and simulator.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dayWindow } from '../../domain/calendar';
import type { BackfillInput, BackfillProgress, BackfillResult } from '../../domain/workflowInputs';
import type { backfillWorkflow } from '../../workflows';
import { type JaoGate, startJaoGate } from '../helpers/gatedJao';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { untilTrue } from '../helpers/until';

let h: PipelineHarness;
/** Between the workers and the simulator: a test holds a backfill's next fetch there while the database loses a day. */
let gate: JaoGate;

beforeAll(async () => {
  const namespace = await createTestNamespace('recheck');
  h = await createPipelineHarness('recheck', {}, { namespace });
  gate = await startJaoGate(h.simulator.origin);
  await h.startWorkers({ jaoBaseUrl: gate.origin });
});
afterAll(async () => {
  await h?.close();
  await gate?.stop();
});
// A test that failed with the gate closed leaves it open for the next.
afterEach(() => gate?.open());

const requestsFor = (day: string) =>
  h.simulator.requests.filter((request) => request.fromUtc === dayWindow(day).from).length;

async function statusOf(day: string): Promise<string | null> {
  const { rows } = await h.db.pool.query<{ status: string }>(
    'SELECT status FROM jao.delivery_day WHERE day = $1',
    [day],
  );
  return rows[0]?.status ?? null;
}

/** Until a fetch waits at the (closed) gate. */
const untilFetchWaits = () =>
  untilTrue('a fetch waiting at the gate', () => gate.waiting() > 0, { everyMs: 50 });

function startBackfill(input: BackfillInput) {
  return h.temporal.client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
    workflowId: `maxExchanges/backfill/${input.from}..${input.to}/${input.mode}`,
    taskQueue: h.taskQueue,
    args: [input],
  });
}

/** The database loses the day: its status, values, value history and rejections (its raw answers stay). */
const loseDay = (day: string) =>
  h.db.pool.query(
    `WITH lost AS (DELETE FROM jao.delivery_day WHERE day = $1 RETURNING window_from, window_to),
          current AS (DELETE FROM jao.observation o USING lost
                       WHERE o.mtu >= lost.window_from AND o.mtu < lost.window_to),
          history AS (DELETE FROM jao.observation_history h USING lost
                       WHERE h.mtu >= lost.window_from AND h.mtu < lost.window_to)
     DELETE FROM jao.rejection WHERE day = $1`,
    [day],
  );

describe('backfill re-plans against the database before it ends', () => {
  it('fetches again a day its first run counted complete and the database lost, across continue-as-new', async () => {
    const days = ['2025-09-01', '2025-09-02', '2025-09-03', '2025-09-04'];
    gate.close();
    const handle = await startBackfill({
      dataset: 'maxExchanges',
      from: days[0]!,
      to: days[3]!,
      mode: 'all',
      concurrency: 1,
      daysPerRun: 2,
    });
    // The first day's fetch passes; the second waits while the database loses the first.
    await untilFetchWaits();
    gate.passOne();
    await untilTrue('the first day complete', async () => (await statusOf(days[0]!)) === 'complete', {
      everyMs: 50,
    });
    await untilFetchWaits();
    await loseDay(days[0]!);
    gate.open();

    const result: BackfillResult = await handle.result();
    expect(result).toMatchObject({ total: 4, byStatus: { complete: 4 }, notCompleted: [] });
    expect(await Promise.all(days.map(statusOf))).toEqual(days.map(() => 'complete'));
    expect(days.map(requestsFor)).toEqual([2, 1, 1, 1]);
  });

  it('in mode missing, also fetches again a day it skipped as complete that the database lost since', async () => {
    const [kept, first, second] = ['2025-09-10', '2025-09-11', '2025-09-12'];
    expect((await h.runDay(kept)).status).toBe('complete');
    gate.close();
    const handle = await startBackfill({
      dataset: 'maxExchanges',
      from: kept,
      to: second,
      mode: 'missing',
      concurrency: 1,
    });
    await untilTrue('the plan', async () => (await handle.query<BackfillProgress>('progress')).total === 2, {
      everyMs: 50,
    });
    // Its first fetch waits while the database loses the day it skipped.
    await untilFetchWaits();
    await loseDay(kept);
    gate.open();

    const result = await handle.result();
    expect(result).toMatchObject({ total: 3, byStatus: { complete: 3 }, notCompleted: [] });
    expect(await Promise.all([kept, first, second].map(statusOf))).toEqual([
      'complete',
      'complete',
      'complete',
    ]);
    expect([kept, first, second].map(requestsFor)).toEqual([2, 1, 1]);
  });

  it('fetches a lost day again only once: still not complete after that, it is reported failed', async () => {
    const [lost, other] = ['2025-09-20', '2025-09-21'];
    // Every run of `lost` reports complete, but at commit the database keeps it partial.
    await h.db.pool.query(`
      CREATE FUNCTION jao.test_keep_partial() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE jao.delivery_day SET status = 'partial' WHERE dataset = NEW.dataset AND day = NEW.day;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER test_keep_partial AFTER INSERT OR UPDATE ON jao.delivery_day
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (NEW.day = DATE '${lost}' AND NEW.status = 'complete')
        EXECUTE FUNCTION jao.test_keep_partial();`);
    try {
      const handle = await startBackfill({
        dataset: 'maxExchanges',
        from: lost,
        to: other,
        mode: 'all',
        concurrency: 2,
      });
      const result = await handle.result();
      expect(result).toEqual({
        dataset: 'maxExchanges',
        from: lost,
        to: other,
        mode: 'all',
        total: 2,
        byStatus: { complete: 1, failed: 1 },
        notCompleted: [
          {
            day: lost,
            status: 'failed',
            reason:
              'its run reported it complete, but the database holds it partial, also after running it again',
          },
        ],
      });
      expect([lost, other].map(requestsFor)).toEqual([2, 1]);
    } finally {
      await h.db.pool.query(
        'DROP TRIGGER test_keep_partial ON jao.delivery_day; DROP FUNCTION jao.test_keep_partial()',
      );
    }
  });
});
