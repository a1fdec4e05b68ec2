// A database dropped under a test's connections (test/helpers/connections.ts) fails their next query; it must not
// end the run with an unhandled 'error' event, as a bare pg.Pool in appendOnly.test.ts once did.
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { testClient, testPool } from '../helpers/connections';
import { databaseUrlFor, dropDatabase, quoteIdent, withAdminClient } from '../helpers/postgres';

describe('test connections to a database dropped under them', () => {
  it('fail their next query, and report the idle one lost, without an unhandled error', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const name = `${inject('databasePrefix')}_dropped_${randomBytes(4).toString('hex')}`;
    await withAdminClient(adminUrl, (admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}`));
    try {
      const url = databaseUrlFor(adminUrl, name);
      const reported: string[] = [];
      let idleLost = () => {};
      const lost = new Promise<void>((resolve) => {
        idleLost = resolve;
      });
      // Never closed for idleness: DROP DATABASE waits for a checkpoint, which on a busy server outlasts the
      // pool's default 10 s, and an idle connection the pool had closed would never be reported lost.
      const pool = testPool({ connectionString: url, max: 2, idleTimeoutMillis: 0 }, (line) => {
        reported.push(line);
        idleLost();
      });
      const client = testClient(url);
      await client.connect();
      const checkedOut = await pool.connect();
      await pool.query('SELECT 1');
      expect(pool.idleCount).toBe(1);

      // WITH (FORCE) ends the three sessions: `terminating connection due to administrator command` (57P01).
      await dropDatabase(adminUrl, name);
      await lost;
      expect(reported).toEqual([
        expect.stringContaining('terminating connection due to administrator command'),
      ]);

      await expect(client.query('SELECT 1')).rejects.toThrow();
      await expect(checkedOut.query('SELECT 1')).rejects.toThrow();
      checkedOut.release(true);
      await expect(pool.query('SELECT 1')).rejects.toThrow(/does not exist/);
      await client.end();
      await pool.end();
    } finally {
      await dropDatabase(adminUrl, name);
    }
  }, 20_000); // without the listeners the report never comes: fail soon, beside vitest's unhandled errors
});
