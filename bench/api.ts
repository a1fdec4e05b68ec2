// `npm run bench:api`: the desk's API against its baselines in the same run. One day of every border as JSON at
// 50 connections (autocannon) against the same query through pg; a year of every border as CSV (rows/s, RSS
// growth); the live feed's latency from a day's commit to 500 subscribers. `--smoke`: tiny sizes, same targets.
import autocannon from 'autocannon';
import pg from 'pg';
import { startApi } from '../api/server';
import { SELECT_TEXT } from '../api/valueRows';
import { createApiKey } from '../db/apiKeys';
import { migrate } from '../db/migrate';
import { createPool, watchClient } from '../db/pool';
import { writeDay } from '../db/writeDay';
import { printTargets, ratio } from './report';
import { seedValues } from './seedValues';
import { databaseUrlFor, makeDay } from './write';

interface Sizes {
  yearFrom: string;
  yearTo: string;
  borders: number | undefined;
  seconds: number;
  connections: number;
  subscribers: number;
  events: number;
}

const FULL: Sizes = {
  yearFrom: '2023-01-01',
  yearTo: '2023-12-31',
  borders: undefined,
  seconds: 10,
  connections: 50,
  subscribers: 500,
  events: 5,
};
const SMOKE: Sizes = {
  yearFrom: '2023-01-01',
  yearTo: '2023-01-07',
  borders: 6,
  seconds: 1,
  connections: 5,
  subscribers: 20,
  events: 2,
};
const ONE_DAY = '2023-01-02';

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export const TARGET_NAMES = [
  'throughput ≥ 0.8 × the direct query',
  'p99 ≤ 50 ms (50 connections)',
  'CSV ≥ 250 k rows/s',
  'RSS growth ≤ 64 MB streaming the year',
  'SSE p95 ≤ 1 s',
] as const;

/** The same query, straight through pg, from `connections` loops for `seconds`: latencies in ms. */
async function directBaseline(
  url: string,
  sizes: Sizes,
): Promise<{ latencies: number[]; perSecond: number }> {
  const pool = createPool(url, { max: sizes.connections, applicationName: 'bench:api-direct' });
  const latencies: number[] = [];
  // The same rows from the same view, as a desk application would ask pg for one day.
  const sql = `${SELECT_TEXT} FROM jao.max_exchanges v WHERE v.delivery_day = $1::date ORDER BY v.mtu, v.border`;
  const deadline = Date.now() + sizes.seconds * 1000;
  const started = Date.now();
  try {
    await Promise.all(
      Array.from({ length: sizes.connections }, async () => {
        while (Date.now() < deadline) {
          const t = performance.now();
          await pool.query({ text: sql, values: [ONE_DAY], rowMode: 'array' });
          latencies.push(performance.now() - t);
        }
      }),
    );
  } finally {
    await pool.end();
  }
  latencies.sort((a, b) => a - b);
  return { latencies, perSecond: latencies.length / ((Date.now() - started) / 1000) };
}

async function streamYear(apiUrl: string, key: string, sizes: Sizes) {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const response = await fetch(
    `${apiUrl}/v1/datasets/maxExchanges/values?from=${sizes.yearFrom}&to=${sizes.yearTo}&format=csv`,
    { headers: { authorization: `Bearer ${key}` } },
  );
  const reader = response.body!.getReader();
  let newlines = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) newlines++;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { rows: newlines - 1, seconds, rssGrowthMb: (peak - baseline) / 2 ** 20 };
}

