import type pg from 'pg';

/**
 * What the database runs on and why: TimescaleDB only where the extension is installed in the database and
 * its library is preloaded by the server; plain PostgreSQL otherwise (docs/design.md §6).
 */
export interface Engine {
  kind: 'timescaledb' | 'postgresql';
  /** Server version, e.g. `15.20`. */
  postgres: string;
  /** Version of the timescaledb extension installed in this database, or null. */
  timescaledb: string | null;
  /** Version the server offers (pg_available_extensions), or null when it offers none. */
  available: string | null;
  /** Whether the server preloads the timescaledb library (shared_preload_libraries). */
  preloaded: boolean;
  /** Why plain PostgreSQL, or why TimescaleDB cannot be used; null when TimescaleDB runs. */
  reason: string | null;
  /** One line for people: `engine: TimescaleDB 2.28.3 on PostgreSQL 15.20`. */
  line: string;
}

/**
 * A setting the TimescaleDB loader defines at server start: it exists exactly when the library is preloaded. The
 * baseline migration creates the extension only where it exists (db/migrations/001_baseline.sql).
 */
export const PRELOAD_SETTING = 'timescaledb.bgw_launcher_poll_time';

/**
 * Reads the catalog only: nothing here loads the timescaledb library, so the probe is safe where loading it
 * would end the connection (FATAL "must be preloaded"), and any role may run it. Preloading is recognized by
 * a setting the TimescaleDB loader defines at server start (shared_preload_libraries itself is readable by
 * superusers and pg_read_all_settings only).
 */
export async function readEngine(client: pg.ClientBase | pg.Pool): Promise<Engine> {
  const result = await client.query<Pick<Engine, 'postgres' | 'timescaledb' | 'available' | 'preloaded'>>(
    `SELECT split_part(current_setting('server_version'), ' ', 1) AS postgres,
            (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS timescaledb,
            (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb') AS available,
            current_setting($1, true) IS NOT NULL AS preloaded`,
    [PRELOAD_SETTING],
  );
  return describeEngine(result.rows[0]!);
}

export function describeEngine(
  facts: Pick<Engine, 'postgres' | 'timescaledb' | 'available' | 'preloaded'>,
): Engine {
  const postgres = `PostgreSQL ${facts.postgres}`;
  if (facts.timescaledb !== null && facts.preloaded) {
    return {
      ...facts,
      kind: 'timescaledb',
      reason: null,
      line: `engine: TimescaleDB ${facts.timescaledb} on ${postgres}`,
    };
  }
  let reason: string;
  if (facts.timescaledb !== null) {
    reason = `timescaledb ${facts.timescaledb} is installed in this database but the server does not preload it`;
  } else if (facts.available === null) {
    reason = 'timescaledb not available on this server';
  } else if (!facts.preloaded) {
    reason = 'timescaledb available but not preloaded';
  } else {
    reason = 'timescaledb preloaded but not installed in this database';
  }
  return { ...facts, kind: 'postgresql', reason, line: `engine: ${postgres} (${reason})` };
}

/**
 * The TimescaleDB releases this schema is known to be right and as fast as documented on (docs/timescaledb.md
 * "Supported versions"): from `min`, before `below`.
 */
export const TIMESCALEDB_SUPPORTED = {
  min: '2.25.2',
  below: '3.0.0',
  why:
    'below 2.25.2 a column computed by PostgreSQL reads NULL in compressed chunks (TimescaleDB #9314), and the ' +
    "views' plans over compressed history are measured from there on; a new major release is not yet checked",
} as const;

function versionParts(version: string): number[] {
  return (version.match(/[0-9]+/g) ?? []).slice(0, 3).map(Number);
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < 3; i += 1) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/**
 * The engine cannot be used as it is: TimescaleDB objects exist but their library would not load, or the TimescaleDB
 * in use (or about to be installed by the baseline, where the server preloads it) is outside the supported range.
 */
export function unusableEngine(engine: Engine): string | null {
  if (engine.timescaledb !== null && !engine.preloaded) {
    return (
      `${engine.reason}: add 'timescaledb' to shared_preload_libraries and restart PostgreSQL ` +
      '(using the database without it ends every session that touches a hypertable)'
    );
  }
  const version = engine.timescaledb ?? (engine.preloaded ? engine.available : null);
  const { min, below, why } = TIMESCALEDB_SUPPORTED;
  if (version === null || (compareVersions(version, min) >= 0 && compareVersions(version, below) < 0))
    return null;
  return (
    `TimescaleDB ${version} is not supported: this release runs on TimescaleDB ${min} or later, before ${below} ` +
    `(${why}); install a supported release and ALTER EXTENSION timescaledb UPDATE`
  );
}
