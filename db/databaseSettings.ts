// The database-level settings the consumer views' plans rely on (docs/timescaledb.md "Plain SQL on the views"). They
// live in the catalog of one database (ALTER DATABASE … SET), which neither a clone (CREATE DATABASE … TEMPLATE) nor
// a pg_dump restored into a new database carries, so every migrate run asserts them, not only the migration that
// introduced them. Only a role that may alter the database can; for any other a line says what stays as configured.
import type pg from 'pg';

interface DatabaseSetting {
  name: string;
  value: string;
  timescaleOnly: boolean;
}

export const DATABASE_SETTINGS: readonly DatabaseSetting[] = [
  // Chunk skipping: TimescaleDB reads each compressed chunk's range of delivery_day only with it on, in the desk's
  // sessions and in the compression policy that records the range (migration 012).
  { name: 'timescaledb.enable_chunk_skipping', value: 'on', timescaleOnly: true },
  // JIT compiled for 0.1-1.5 s to answer a month of days in milliseconds (the baseline migration).
  { name: 'jit', value: 'off', timescaleOnly: false },
];

/**
 * The settings missing from this database, set where the session's role may, and the pipeline's right to make
 * tables of its session (ensureWriterTemporary); returns a line for each it may not.
 */
export async function ensureDatabaseSettings(client: pg.ClientBase, timescale: boolean): Promise<string[]> {
  return [...(await ensureSettings(client, timescale)), ...(await ensureWriterTemporary(client))];
}

/**
 * TEMPORARY on the database for jao_writer: a revision of a day of the flow-based domain COPYs its versions into a
 * table of its session (db/lanes/constraints/constraintMerge.ts). PostgreSQL grants it to PUBLIC by default; where PUBLIC lost it, it
 * is granted by name. A database privilege, which a clone or a restored dump does not carry either.
 */
async function ensureWriterTemporary(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ has: boolean | null; may_grant: boolean; database: string }>(
    `SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jao_writer')
                 THEN has_database_privilege('jao_writer', current_database(), 'TEMPORARY') END AS has,
            (d.datdba = r.oid OR r.rolsuper) AS may_grant, d.datname AS database
       FROM pg_database d, pg_roles r
      WHERE d.datname = current_database() AND r.rolname = current_user`,
  );
  const row = rows[0];
  if (row?.has !== false) return [];
  if (!row.may_grant)
    return [
      `jao_writer may not create temporary tables in database ${row.database}, and this role may not grant it: ` +
        'revisions of the flow-based domain will fail (GRANT TEMPORARY ON DATABASE … TO jao_writer)',
    ];
  const sql = await client.query<{ sql: string }>(
    "SELECT format('GRANT TEMPORARY ON DATABASE %I TO jao_writer', current_database()) AS sql",
  );
  await client.query(sql.rows[0]!.sql);
  return [];
}

async function ensureSettings(client: pg.ClientBase, timescale: boolean): Promise<string[]> {
  const wanted = DATABASE_SETTINGS.filter((setting) => timescale || !setting.timescaleOnly);
  const { rows } = await client.query<{ config: string[] | null; may_alter: boolean; database: string }>(
    `SELECT (SELECT s.setconfig FROM pg_db_role_setting s
              WHERE s.setdatabase = d.oid AND s.setrole = 0) AS config,
            (d.datdba = r.oid OR r.rolsuper) AS may_alter,
            d.datname AS database
       FROM pg_database d, pg_roles r
      WHERE d.datname = current_database() AND r.rolname = current_user`,
  );
  const row = rows[0];
  if (!row) return [];
  const present = new Set(row.config ?? []);
  const missing = wanted.filter((setting) => !present.has(`${setting.name}=${setting.value}`));
  if (missing.length === 0) return [];
  if (!row.may_alter) {
    return missing.map(
      (setting) =>
        `${setting.name} stays as configured for database ${row.database}: this role may not set it to ${setting.value}`,
    );
  }
  for (const setting of missing) {
    const sql = await client.query<{ sql: string }>(
      'SELECT format($1, current_database(), $2::text, $3::text) AS sql',
      ['ALTER DATABASE %I SET %s = %L', setting.name, setting.value],
    );
    try {
      await client.query(sql.rows[0]!.sql);
    } catch {
      // Two migrate runs at once (two workers starting) both set it: PostgreSQL refuses the second writer of the
      // catalog row ("tuple concurrently updated", or a duplicate key where the database had no setting yet). The
      // other run set the same value, which is all this wanted; or another setting of it, and this one is set again
      // on the row it made.
      if (!(await hasSetting(client, setting))) await client.query(sql.rows[0]!.sql);
    }
  }
  return [];
}

async function hasSetting(client: pg.ClientBase, setting: DatabaseSetting): Promise<boolean> {
  const { rows } = await client.query<{ present: boolean }>(
    `SELECT coalesce($1 = ANY (s.setconfig), false) AS present
       FROM pg_database d LEFT JOIN pg_db_role_setting s ON s.setdatabase = d.oid AND s.setrole = 0
      WHERE d.datname = current_database()`,
    [`${setting.name}=${setting.value}`],
  );
  return rows[0]?.present === true;
}
