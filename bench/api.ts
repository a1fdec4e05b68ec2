// `npm run bench:api`: the desk's API against its physical baselines, in the same run.
// - A cached values answer (one day of every border, JSON) against a bare `node:http` server sending the same bytes
//   with the same headers, both loaded by the same load generator (autocannon in a process of its own, so that it
//   never shares the servers' event loop) at 1, 10 and 50 connections: req/s and p99 of each, in turns.
// - A year of every border streamed as CSV and as NDJSON (read by a client process) against `COPY (the same query) TO
//   STDOUT (FORMAT csv)` read through pg-copy-streams in this process: rows/s of each, in turns, and the API's RSS
//   growth while streaming.
// - The live feed's latency from a day's commit to 500 subscribers.
// `--smoke`: tiny sizes, same targets.
import { spawn } from 'node:child_process';
import { createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { startApi } from '../api/server';
import { valuesSql } from '../api/valueRows';
import { createApiKey } from '../db/apiKeys';
import { migrate } from '../db/migrate';
import { createPool, watchClient } from '../db/pool';
import { writeDay } from '../db/writeDay';
import { databaseUrlFor } from './benchDatabase';
import { printTargets, ratio } from './report';
import { seedValues } from './seedValues';
import { makeDay } from './write';

interface Sizes {
  yearFrom: string;
  yearTo: string;
  borders: number | undefined;
  /** Seconds of load per run. */
  seconds: number;
  /** Connection counts of the load runs; the last one is judged. */
  connections: number[];
  /** A one-second run of each before the measured ones (a smoke run starts few processes: each costs seconds). */
  warmUp: boolean;
  /** Rounds of COPY, CSV and NDJSON streams, in turns; the best of each counts. */
  streamRounds: number;
  subscribers: number;
  events: number;
}

const FULL: Sizes = {
  yearFrom: '2023-01-01',
  yearTo: '2023-12-31',
  borders: undefined,
  seconds: 8,
  connections: [1, 10, 50],
  warmUp: true,
  streamRounds: 2,
  subscribers: 500,
  events: 5,
};
const SMOKE: Sizes = {
  yearFrom: '2023-01-01',
  yearTo: '2023-01-07',
  borders: 6,
  seconds: 1,
  connections: [5],
  warmUp: false,
  streamRounds: 1,
  subscribers: 20,
  events: 2,
};
const ONE_DAY = '2023-01-02';
/** Each of these at least this share of its physical baseline. */
const MIN_SHARE = 0.8;

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export const TARGET_NAMES = [
  `cached values answer ≥ ${MIN_SHARE} × a bare node:http server`,
  `CSV ≥ ${MIN_SHARE} × COPY rows/s`,
  `NDJSON ≥ ${MIN_SHARE} × COPY rows/s`,
  'RSS growth ≤ 64 MB streaming the year',
  'SSE p95 ≤ 1 s',
] as const;

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** What a Node.js child process with `args` printed on stdout; `what` names it when it fails. */
async function nodeOutput(args: string[], what: string): Promise<string> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`${what} exited with ${code}: ${stderr.trim()}`);
  return stdout;
}

/** autocannon's CLI in a child process: the load generator never shares the event loop of the server it loads. */
async function load(
  url: string,
  connections: number,
  seconds: number,
  headers: Record<string, string>,
): Promise<Load> {
  const args = [
    require.resolve('autocannon/autocannon.js'),
    '--json',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]),
    url,
  ];
  const result = JSON.parse(await nodeOutput(args, 'autocannon')) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  };
  return {
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Headers that describe the connection or the moment, not the answer: the bare server sets its own. */
const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** A bare node:http server answering every request with `body` and `headers`, on 127.0.0.1. */
async function startBareServer(
  body: Buffer,
  headers: OutgoingHttpHeaders,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, headers);
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The cached answer's bytes and headers, as the API sends them once the answer is in its cache. */
async function cachedAnswer(
  url: string,
  token: string,
): Promise<{ body: Buffer; headers: OutgoingHttpHeaders }> {
  const ask = () => fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await (await ask()).arrayBuffer();
  const response = await ask();
  if (response.headers.get('x-cache') !== 'hit')
    throw new Error('bench:api: the day was not answered from the cache');
  const headers: OutgoingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    if (!HOP_HEADERS.has(name)) headers[name] = value;
  });
  return { body: Buffer.from(await response.arrayBuffer()), headers };
}

