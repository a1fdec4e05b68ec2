// The cluster's two PostgreSQL databases: created when missing, their schemas set up or brought up to date by
// temporal-sql-tool (the same steps the auto-setup image runs), idempotently.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { ClusterError } from './errors';
import { databaseUrl, type TemporalDatabases } from './settings';

/** Creates whichever of the two databases is missing; returns the names it created. */
export async function createTemporalDatabases(databases: TemporalDatabases): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl(databases, 'postgres') });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ClusterError(
      `PostgreSQL at ${databases.host}:${databases.port} does not answer (${reason}); check TEMPORAL_DATABASE_URL or DATABASE_URL`,
    );
  }
  try {
    const created: string[] = [];
    for (const name of [databases.main, databases.visibility]) {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount) continue;
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
        created.push(name);
      } catch (error) {
        // 42P04: created meanwhile by a concurrent `up`
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
    return created;
  } finally {
    await client.end();
  }
}

/** Schema names embedded in temporal-sql-tool (schema/postgresql/v12/… of the server module at TEMPORAL_SERVER_VERSION). */
const SCHEMAS = { main: 'postgresql/v12/temporal', visibility: 'postgresql/v12/visibility' } as const;

function runSqlTool(
  sqlTool: string,
  databases: TemporalDatabases,
  database: string,
  args: string[],
): Promise<string> {
  const common = ['--plugin', 'postgres12', '--ep', databases.host, '--port', String(databases.port)];
  const child = spawn(sqlTool, [...common, '--user', databases.user, '--db', database, ...args], {
    // the password travels in the environment, never on the command line
    env: { PATH: process.env.PATH ?? '', SQL_PASSWORD: databases.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  }
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else {
        const tail = output.trim().split('\n').slice(-5).join('\n');
        reject(new Error(`temporal-sql-tool ${args[0]} on ${database} failed (exit ${code}):\n${tail}`));
      }
    });
  });
}

export interface SchemaReport {
  database: string;
  version: string | null;
}

async function schemaVersion(databases: TemporalDatabases, database: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl(databases, database) });
  await client.connect();
  try {
    const result = await client.query<{ curr_version: string }>('SELECT curr_version FROM schema_version');
    return result.rows[0]?.curr_version ?? null;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/** `setup-schema -v 0.0` (versioning tables; a no-op once set up), then `update-schema` to the newest version. */
export async function setUpSchemas(sqlTool: string, databases: TemporalDatabases): Promise<SchemaReport[]> {
  const reports: SchemaReport[] = [];
  for (const [which, schema] of Object.entries(SCHEMAS) as [keyof typeof SCHEMAS, string][]) {
    const database = databases[which];
    await runSqlTool(sqlTool, databases, database, ['setup-schema', '-v', '0.0']);
    await runSqlTool(sqlTool, databases, database, ['update-schema', '--schema-name', schema]);
    reports.push({ database, version: await schemaVersion(databases, database) });
  }
  return reports;
}
