// Every PostgreSQL connection a test makes, pool or single client: its 'error' event is handled (db/pool.ts), so a
// database dropped or a server restarted under it fails the test's next query, never the whole run with an unhandled
// error. test/unit/testConnections.test.ts fails when a test file builds one directly.
import pg from 'pg';
import { POOL_TYPES, watchClient, watchPool } from '../../db/pool';

/**
 * A pool (a connection string, or node-postgres's options): a connection lost while idle is one line to `report`
 * (default stderr, as every pool of the project) and the next checkout connects again; one lost while checked out
 * fails the query in flight. It reads values as the project's pools do (db/pool.ts POOL_TYPES: bigint as a number,
 * a date as its text), so the code under test meets what it meets in production.
 */
export function testPool(config: pg.PoolConfig | string, report?: (line: string) => void): pg.Pool {
  const options = typeof config === 'string' ? { connectionString: config } : config;
  const pool = new pg.Pool({ types: POOL_TYPES, ...options });
  return watchPool(pool, report);
}

/**
 * A single connection (a connection string, or node-postgres's options), reading values as the pools do: once lost,
 * its next query fails.
 */
export function testClient(config: pg.ClientConfig | string): pg.Client {
  const options = typeof config === 'string' ? { connectionString: config } : config;
  return watchClient(new pg.Client({ types: POOL_TYPES, ...options }));
}