async function sseLatency(apiUrl: string, key: string, pool: pg.Pool, sizes: Sizes): Promise<number[]> {
  const controllers: AbortController[] = [];
  const arrivals = new Map<number, number[]>();
  const readers = await Promise.all(
    Array.from({ length: sizes.subscribers }, async () => {
      const controller = new AbortController();
      controllers.push(controller);
      const response = await fetch(`${apiUrl}/v1/events`, {
        headers: { authorization: `Bearer ${key}` },
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      // Wrapped: a returned promise would be awaited by Promise.all, and the stream never ends by itself.
      const done = (async () => {
        let buffer = '';
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buffer += decoder.decode(value, { stream: true });
            for (const match of buffer.matchAll(/^id: (\d+)$/gm)) {
              const id = Number(match[1]);
              if (!arrivals.has(id)) arrivals.set(id, []);
              arrivals.get(id)!.push(performance.now());
            }
            buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
          }
        } catch {
          // aborted
        }
      })();
      return { done };
    }),
  );
  const latencies: number[] = [];
  for (let i = 0; i < sizes.events; i++) {
    const day = `2025-02-${String(10 + i).padStart(2, '0')}`;
    const validated = makeDay(day, i, 0);
    const before = await pool.query<{ id: string | null }>(
      'SELECT max(event_id)::text AS id FROM jao.day_event',
    );
    await writeDay(pool, {
      dataset: 'maxExchanges',
      day,
      status: 'complete',
      validated,
      expectedMtus: validated.expectedMtus,
      rawResponseId: null,
      workflowId: 'bench',
    });
    const committed = performance.now();
    const id = Number(before.rows[0]?.id ?? 0) + 1;
    const deadline = Date.now() + 10_000;
    while ((arrivals.get(id)?.length ?? 0) < sizes.subscribers && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const times = arrivals.get(id) ?? [];
    for (const at of times) latencies.push(Math.max(0, at - committed));
    for (let missing = times.length; missing < sizes.subscribers; missing++)
      latencies.push(Number.POSITIVE_INFINITY);
  }
  for (const controller of controllers) controller.abort();
  await Promise.allSettled(readers.map((reader) => reader.done));
  return latencies.sort((a, b) => a - b);
}

export async function runApiBenchmark(args: string[]): Promise<void> {
  const smoke = args.includes('--smoke');
  const unknown = args.filter((arg) => arg !== '--smoke');
  if (unknown.length > 0) throw new Error(`bench api: unknown argument ${unknown[0]} (only --smoke)`);
  const sizes = smoke ? SMOKE : FULL;
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `jao_bench_api_${process.pid}`;
  const admin = watchClient(new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') }));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  const ownerUrl = databaseUrlFor(serverUrl, database);
  const readerUrl = new URL(ownerUrl);
  readerUrl.username = 'jao_reader';
  readerUrl.password = '';
  const pool = createPool(ownerUrl, { max: 4, applicationName: 'bench:api' });
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  try {
    await migrate(pool);
    const seedStarted = Date.now();
    const seeded = await seedValues(pool, sizes.yearFrom, sizes.yearTo, { borders: sizes.borders });
    console.log(
      `bench:api${smoke ? ' --smoke' : ''}: ${seeded.values} values of ${seeded.borders} borders, ` +
        `${sizes.yearFrom}..${sizes.yearTo} (seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s)`,
    );
    // Freshly inserted rows dirty their pages on first read (hint bits): both sides read settled pages.
    await pool.query('VACUUM (ANALYZE) jao.observation');
    const { token } = await createApiKey(pool, { name: 'bench', datasets: ['maxExchanges'] });
    api = await startApi({
      host: '127.0.0.1',
      port: 0,
      databaseUrl: readerUrl.toString(),
      maxRangeDays: 3660,
      rateLimitPerMinute: 1_000_000,
      logLevel: 'warn',
      temporal: null,
      temporalUiUrl: 'http://127.0.0.1:8233',
      taskQueue: 'jao-scraper',
    });

    // One warm-up second each, then the measured runs.
    await directBaseline(readerUrl.toString(), { ...sizes, seconds: 1 });
    const direct = await directBaseline(readerUrl.toString(), sizes);
    await autocannon({
      url: `${api.url}/v1/datasets/maxExchanges/values?from=${ONE_DAY}&to=${ONE_DAY}`,
      connections: sizes.connections,
      duration: 1,
      headers: { authorization: `Bearer ${token}` },
    });
    const http = await autocannon({
      url: `${api.url}/v1/datasets/maxExchanges/values?from=${ONE_DAY}&to=${ONE_DAY}`,
      connections: sizes.connections,
      duration: sizes.seconds,
      headers: { authorization: `Bearer ${token}` },
    });
    const apiPerSecond = http.requests.average;
    console.log(`one day, every border, JSON, ${sizes.connections} connections, ${sizes.seconds} s:`);
    console.log(
      `  API      p50 ${http.latency.p50} ms  p99 ${http.latency.p99} ms  ${apiPerSecond.toFixed(0)} req/s  ` +
        `(${http.non2xx} non-2xx, ${http.errors} errors)  ${ratio(apiPerSecond, direct.perSecond)} (API / pg req/s)`,
    );
    console.log(
      `  pg       p50 ${percentile(direct.latencies, 50).toFixed(1)} ms  p99 ${percentile(direct.latencies, 99).toFixed(1)} ms  ` +
        `${direct.perSecond.toFixed(0)} req/s (baseline: the same query, no HTTP)`,
    );

    const year = await streamYear(api.url, token, sizes);
    const rowsPerSecond = year.rows / year.seconds;
    console.log(
      `CSV ${sizes.yearFrom}..${sizes.yearTo}: ${year.rows} rows in ${year.seconds.toFixed(1)} s, ` +
        `${(rowsPerSecond / 1000).toFixed(0)} k rows/s, RSS growth ${year.rssGrowthMb.toFixed(1)} MB ` +
        `(rows expected: ${seeded.values})`,
    );

    const sse = await sseLatency(api.url, token, pool, sizes);
    const p95 = percentile(sse, 95);
    console.log(
      `live feed, ${sizes.subscribers} subscribers, ${sizes.events} days: commit → client p50 ` +
        `${percentile(sse, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`,
    );

    printTargets([
      {
        name: TARGET_NAMES[0],
        met: http.non2xx === 0 && apiPerSecond >= 0.8 * direct.perSecond,
        measured: `${(apiPerSecond / direct.perSecond).toFixed(2)} × direct`,
      },
      {
        name: TARGET_NAMES[1],
        met: http.latency.p99 <= 50,
        measured: `${http.latency.p99} ms at ${sizes.connections} connections`,
      },
      {
        name: TARGET_NAMES[2],
        met: rowsPerSecond >= 250_000 && year.rows === seeded.values,
        measured: `${(rowsPerSecond / 1000).toFixed(0)} k rows/s, ${year.rows} of ${seeded.values} rows`,
      },
      { name: TARGET_NAMES[3], met: year.rssGrowthMb <= 64, measured: `${year.rssGrowthMb.toFixed(1)} MB` },
      { name: TARGET_NAMES[4], met: p95 <= 1000, measured: `${p95.toFixed(0)} ms` },
    ]);
  } finally {
    await api?.close();
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