/** Newlines in a stream of bytes (Buffer#indexOf: native, so counting costs next to nothing beside the stream). */
async function countLines(chunks: AsyncIterable<Uint8Array>): Promise<number> {
  let newlines = 0;
  for await (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) newlines++;
  }
  return newlines;
}

/**
 * A client in a process of its own (as the load generator): it fetches `url` with node:http (a lean reader, as the
 * load generator is: undici's web streams cost this shared machine's CPU more than the bytes do) and prints the
 * newlines it read and the seconds from the request to the last byte, so the API's process does only the API's work.
 */
const STREAM_CLIENT = `
const http = require('node:http');
const [url, authorization] = process.argv.slice(1);
const started = performance.now();
http.get(url, { headers: { authorization } }, (response) => {
  let lines = 0;
  response.on('data', (bytes) => {
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
  });
  response.on('end', () => {
    console.log(JSON.stringify({ status: response.statusCode, lines, seconds: (performance.now() - started) / 1000 }));
  });
});`;

async function fetchInChild(url: string, authorization: string): Promise<{ lines: number; seconds: number }> {
  const output = await nodeOutput(['-e', STREAM_CLIENT, url, authorization], 'bench:api: the stream client');
  const result = JSON.parse(output) as { status: number; lines: number; seconds: number };
  if (result.status !== 200) throw new Error(`bench:api: the stream answered ${result.status}`);
  return result;
}

/**
 * The API's values query for the year, every border, with its parameters as literals (COPY takes none), through
 * COPY … TO STDOUT (FORMAT csv) in this process: the rows/s PostgreSQL alone gives.
 */
