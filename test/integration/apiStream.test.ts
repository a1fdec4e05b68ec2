// A year of every border streamed as CSV: every row, in order, with memory that does not grow with the answer;
// a long answer is cut when its key is revoked.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedValues } from '../../bench/seedValues';
import { createApiKey, revokeApiKey } from '../../db/apiKeys';
import { createTestKey, startTestApi, type TestApi } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
let api: TestApi;
let key: string;
let seeded: { borders: number; values: number };

beforeAll(async () => {
  db = await createTestDatabase();
  // Half of Core's borders keeps the file fast; `npm run bench:api` streams all of them.
  seeded = await seedValues(db.pool, '2023-01-01', '2023-12-31', { borders: 66 });
  key = await createTestKey(db.pool);
  api = await startTestApi(db.url);
});

afterAll(async () => {
  await api?.close();
  await db?.release();
});

it('streams a year of values as CSV with flat memory', async () => {
  expect(seeded).toEqual({ borders: 66, values: 8760 * 66 });
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const response = await fetch(
    `${api.url}/v1/datasets/maxExchanges/values?from=2023-01-01&to=2023-12-31&format=csv`,
    {
      headers: { authorization: `Bearer ${key}` },
    },
  );
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let lines = 0;
  let tail = '';
  let firstLines = '';
  let lastMtu = '';
  let ordered = true;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const text = tail + decoder.decode(value, { stream: true });
    const parts = text.split('\n');
    tail = parts.pop()!;
    if (firstLines.length < 300) firstLines += parts.slice(0, 3).join('\n');
    for (const line of parts) {
      lines++;
      const mtu = line.slice(0, 24);
      if (lines > 2 && mtu < lastMtu) ordered = false;
      if (lines > 1) lastMtu = mtu;
    }
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  clearInterval(sampler);
  expect(tail).toBe('');
  expect(lines).toBe(1 + 8760 * 66);
  expect(ordered).toBe(true);
  expect(firstLines.split('\n')[0]).toBe(
    'mtu,delivery_day,border,from_zone,to_zone,value_mw,revision,first_seen_at,updated_at',
  );
  expect(firstLines.split('\n')[1]).toMatch(/^2022-12-31T23:00:00\.000Z,2023-01-01,AT_BE,AT,BE,\d+,1,/);
  expect(lastMtu).toBe('2023-12-31T22:00:00.000Z');
  // Buffered, this answer is 60 MB of text and far more as rows (well over 150 MB); streamed, memory stays flat.
  // The 64 MB target is bench:api's to measure (a test shares the machine with others and the GC's timing).
  expect((peak - baseline) / 2 ** 20).toBeLessThan(128);
});

it('cuts a long answer within 5 s of its key being revoked', async () => {
  const { key: revoked, token } = await createApiKey(db.pool, {
    name: 'revoked',
    datasets: ['maxExchanges'],
  });
  const response = await fetch(`${api.url}/v1/datasets/maxExchanges/values?from=2023-01-01&to=2023-12-31`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  expect((await reader.read()).done).toBe(false);
  await revokeApiKey(db.pool, revoked.id);
  // Not read meanwhile, the answer waits on its socket: by docs/howto/api-keys.md's 5 s it must have been cut.
  await expect
    .poll(() => api.logs.some((line) => line.includes('values answer cut: its key no longer reads it')), {
      timeout: 5_000,
    })
    .toBe(true);
  const rest = (async () => {
    for (;;) if ((await reader.read()).done) return 'whole';
  })();
  await expect(rest).rejects.toThrow(/terminated/);
});

it('cancels the COPY of an answer its client abandons and returns the connection', async () => {
  const apiBackends = async () =>
    (
      await db.pool.query<{ state: string; query: string }>(
        `SELECT state, query FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'jao-api'
            AND backend_type = 'client backend'`,
      )
    ).rows;
  const controller = new AbortController();
  const response = await fetch(
    `${api.url}/v1/datasets/maxExchanges/values?from=2023-01-01&to=2023-12-31&format=ndjson`,
    { headers: { authorization: `Bearer ${key}` }, signal: controller.signal },
  );
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  expect((await reader.read()).done).toBe(false);
  expect((await apiBackends()).some((backend) => backend.query.startsWith('COPY'))).toBe(true);
  controller.abort();
  // The API says how its COPY ended: by the cancellation (not run to its end and thrown away).
  await expect
    .poll(() => api.logs.some((line) => line.includes('values answer abandoned before its end')), {
      timeout: 30_000,
    })
    .toBe(true);
  const logged = JSON.parse(api.logs.find((line) => line.includes('values answer abandoned'))!) as {
    canceled: boolean;
  };
  expect(logged.canceled).toBe(true);
  // Its connection is back in the pool, idle (neither streaming nor left in its transaction), and serves again.
  await expect
    .poll(async () => (await apiBackends()).every((backend) => backend.state === 'idle'), { timeout: 30_000 })
    .toBe(true);
  const again = await fetch(
    `${api.url}/v1/datasets/maxExchanges/values?from=2023-01-01&to=2023-01-01&format=csv`,
    {
      headers: { authorization: `Bearer ${key}` },
    },
  );
  expect((await again.text()).split('\n')).toHaveLength(1 + 24 * 66 + 1);
});
