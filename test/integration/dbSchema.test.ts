// db/schema.sql and db/schema.timescaledb.sql are what `jao migrate` builds: a fresh database of the test server,
// migrated and dumped as `npm run db:schema` does (scripts/schemaDump.ts), gives the committed file of its engine.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import {
  bodyOfSchemaFile,
  dumpFreshSchema,
  firstDifference,
  SCHEMA_DUMP_MAJOR,
  SCHEMA_FILES,
  schemaHeader,
  serverMajor,
} from '../../scripts/schemaDump';
import { REPO_ROOT } from '../helpers/processes';

describe('the committed schema dump', () => {
  it("is the schema `jao migrate` builds on this server's engine", async (ctx) => {
    const major = await serverMajor(inject('adminDatabaseUrl'));
    ctx.skip(
      major !== SCHEMA_DUMP_MAJOR,
      `the committed dumps are PostgreSQL ${SCHEMA_DUMP_MAJOR}'s and this server is PostgreSQL ${major}: compared on PostgreSQL ${SCHEMA_DUMP_MAJOR} (the first npm test of .ci/run), since pg_dump writes another text on another major`,
    );
    const scratch = `${inject('databasePrefix')}_schema_${randomBytes(3).toString('hex')}`;
    const dump = await dumpFreshSchema(inject('adminDatabaseUrl'), scratch);
    const file = SCHEMA_FILES[dump.facts.engine];
    const name = relative(REPO_ROOT, file);
    ctx.skip(
      !existsSync(file),
      `${name} is absent: no dump of the ${dump.facts.engine} engine is committed (run npm run db:schema on one)`,
    );
    const committed = readFileSync(file, 'utf8');
    const header = schemaHeader(dump.facts);
    const difference = firstDifference(bodyOfSchemaFile(committed), dump.body, header.split('\n').length + 2);
    if (difference !== null) {
      const [committedHeader] = committed.split('\n\n', 1);
      const written =
        committedHeader === header
          ? ''
          : `\n(${name} was written on another server or role:\n${committedHeader}\nthis run:\n${header})`;
      expect.fail(
        `${name} is not the schema the migrations build: run npm run db:schema` +
          `${dump.facts.engine === 'timescaledb' ? ' with DATABASE_URL at a TimescaleDB server' : ''}.\n` +
          `${difference}${written}`,
      );
    }
  });
});