async function copyYear(url: string, sizes: Sizes): Promise<{ rows: number; seconds: number }> {
  const sql = valuesSql(false)
    .replaceAll('$1', pg.escapeLiteral(sizes.yearFrom))
    .replaceAll('$2', pg.escapeLiteral(sizes.yearTo))
    .replaceAll('$3', 'NULL')
    .replaceAll('$4', pg.escapeLiteral('maxExchanges'));
  const client = watchClient(new pg.Client({ connectionString: url }));
  await client.connect();
  try {
    const started = performance.now();
    const rows = await countLines(client.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT csv)`)));
    return { rows, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

/**
 * The year through the API in `format`, read by a client process: rows (lines less CSV's header), seconds, and the
 * RSS growth of this process (the API's) meanwhile.
 */
async function streamYear(apiUrl: string, key: string, sizes: Sizes, format: 'csv' | 'ndjson') {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const { lines, seconds } = await fetchInChild(
      `${apiUrl}/v1/datasets/maxExchanges/values?from=${sizes.yearFrom}&to=${sizes.yearTo}&format=${format}`,
      `Bearer ${key}`,
    );
    return { rows: format === 'csv' ? lines - 1 : lines, seconds, rssGrowthMb: (peak - baseline) / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
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

    // The cached answer of one day, then the API and the bare server in turns at each connection count.
    const dayUrl = `${api.url}/v1/datasets/maxExchanges/values?from=${ONE_DAY}&to=${ONE_DAY}`;
    const answer = await cachedAnswer(dayUrl, token);
    const bare = await startBareServer(answer.body, answer.headers);
    const auth = { authorization: `Bearer ${token}` };
    let judged: { api: Load; bare: Load } | undefined;
    try {
      console.log(
        `one day of every border, JSON (${(answer.body.length / 2 ** 20).toFixed(2)} MB), cached, ${sizes.seconds} s per run:`,
      );
      for (const connections of sizes.connections) {
        if (sizes.warmUp) {
          await load(bare.url, connections, 1, {});
          await load(dayUrl, connections, 1, auth);
        }
        const bareLoad = await load(bare.url, connections, sizes.seconds, {});
        const apiLoad = await load(dayUrl, connections, sizes.seconds, auth);
        console.log(
          `  ${String(connections).padStart(2)} connections: API ${apiLoad.perSecond.toFixed(0)} req/s p50 ${apiLoad.p50} ms ` +
            `p99 ${apiLoad.p99} ms (${apiLoad.non2xx} non-2xx, ${apiLoad.errors} errors); bare node:http ` +
            `${bareLoad.perSecond.toFixed(0)} req/s p50 ${bareLoad.p50} ms p99 ${bareLoad.p99} ms; ` +
            `${ratio(apiLoad.perSecond, bareLoad.perSecond)} (API / bare req/s)`,
        );
        judged = { api: apiLoad, bare: bareLoad };
      }
    } finally {
      await bare.close();
    }

    // A year of every border: COPY, CSV and NDJSON in turns; the best rows/s of each.
    let copy = { rows: 0, perSecond: 0 };
    let csv = { rows: 0, perSecond: 0, rssGrowthMb: 0 };
    let ndjson = { rows: 0, perSecond: 0 };
    for (let round = 0; round < sizes.streamRounds; round++) {
      const copied = await copyYear(readerUrl.toString(), sizes);
      const asCsv = await streamYear(api.url, token, sizes, 'csv');
      const asNdjson = await streamYear(api.url, token, sizes, 'ndjson');
      copy = { rows: copied.rows, perSecond: Math.max(copy.perSecond, copied.rows / copied.seconds) };
      csv = {
        rows: asCsv.rows,
        perSecond: Math.max(csv.perSecond, asCsv.rows / asCsv.seconds),
        rssGrowthMb: Math.max(csv.rssGrowthMb, asCsv.rssGrowthMb),
      };
      ndjson = {
        rows: asNdjson.rows,
        perSecond: Math.max(ndjson.perSecond, asNdjson.rows / asNdjson.seconds),
      };
    }
    const kRows = (perSecond: number) => `${(perSecond / 1000).toFixed(0)} k rows/s`;
    console.log(
      `a year of every border, ${sizes.yearFrom}..${sizes.yearTo} (${seeded.values} values), best of ${sizes.streamRounds}:`,
    );
    console.log(
      `  COPY (the same query) TO STDOUT (FORMAT csv) through pg-copy-streams: ${copy.rows} rows, ${kRows(copy.perSecond)} (baseline)`,
    );
    console.log(
      `  API CSV: ${csv.rows} rows, ${kRows(csv.perSecond)}, ${ratio(csv.perSecond, copy.perSecond)}; ` +
        `RSS growth ${csv.rssGrowthMb.toFixed(1)} MB`,
    );
    console.log(
      `  API NDJSON: ${ndjson.rows} rows, ${kRows(ndjson.perSecond)}, ${ratio(ndjson.perSecond, copy.perSecond)}`,
    );

    const sse = await sseLatency(api.url, token, pool, sizes);
    const p95 = percentile(sse, 95);
    console.log(
      `live feed, ${sizes.subscribers} subscribers, ${sizes.events} days: commit → client p50 ` +
        `${percentile(sse, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`,
    );

    const share = (value: number, baseline: number) => (baseline > 0 ? value / baseline : 0);
    const served = judged!;
    printTargets([
      {
        name: TARGET_NAMES[0],
        met:
          served.api.non2xx === 0 &&
          served.api.errors === 0 &&
          share(served.api.perSecond, served.bare.perSecond) >= MIN_SHARE,
        measured: `${share(served.api.perSecond, served.bare.perSecond).toFixed(2)} × bare at ${sizes.connections.at(-1)} connections`,
      },
      {
        name: TARGET_NAMES[1],
        met: csv.rows === seeded.values && share(csv.perSecond, copy.perSecond) >= MIN_SHARE,
        measured: `${share(csv.perSecond, copy.perSecond).toFixed(2)} × COPY, ${csv.rows} of ${seeded.values} rows`,
      },
      {
        name: TARGET_NAMES[2],
        met: ndjson.rows === seeded.values && share(ndjson.perSecond, copy.perSecond) >= MIN_SHARE,
        measured: `${share(ndjson.perSecond, copy.perSecond).toFixed(2)} × COPY, ${ndjson.rows} of ${seeded.values} rows`,
      },
      { name: TARGET_NAMES[3], met: csv.rssGrowthMb <= 64, measured: `${csv.rssGrowthMb.toFixed(1)} MB` },
      { name: TARGET_NAMES[4], met: p95 <= 1000, measured: `${p95.toFixed(0)} ms` },
    ]);
  } finally {
    await api?.close();
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
