// What a command works with: its configuration, and a database pool ended once the command's work with it settles.
import type pg from 'pg';
import { type Config, ConfigError, loadConfig } from '../common/config';
import { createPool, type PoolOptions } from '../db/pool';
import { UsageError } from './errors';

export function configFromEnv(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

export async function withPool<T>(
  databaseUrl: string,
  options: PoolOptions,
  use: (pool: pg.Pool) => Promise<T>,
): Promise<T> {
  const pool = createPool(databaseUrl, options);
  try {
    return await use(pool);
  } finally {
    await pool.end();
  }
}
