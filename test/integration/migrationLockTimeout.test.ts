// How a migration's session waits for locks (db/lockRetry.ts): 0.5 s at most, and where its role may, PostgreSQL checks
// who blocks it after 0.1 s, so that an autovacuum in the way is cancelled within that half second instead of never
// (its default deadlock_timeout of 1 s outlasts the lock timeout). A role that may not set it waits the same, unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MIGRATION_DEADLOCK_TIMEOUT_MS,
  MIGRATION_LOCK_TIMEOUT_MS,
  resetMigrationLockTimeout,
  setMigrationLockTimeout,
} from '../../db/lockRetry';
import { testPool } from '../helpers/connections';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.release();
});

async function timeouts(client: { query: TestDatabase['pool']['query'] }) {
  const { rows } = await client.query<{ lock: string; deadlock: string }>(
    `SELECT current_setting('lock_timeout') AS lock, current_setting('deadlock_timeout') AS deadlock`,
  );
  return rows[0]!;
}

describe("a migration session's lock waits", () => {
  it('as a superuser: the lock timeout, and blockers checked after 0.1 s; both reset after', async () => {
    const client = await db.pool.connect();
    try {
      const server = await timeouts(client);
      await setMigrationLockTimeout(client, false);
      expect(await timeouts(client)).toEqual({
        lock: `${MIGRATION_LOCK_TIMEOUT_MS}ms`,
        deadlock: `${MIGRATION_DEADLOCK_TIMEOUT_MS}ms`,
      });
      await resetMigrationLockTimeout(client);
      expect(await timeouts(client)).toEqual(server);

      await client.query('BEGIN');
      await setMigrationLockTimeout(client, true);
      expect((await timeouts(client)).deadlock).toBe(`${MIGRATION_DEADLOCK_TIMEOUT_MS}ms`);
      await client.query('COMMIT');
      expect(await timeouts(client)).toEqual(server);
    } finally {
      client.release();
    }
  });

  it('as a role that may not set deadlock_timeout: the lock timeout alone, without an error', async () => {
    const writerUrl = new URL(db.url);
    writerUrl.username = 'jao_writer';
    const writer = testPool({ connectionString: writerUrl.toString(), max: 1 });
    const client = await writer.connect();
    try {
      const server = await timeouts(client);
      await client.query('BEGIN');
      await setMigrationLockTimeout(client, true);
      expect(await timeouts(client)).toEqual({
        lock: `${MIGRATION_LOCK_TIMEOUT_MS}ms`,
        deadlock: server.deadlock,
      });
      await client.query('COMMIT');
    } finally {
      client.release();
      await writer.end();
    }
  });
});
