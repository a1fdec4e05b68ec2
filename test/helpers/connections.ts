// Every PostgreSQL connection a test makes, pool or single client: its 'error' event is handled (db/pool.ts), so a
// database dropped or a server restarted under it fails the test's next query, never the whole run with an unhandled
// error. test/unit/testConnections.test.ts fails when a test file builds one directly.
import pg from 'pg';
import { watchClient, watchPool } from '../../db/pool';

/**
 * A pool (a connection string, or node-postgres's options): a connection lost while idle is one line to `report`
 * (default stderr, as every pool of the project) and the next checkout connects again; one lost while checked out
 * fails the query in flight.
 */
export function testPool(config: pg.PoolConfig | string, report?: (line: string) => void): pg.Pool {
  const pool = new pg.Pool(typeof config === 'string' ? { connectionString: config } : config);
  return watchPool(pool, report);
}

/** A single connection (a connection string, or node-postgres's options): once lost, its next query fails. */
export function testClient(config: pg.ClientConfig | string): pg.Client {
  return watchClient(new pg.Client(config));
}
