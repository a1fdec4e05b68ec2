// Database errors in the write path: one another attempt would repeat ends the day at once (not retried for
// minutes as if transient); a transient one is retried until it passes. Days 2025-09-01 and 2025-09-02.
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';

const CORE_KEYS = 132;
const REFUSED_DAY = '2025-09-01';
const CONTENDED_DAY = '2025-09-02';

let h: PipelineHarness;

beforeAll(async () => {
  h = await createPipelineHarness('db-failures');
  // The test database refuses the values of one day as a data exception (SQLSTATE 22003, what a value out of
  // range raises) and fails the first two writes of another with a serialization failure (40001). Sequences
  // count the attempts: their increments survive the rollbacks.
  await h.db.pool.query(`
    CREATE SEQUENCE public.refused_attempts;
    CREATE SEQUENCE public.contended_attempts;
    CREATE FUNCTION public.test_faults() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.mtu >= '2025-08-31T22:00Z' AND NEW.mtu < '2025-09-01T22:00Z' THEN
        PERFORM nextval('public.refused_attempts');
        RAISE EXCEPTION 'value out of range for this test' USING ERRCODE = '22003';
      END IF;
      IF NEW.mtu = '2025-09-01T22:00Z' AND nextval('public.contended_attempts') <= 2 THEN
        RAISE EXCEPTION 'could not serialize access (test)' USING ERRCODE = '40001';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_faults BEFORE INSERT ON jao.observation FOR EACH ROW EXECUTE FUNCTION public.test_faults();
  `);
  await h.startWorkers();
});

afterAll(async () => {
  await h?.close();
});

async function sequenceValue(name: string): Promise<number> {
  const result = await h.db.pool.query<{ n: number }>(
    `SELECT CASE WHEN is_called THEN last_value ELSE 0 END::int AS n FROM public.${name}`,
  );
  return result.rows[0]!.n;
}

describe('database errors in the write path', () => {
  it('ends the day after one attempt when the database refuses its data, saying why', async () => {
    const started = Date.now();
    const failure = await h.runDay(REFUSED_DAY).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    // The failure's messages, outermost first (the workflow may wrap the activity's failure in its own).
    const messages: string[] = [];
    for (let error: unknown = failure; error instanceof Error; error = error.cause)
      messages.push(error.message);
    expect(messages.join(' | ')).toContain(
      `write ${REFUSED_DAY}: SQLSTATE 22003 (data exception): value out of range for this test; ` +
        'not retried, another attempt would fail the same way',
    );
    expect(await sequenceValue('refused_attempts')).toBe(1);
    // Retried as transient, ten attempts with backoff took about 2.5 minutes.
    expect(Date.now() - started).toBeLessThan(30_000);
    const values = await h.db.pool.query(`SELECT 1 FROM jao.max_exchanges WHERE delivery_day = $1`, [
      REFUSED_DAY,
    ]);
    expect(values.rowCount).toBe(0);
  });

  it('retries a transient error (serialization failure) until the write passes', async () => {
    const result = await h.runDay(CONTENDED_DAY);
    expect(result).toMatchObject({
      day: CONTENDED_DAY,
      status: 'complete',
      mtus: 24,
      points: 24 * CORE_KEYS,
    });
    expect(await sequenceValue('contended_attempts')).toBeGreaterThan(2);
    const stored = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jao.max_exchanges WHERE delivery_day = $1`,
      [CONTENDED_DAY],
    );
    expect(stored.rows[0]!.n).toBe(24 * CORE_KEYS);
  });
});
