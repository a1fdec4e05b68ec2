// Day serialization that consumers cannot interfere with, and a write path that never waits forever.
// Days 2025-09-20 and 2025-09-21 (no other test file uses them).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDatabaseFailure } from '../../activities/databaseFailure';
import { writeDay } from '../../db/writeDay';
import { FAILURE_TYPES } from '../../domain/failureTypes';
import { testClient } from '../helpers/connections';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { until } from '../helpers/until';

const READER_DAY = '2025-09-20';
const CONTENDED_DAY = '2025-09-21';
const CORE_KEYS = 132;

let h: PipelineHarness;

function clientAs(user: string): pg.Client {
  const url = new URL(h.db.url);
  url.username = user;
  url.password = '';
  return testClient({ connectionString: url.toString() });
}

/** Runs `sql` in a savepoint, so a refused statement leaves the session's transaction (and locks) alive. */
async function sqlStateIn(client: pg.Client, sql: string): Promise<string | null> {
  await client.query('SAVEPOINT attempt');
  try {
    await client.query(sql);
    await client.query('RELEASE SAVEPOINT attempt');
    return null;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT attempt');
    return (error as { code?: string }).code ?? 'unknown';
  }
}

function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms),
    ),
  ]);
}

beforeAll(async () => {
  h = await createPipelineHarness('day-locks');
  await h.startWorkers({ writeTimeouts: { lockTimeoutMs: 500, statementTimeoutMs: 10_000 } });
});

afterAll(async () => {
  await h?.close();
});

describe('day locks', () => {
  it('a jao_reader session holding every lock it can take does not block a write', async () => {
    const reader = clientAs('jao_reader');
    await reader.connect();
    try {
      await reader.query('BEGIN');
      // What a reader can hold: any advisory lock (the keys the write path used to serialize on included) and
      // the ACCESS SHARE locks of its reads, for as long as its transaction stays open.
      for (const namespace of [1_245_793_025, 1_245_793_026]) {
        await reader.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
          namespace,
          `maxExchanges/${READER_DAY}`,
        ]);
      }
      await reader.query(`SELECT pg_advisory_lock(hashtext('maxExchanges/${READER_DAY}'))`);
      await reader.query('LOCK TABLE jao.delivery_day, jao.max_exchanges IN ACCESS SHARE MODE');
      await reader.query('SELECT count(*) FROM jao.max_exchanges_as_of(now())');
      // What it cannot: row locks on the day status, anything on the lock table.
      expect(await sqlStateIn(reader, 'SELECT 1 FROM jao.delivery_day FOR UPDATE')).toBe('42501');
      expect(await sqlStateIn(reader, 'SELECT 1 FROM jao.delivery_day FOR KEY SHARE')).toBe('42501');
      expect(await sqlStateIn(reader, 'SELECT 1 FROM jao.day_lock FOR UPDATE')).toBe('42501');
      expect(await sqlStateIn(reader, 'LOCK TABLE jao.day_lock IN ROW SHARE MODE')).toBe('42501');
      expect(await sqlStateIn(reader, 'LOCK TABLE jao.delivery_day IN SHARE MODE')).toBe('42501');

      const result = await within(30_000, h.runDay(READER_DAY), `the day ${READER_DAY}`);
      expect(result).toMatchObject({ day: READER_DAY, status: 'complete', points: 24 * CORE_KEYS });
    } finally {
      await reader.query('ROLLBACK').catch(() => {});
      await reader.end();
    }
  });

  it('a write blocked by another writer past the lock timeout fails retryably, and a later attempt succeeds', async () => {
    const blocker = clientAs('jao_writer');
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `INSERT INTO jao.day_lock (dataset, day, purpose) VALUES ('maxExchanges', $1, 'write')
         ON CONFLICT (dataset, day, purpose) DO UPDATE SET locked_at = now()`,
        [CONTENDED_DAY],
      );

      const started = Date.now();
      const blocked = await writeDay(
        h.db.pool,
        {
          dataset: 'maxExchanges',
          day: CONTENDED_DAY,
          status: 'not_published',
          validated: null,
          expectedMtus: 24,
          rawResponseId: null,
          workflowId: null,
        },
        { lockTimeoutMs: 300, statementTimeoutMs: 10_000 },
      ).then(
        () => null,
        (error: unknown) => error,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(blocked).toMatchObject({ code: '55P03', message: 'canceling statement due to lock timeout' });
      expect(asDatabaseFailure(blocked, `write ${CONTENDED_DAY}`)).toMatchObject({
        type: FAILURE_TYPES.databaseUnavailable,
        nonRetryable: false,
      });

      // The pipeline's write of the day keeps failing on the lock timeout (500 ms here) and being retried: the
      // lock is waited for by two statements one after the other …
      const run = h.runDay(CONTENDED_DAY);
      const waits = new Set<string>();
      await until(
        'a second wait for the day lock, after a lock timeout',
        async () => {
          const waiting = await h.db.pool.query<{ statement: string }>(
            `SELECT pid || ' ' || query_start AS statement FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          for (const { statement } of waiting.rows) waits.add(statement);
          return waits.size >= 2 ? true : undefined;
        },
        { everyMs: 50 },
      );
      const meanwhile = await h.db.pool.query('SELECT 1 FROM jao.delivery_day WHERE day = $1', [
        CONTENDED_DAY,
      ]);
      expect(meanwhile.rowCount).toBe(0);
      // … until the other writer is done.
      await blocker.query('COMMIT');
      const result = await within(60_000, run, `the day ${CONTENDED_DAY}`);
      expect(result).toMatchObject({ day: CONTENDED_DAY, status: 'complete', points: 24 * CORE_KEYS });
      const row = await h.db.pool.query<{ attempts: number }>(
        'SELECT attempts FROM jao.delivery_day WHERE day = $1',
        [CONTENDED_DAY],
      );
      expect(row.rows).toEqual([{ attempts: 1 }]);
    } finally {
      await blocker.query('ROLLBACK').catch(() => {});
      await blocker.end();
    }
  });
});
