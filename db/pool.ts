import pg from 'pg';

/**
 * Type parsing for this pool only (no global side effects): int8 as a JS number (every bigint this schema
 * returns — ids, counts — fits in 2^53) and `date` as its `YYYY-MM-DD` text (a delivery day), never as a
 * local-midnight Date.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format !== 'binary') {
      if (oid === pg.types.builtins.INT8) return (text: string) => Number(text);
      if (oid === pg.types.builtins.DATE) return (text: string) => text;
    }
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as typeof pg.types.getTypeParser,
};

export interface PoolOptions {
  max?: number;
  applicationName?: string;
}

/** A connection pool for the pipeline's database. */
export function createPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'jao-scraper',
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client that loses its connection must not crash the process; the next checkout reconnects.
  pool.on('error', () => {});
  return pool;
}

/** Runs `work` in one transaction on one client; rolls back on any error. */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
