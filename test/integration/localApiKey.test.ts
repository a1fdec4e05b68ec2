// The key `jao start` hands to the status page: one per database, kept beside the dev server's state and reused
// while the database holds it active; a revoked, foreign or unreadable one is replaced, never printed.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localApiKey, localApiKeyFile } from '../../cli/commands/localApiKey';
import { findActiveApiKey, hashApiKey, newApiKeyToken, revokeApiKey } from '../../db/apiKeys';
import { type DatabaseIdentity, readDatabaseIdentity } from '../../db/databaseIdentity';
import { DATASETS } from '../../domain/datasets';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

describe('the status page key of jao start', () => {
  let db: TestDatabase;
  let dataDir: string;
  let identity: DatabaseIdentity;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'jao-page-key-'));
    identity = await readDatabaseIdentity(db.pool);
  });
  afterAll(async () => {
    await db?.release();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a key once, kept readable by its owner only, and reuses it while it is active', async () => {
    const first = await localApiKey(db.pool, dataDir, identity, 'test');
    expect(first.created).toBe(true);
    expect(first.file).toBe(localApiKeyFile(dataDir, identity));
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(await findActiveApiKey(db.pool, hashApiKey(first.token))).toMatchObject({
      id: first.keyId,
      name: 'jao start (status page)',
      datasets: [...DATASETS],
    });
    const again = await localApiKey(db.pool, dataDir, identity, 'test');
    expect(again).toEqual({ ...first, created: false });
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM jao.api_key');
    expect(rows[0].n).toBe(1);
  });

  it('replaces a revoked key, and a kept token this database does not know', async () => {
    const kept = await localApiKey(db.pool, dataDir, identity, 'test');
    await revokeApiKey(db.pool, kept.keyId);
    const replaced = await localApiKey(db.pool, dataDir, identity, 'test');
    expect(replaced.created).toBe(true);
    expect(replaced.token).not.toBe(kept.token);

    // A token in the file that is not this database's (another database's, or edited by hand) is not printed.
    const record = JSON.parse(readFileSync(replaced.file, 'utf8'));
    writeFileSync(replaced.file, JSON.stringify({ ...record, token: newApiKeyToken() }));
    const fresh = await localApiKey(db.pool, dataDir, identity, 'test');
    expect(fresh.created).toBe(true);
    expect(await findActiveApiKey(db.pool, hashApiKey(fresh.token))).toMatchObject({ id: fresh.keyId });

    writeFileSync(fresh.file, 'not json');
    expect((await localApiKey(db.pool, dataDir, identity, 'test')).created).toBe(true);
  });

  it('keeps one key per database', async () => {
    const other = { ...identity, key: '0123456789abcdef' };
    expect(localApiKeyFile(dataDir, other)).not.toBe(localApiKeyFile(dataDir, identity));
    const mine = await localApiKey(db.pool, dataDir, identity, 'test');
    const theirs = await localApiKey(db.pool, dataDir, other, 'other');
    expect(theirs.created).toBe(true);
    expect(theirs.token).not.toBe(mine.token);
  });
});
