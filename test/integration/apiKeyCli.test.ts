// `jao api-key create|list|revoke` as an operator runs it: a key printed once, stored only as its hash; an open
// live feed ends within 5 s of its key's revocation (by the CLI or by plain SQL) or of losing its dataset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, hashApiKey } from '../../db/apiKeys';
import { writeDay } from '../../db/writeDay';
import { DATASETS } from '../../domain/datasets';
import { openEvents, type SseReader, startTestApi, type TestApi } from '../helpers/api';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { failedDayWrite } from './storageFixtures';

let db: TestDatabase;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  db = await createTestDatabase();
  env = { DATABASE_URL: db.url };
});

afterAll(async () => {
  await db?.release();
});

it('creates a key shown once, lists it, revokes it; refuses bad arguments in one line', async () => {
  const created = await runCli(['api-key', 'create', '--name', 'pricing app'], env);
  expect(created.code).toBe(0);
  const token = created.stdout.trim();
  expect(token).toMatch(/^jao_[A-Za-z0-9_-]{43}$/);
  const stored = await db.pool.query('SELECT key_id, name, key_sha256, datasets FROM jao.api_key');
  expect(stored.rows).toEqual([
    { key_id: 1, name: 'pricing app', key_sha256: hashApiKey(token), datasets: [...DATASETS] },
  ]);
  const listed = await runCli(['api-key', 'list'], env);
  expect(listed.stdout).toMatch(
    new RegExp(`^1\tpricing app\t${DATASETS.join(',')}\treader\tcreated \\S+\tactive$`, 'm'),
  );
  expect(listed.stdout).not.toContain(token);
  const revoked = await runCli(['api-key', 'revoke', '1'], env);
  expect(revoked.code).toBe(0);
  expect((await runCli(['api-key', 'list'], env)).stdout).toMatch(/\trevoked \S+$/m);
  for (const args of [
    ['api-key', 'create'],
    ['api-key', 'create', '--name', 'x', '--dataset', 'nope'],
    ['api-key', 'revoke', "1'; DROP TABLE jao.api_key; --"],
    ['api-key', 'revoke', '99'],
    ['api-key', 'rotate'],
    ['api-key', 'scope', '1'],
  ]) {
    const refused = await runCli(args, env);
    expect({ args, code: refused.code }).toEqual({ args, code: 2 });
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  }
});

it('grants the operator scope only when asked, and takes it back', async () => {
  const created = await runCli(['api-key', 'create', '--name', 'ops', '--operator'], env);
  expect(created.code).toBe(0);
  expect(created.stderr).toContain('(operator)');
  const { rows } = await db.pool.query<{ key_id: number }>(
    `SELECT key_id FROM jao.api_key WHERE name = 'ops' AND operator`,
  );
  const id = String(rows[0]!.key_id);
  expect((await runCli(['api-key', 'list'], env)).stdout).toMatch(
    new RegExp(`^${id}\tops\t${DATASETS.join(',')}\toperator\t`, 'm'),
  );
  const demoted = await runCli(['api-key', 'scope', id, '--reader'], env);
  expect(demoted.stdout.trim()).toBe(`key ${id} "ops" is now reader`);
  expect((await db.pool.query(`SELECT operator FROM jao.api_key WHERE key_id = $1`, [id])).rows).toEqual([
    { operator: false },
  ]);
  const help = await runCli(['api-key', '--help'], env);
  expect(help.stdout).toMatch(/--operator grants the operator scope/);
});

describe('an open live feed and its key', () => {
  /** What docs/howto/api-keys.md promises: a revoked key stops working within 5 seconds. */
  const PROMISED_MS = 5_000;
  let api: TestApi;
  /** An API that never re-checks keys by itself: only the revocation's notification can end its streams. */
  let notifiedOnly: TestApi;
  let control: { token: string; stream: SseReader };
  const streams = new AbortController();
  let nextDay = 1;

  beforeAll(async () => {
    // Listening: these tests are of open event streams (a refused reconnect is asked through app.inject()).
    api = await startTestApi(db.url, {}, 60_000);
    notifiedOnly = await startTestApi(db.url, {}, 60_000, 3_600_000);
    const { token } = await createApiKey(db.pool, { name: 'control', datasets: ['maxExchanges'] });
    control = { token, stream: await openEvents(api.url, token, streams.signal) };
  });

  afterAll(async () => {
    streams.abort();
    await api?.close();
    await notifiedOnly?.close();
  });

  const openWithNewKey = async (name: string, on: TestApi = api) => {
    const { key, token } = await createApiKey(db.pool, { name, datasets: ['maxExchanges'] });
    return { id: key.id, token, stream: await openEvents(on.url, token, streams.signal) };
  };

  /** The control key's stream is still open and hears an event raised after the other key lost its access. */
  const controlStillLive = async () => {
    const day = `2024-05-${String(nextDay++).padStart(2, '0')}`;
    const heard = control.stream.events.length;
    await writeDay(db.pool, failedDayWrite(day));
    await control.stream.until(() => control.stream.events.length > heard);
    expect(control.stream.ended).toBe(false);
    expect(JSON.parse(control.stream.events.at(-1)!.data)).toMatchObject({ type: 'day.failed', day });
  };

  const lastEvent = (stream: SseReader) => {
    const last = stream.events.at(-1);
    return last && { event: last.event, id: last.id, data: JSON.parse(last.data) as unknown };
  };

  it('ends the stream of a key revoked with `jao api-key revoke`, with a last key.revoked event', async () => {
    const revoked = await openWithNewKey('revoked by the CLI', notifiedOnly);
    const cli = await runCli(['api-key', 'revoke', String(revoked.id)], env);
    expect(cli.code).toBe(0);
    await revoked.stream.until(() => revoked.stream.ended, PROMISED_MS);
    expect(lastEvent(revoked.stream)).toEqual({
      event: 'key.revoked',
      id: null,
      data: {
        type: 'key.revoked',
        dataset: 'maxExchanges',
        message: 'this API key was revoked; the stream is closed',
      },
    });
    // The notification also dropped the key from the cache of looked-up keys: a reconnect is refused at once.
    expect((await notifiedOnly.get(revoked.token, '/v1/events')).status).toBe(401);
    await controlStillLive();
  });

  it('ends the stream of a key revoked by plain SQL (no notification), by the periodic re-check', async () => {
    const revoked = await openWithNewKey('revoked by SQL');
    await db.pool.query('UPDATE jao.api_key SET revoked_at = now() WHERE key_id = $1', [revoked.id]);
    await revoked.stream.until(() => revoked.stream.ended, PROMISED_MS);
    expect(lastEvent(revoked.stream)?.event).toBe('key.revoked');
    expect((await api.get(revoked.token, '/v1/events')).status).toBe(401);
    await controlStillLive();
  });

  it('ends the stream of a key whose scope no longer holds the dataset, with a last key.unscoped event', async () => {
    const rescoped = await openWithNewKey('rescoped by SQL');
    await db.pool.query(`UPDATE jao.api_key SET datasets = '{}' WHERE key_id = $1`, [rescoped.id]);
    await rescoped.stream.until(() => rescoped.stream.ended, PROMISED_MS);
    expect(lastEvent(rescoped.stream)).toMatchObject({
      event: 'key.unscoped',
      data: { type: 'key.unscoped', dataset: 'maxExchanges' },
    });
    expect((await api.get(rescoped.token, '/v1/events')).status).toBe(403);
    await controlStillLive();
  });
});
