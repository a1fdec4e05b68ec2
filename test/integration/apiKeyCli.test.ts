// `jao api-key create|list|revoke` as an operator runs it: a key printed once, stored only as its hash.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashApiKey } from '../../db/apiKeys';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { runJao } from '../helpers/processes';

let db: TestDatabase;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  db = await createTestDatabase();
  env = { DATABASE_URL: db.url };
});

afterAll(async () => {
  await db?.drop();
});

it('creates a key shown once, lists it, revokes it; refuses bad arguments in one line', async () => {
  const created = await runJao(['api-key', 'create', '--name', 'pricing app'], env);
  expect(created.code).toBe(0);
  const token = created.stdout.trim();
  expect(token).toMatch(/^jao_[A-Za-z0-9_-]{43}$/);
  const stored = await db.pool.query('SELECT key_id, name, key_sha256, datasets FROM jao.api_key');
  expect(stored.rows).toEqual([
    { key_id: 1, name: 'pricing app', key_sha256: hashApiKey(token), datasets: ['maxExchanges'] },
  ]);
  const listed = await runJao(['api-key', 'list'], env);
  expect(listed.stdout).toMatch(/^1\tpricing app\tmaxExchanges\tcreated \S+\tactive$/m);
  expect(listed.stdout).not.toContain(token);
  const revoked = await runJao(['api-key', 'revoke', '1'], env);
  expect(revoked.code).toBe(0);
  expect((await runJao(['api-key', 'list'], env)).stdout).toMatch(/\trevoked \S+$/m);
  for (const args of [
    ['api-key', 'create'],
    ['api-key', 'create', '--name', 'x', '--dataset', 'nope'],
    ['api-key', 'revoke', "1'; DROP TABLE jao.api_key; --"],
    ['api-key', 'revoke', '99'],
    ['api-key', 'rotate'],
  ]) {
    const refused = await runJao(args, env);
    expect({ args, code: refused.code }).toEqual({ args, code: 2 });
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  }
});
