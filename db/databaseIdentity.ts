// Which database a connection reaches, independent of how it was addressed (localhost or 127.0.0.1, a password or
// none): the local dev server keeps one state per database (docs/operations.md "Running locally").
import { createHash } from 'node:crypto';
import type pg from 'pg';

export interface DatabaseIdentity {
  /** 16 hex digits naming the database: the same database gives the same key, any other gives another. */
  key: string;
  database: string;
  /** The PostgreSQL cluster's system identifier; null when pg_control_system() is refused (then `server`). */
  systemIdentifier: string | null;
  /** `address:port` as the server sees itself; null over a Unix socket. */
  server: string | null;
  /** pg_database's oid: a database dropped and created again under the same name is another database. */
  oid: number;
}

export async function readDatabaseIdentity(pool: pg.Pool): Promise<DatabaseIdentity> {
  const { rows } = await pool.query<{ database: string; oid: number; server: string | null }>(
    `SELECT current_database() AS database,
            (SELECT oid::int FROM pg_database WHERE datname = current_database()) AS oid,
            host(inet_server_addr()) || ':' || inet_server_port() AS server`,
  );
  const row = rows[0]!;
  const systemIdentifier = await readSystemIdentifier(pool);
  const cluster =
    systemIdentifier === null ? `server ${row.server ?? 'socket'}` : `system ${systemIdentifier}`;
  const key = createHash('sha256')
    .update(`${cluster}\0${row.database}\0${row.oid}`)
    .digest('hex')
    .slice(0, 16);
  return { key, database: row.database, systemIdentifier, server: row.server, oid: row.oid };
}

/** Managed services may refuse pg_control_system(); the server's address then stands for the cluster. */
async function readSystemIdentifier(pool: pg.Pool): Promise<string | null> {
  try {
    const { rows } = await pool.query<{ id: string }>(
      'SELECT system_identifier::text AS id FROM pg_control_system()',
    );
    return rows[0]?.id ?? null;
  } catch {
    return null;
  }
}

/** One line naming the database for a person: `jao on 127.0.0.1:5432 (system 7711091539950401663)`. */
export function describeDatabase(identity: DatabaseIdentity): string {
  const where = identity.server ? ` on ${identity.server}` : '';
  const system = identity.systemIdentifier ? ` (system ${identity.systemIdentifier})` : '';
  return `${identity.database}${where}${system}`;
}
