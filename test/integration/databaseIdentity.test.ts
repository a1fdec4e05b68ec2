import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DatabaseIdentity, describeDatabase, readDatabaseIdentity } from '../../db/databaseIdentity';
import { testPool } from '../helpers/connections';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { databaseUrlFor, dropDatabase, quoteIdent, withAdminClient } from '../helpers/postgres';

async function identityAt(url: string): Promise<DatabaseIdentity> {
  const pool = testPool({ connectionString: url, max: 1 });
  try {
    return await readDatabaseIdentity(pool);
  } finally {
    await pool.end();
  }
}

describe('database identity', () => {
  let db: TestDatabase;
  let other: TestDatabase;
  beforeAll(async () => {
    [db, other] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await db?.release();
    await other?.release();
  });

  it('is the same through localhost and 127.0.0.1, and names the database', async () => {
    const direct = await identityAt(db.url);
    const viaName = new URL(db.url);
    viaName.hostname = 'localhost';
    const { rows } = await db.pool.query<{ id: string }>(
      'SELECT system_identifier::text AS id FROM pg_control_system()',
    );
    expect(direct).toMatchObject({ database: db.name, systemIdentifier: rows[0]!.id });
    expect(direct.key).toMatch(/^[0-9a-f]{16}$/);
    expect((await identityAt(viaName.toString())).key).toBe(direct.key);
    const port = new URL(db.url).port || '5432';
    expect(describeDatabase(direct)).toBe(`${db.name} on 127.0.0.1:${port} (system ${rows[0]!.id})`);
  });

  it('differs for another database, and for one dropped and created again under the same name', async () => {
    const first = await identityAt(db.url);
    expect((await identityAt(other.url)).key).not.toBe(first.key);

    const adminUrl = inject('adminDatabaseUrl');
    const name = `${db.name}_again`;
    const create = () =>
      withAdminClient(adminUrl, (admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}`));
    await create();
    try {
      const before = await identityAt(databaseUrlFor(adminUrl, name));
      await dropDatabase(adminUrl, name);
      await create();
      const after = await identityAt(databaseUrlFor(adminUrl, name));
      expect(after.database).toBe(before.database);
      expect(after.key).not.toBe(before.key);
    } finally {
      await dropDatabase(adminUrl, name);
    }
  });
});
