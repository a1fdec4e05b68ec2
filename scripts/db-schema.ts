// `npm run db:schema`: migrates a fresh scratch database on the server at DATABASE_URL (default the local one) and
// writes its schema as pg_dump writes it to db/schema.sql, or db/schema.timescaledb.sql where the server preloads
// TimescaleDB (scripts/schemaDump.ts). PG_DUMP names the pg_dump when the one found is not of the server's version.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT } from '../common/buildInfo';
import { DEFAULT_DATABASE_URL } from '../devstack/localDatabase';
import {
  dumpFreshSchema,
  renderSchemaFile,
  SCHEMA_DUMP_MAJOR,
  SCHEMA_FILES,
  serverMajor,
} from './schemaDump';

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const major = await serverMajor(serverUrl);
  if (major !== SCHEMA_DUMP_MAJOR) {
    throw new Error(
      `the committed dumps are PostgreSQL ${SCHEMA_DUMP_MAJOR}'s and this server is PostgreSQL ${major}: run it with DATABASE_URL at a PostgreSQL ${SCHEMA_DUMP_MAJOR} server (scripts/schemaDump.ts, SCHEMA_DUMP_MAJOR)`,
    );
  }
  const scratch = `jao_schema_${randomBytes(4).toString('hex')}`;
  const dump = await dumpFreshSchema(serverUrl, scratch);
  const file = SCHEMA_FILES[dump.facts.engine];
  writeFileSync(file, renderSchemaFile(dump));
  console.log(`${relative(REPO_ROOT, file)}: ${dump.facts.engine}, dumped by ${dump.pgDump}`);
}

main().catch((error: unknown) => {
  console.error(`db:schema failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
