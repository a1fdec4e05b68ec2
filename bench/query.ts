// `npm run bench:query [-- --days N | --smoke]`: latency of the trading desk's queries on a year of Core data
// with revisions, each next to its baseline in the same run: the same rows read straight from jao.observation by
// primary-key range. On TimescaleDB (chosen automatically when the database runs it) every chunk older than 60
// days before the last day is compressed first, the one-day queries read a day inside compressed history, and
// the run ends with a revision of a day inside compressed history: its time, the tuples it decompressed, and the
// state of every other chunk. `--smoke`: six days (the "month" is days 3–6), three runs per query.
import pg from 'pg';
import { type Engine, readEngine } from '../db/engine';
import { migrate } from '../db/migrate';
import { createPool, watchClient } from '../db/pool';
import { writeDay } from '../db/writeDay';
import { addDays, dayWindow } from '../domain/calendar';
import type { DeliveryDay } from '../domain/types';
import { createDatabaseSql } from './environment';
import { printTargets, ratio, type Target, takeSmokeFlag } from './report';
import { databaseUrlFor, makeDay, pauseTimescaleJobs } from './write';

const REPETITIONS = 25;
const SMOKE_REPETITIONS = 3;
/** What the desk waits for interactively (median): a day, a month of one border, a year of daily aggregates. */
const TARGETS = { dayMs: 100, monthMs: 1000, yearMs: 5000 };
export const TARGET_NAMES = [
  `every one-day query ≤ ${TARGETS.dayMs} ms`,
  `every one-month query ≤ ${TARGETS.monthMs} ms`,
  `a year of daily aggregates ≤ ${TARGETS.yearMs} ms`,
  'daily aggregate right after a revision',
] as const;
/** Queries slower than this are repeated fewer times (the year of values read directly takes ~1 s). */
const SLOW_MS = 200;
const FIRST_DAY = '2024-01-01';
/** Chunks whose range ends this many days before the last day are compressed (the deployed policy's age). */
const COMPRESS_AFTER_DAYS = 60;

interface Query {
  name: string;
  sql: string;
  params: unknown[];
  baseline: { sql: string; params: unknown[] };
}

async function medianMs(
  pool: pg.Pool,
  sql: string,
  params: unknown[],
  maxRepetitions: number,
): Promise<number> {
  let started = process.hrtime.bigint();
  await pool.query(sql, params);
  const firstMs = Number(process.hrtime.bigint() - started) / 1e6;
  const repetitions = Math.min(maxRepetitions, firstMs > SLOW_MS ? 5 : REPETITIONS);
  for (let i = 0; i < 2; i++) await pool.query(sql, params);
  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    started = process.hrtime.bigint();
    await pool.query(sql, params);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function writeDays(
  pool: pg.Pool,
  days: DeliveryDay[],
  firstIndex: number,
  changePercent: number,
): Promise<void> {
  let next = 0;
  const writer = async () => {
    while (next < days.length) {
      const index = next++;
      const day = days[index]!;
      const validated = makeDay(day, firstIndex + index, changePercent);
      await writeDay(pool, {
        dataset: 'maxExchanges',
        day,
        status: 'complete',
        validated,
        expectedMtus: validated.expectedMtus,
        rawResponseId: null,
        workflowId: null,
      });
    }
  };
  await Promise.all([writer(), writer()]);
}

function queries(
  day: DeliveryDay,
  days: DeliveryDay[],
  between: Date,
  seriesId: number,
  label: string,
): Query[] {
  const window = dayWindow(day);
  // Days 32–60 of a year; of a smoke run's few days, its middle third onwards.
  const monthFrom = days[Math.min(31, Math.floor(days.length / 3))]!;
  const monthTo = days[Math.min(59, days.length - 1)]!;
  const month = { from: dayWindow(monthFrom).from, to: dayWindow(monthTo).to };
  const year = { from: dayWindow(days[0]!).from, to: dayWindow(days[days.length - 1]!).to };
  const hour = window.from;
  const baseDay = {
    sql: 'SELECT mtu, series_id, value FROM jao.observation WHERE mtu >= $1 AND mtu < $2',
    params: [window.from, window.to],
  };
  const baseSeries = (from: string, to: string) => ({
    sql: 'SELECT mtu, value FROM jao.observation WHERE series_id = $1 AND mtu >= $2 AND mtu < $3',
    params: [seriesId, from, to],
  });
  return [
    {
      name: `one border, one day${label}`,
      sql: `SELECT mtu, value_mw, revision FROM jao.max_exchanges WHERE border = 'DE_FR' AND delivery_day = $1`,
      params: [day],
      baseline: baseSeries(window.from, window.to),
    },
    {
      name: `all borders, one day${label}`,
      sql: 'SELECT border, mtu, value_mw FROM jao.max_exchanges WHERE delivery_day = $1',
      params: [day],
      baseline: baseDay,
    },
    {
      name: `all borders, one day, as of${label}`,
      sql: 'SELECT border, mtu, value_mw FROM jao.max_exchanges_as_of($2) WHERE delivery_day = $1',
      params: [day, between],
      baseline: baseDay,
    },
    {
      name: `revision history of one hour${label}`,
      sql: `SELECT revision, value_mw, valid_from, valid_to FROM jao.max_exchanges_history
             WHERE border = 'DE_FR' AND mtu = $1`,
      params: [hour],
      baseline: {
        sql: 'SELECT value FROM jao.observation WHERE series_id = $1 AND mtu = $2',
        params: [seriesId, hour],
      },
    },
    {
      name: `revision history of one hour, with its day${label}`,
      sql: `SELECT revision, value_mw, valid_from, valid_to FROM jao.max_exchanges_history
             WHERE border = 'DE_FR' AND mtu = $1 AND delivery_day = $2`,
      params: [hour, day],
      baseline: {
        sql: 'SELECT value FROM jao.observation WHERE series_id = $1 AND mtu = $2',
        params: [seriesId, hour],
      },
    },
    {
      name: 'one border, one month',
      sql: `SELECT mtu, value_mw FROM jao.max_exchanges WHERE border = 'DE_FR' AND delivery_day BETWEEN $1 AND $2`,
      params: [monthFrom, monthTo],
      baseline: baseSeries(month.from, month.to),
    },
    {
      name: 'one border, one month by mtu range',
      sql: `SELECT mtu, value_mw FROM jao.max_exchanges WHERE border = 'DE_FR' AND mtu >= $1 AND mtu < $2`,
      params: [month.from, month.to],
      baseline: baseSeries(month.from, month.to),
    },
    {
      name: 'daily min/avg/max, one border, one month',
      sql: `SELECT delivery_day, min_mw, avg_mw, max_mw FROM jao.max_exchanges_daily
             WHERE border = 'DE_FR' AND delivery_day BETWEEN $1 AND $2`,
      params: [monthFrom, monthTo],
      baseline: {
        sql: `SELECT min(value), avg(value), max(value) FROM jao.observation
               WHERE series_id = $1 AND mtu >= $2 AND mtu < $3 GROUP BY date_trunc('day', mtu, 'Europe/Amsterdam')`,
        params: [seriesId, month.from, month.to],
      },
    },
    {
      name: 'daily min/avg/max, all borders, a year',
      sql: `SELECT delivery_day, border, min_mw, avg_mw, max_mw FROM jao.max_exchanges_daily
             WHERE delivery_day BETWEEN $1 AND $2`,
      params: [days[0], days[days.length - 1]],
      baseline: {
        sql: `SELECT series_id, min(value), avg(value), max(value) FROM jao.observation
               WHERE mtu >= $1 AND mtu < $2 GROUP BY series_id, date_trunc('day', mtu, 'Europe/Amsterdam')`,
        params: [year.from, year.to],
      },
    },
  ];
}

async function compressOldChunks(pool: pg.Pool, lastDay: DeliveryDay): Promise<string> {
  const result = await pool.query<{ hypertable: string; compressed: number; total: number }>(
    `SELECT h.hypertable_name AS hypertable,
            (SELECT count(compress_chunk(c, if_not_compressed => true))
               FROM show_chunks(format('%I.%I', h.hypertable_schema, h.hypertable_name)::regclass,
                                older_than => ($1::date - $2::int)::timestamptz) AS c)::int AS compressed,
            (SELECT count(*) FROM show_chunks(format('%I.%I', h.hypertable_schema, h.hypertable_name)::regclass))::int
              AS total
       FROM timescaledb_information.hypertables h
      WHERE h.hypertable_schema = 'jao'
      ORDER BY 1`,
    [lastDay, COMPRESS_AFTER_DAYS],
  );
  return result.rows.map((row) => `${row.hypertable} ${row.compressed} of ${row.total} chunks`).join(', ');
}

interface ChunkState {
  hypertable: string;
  chunk: string;
  compressed: boolean;
  partial: boolean;
  /** Rows in the chunk's uncompressed heap: after compression, the tuples DML decompressed or added. */
  heapRows: number;
}

async function chunkStates(pool: pg.Pool): Promise<ChunkState[]> {
  const chunks = await pool.query<{
    hypertable: string;
    schema: string;
    chunk: string;
    compressed: boolean;
    partial: boolean;
  }>(
    `SELECT c.hypertable_name AS hypertable, c.chunk_schema AS schema, c.chunk_name AS chunk,
            c.is_compressed AS compressed, (k.status & 8) <> 0 AS partial
       FROM timescaledb_information.chunks c
       JOIN _timescaledb_catalog.chunk k ON k.schema_name = c.chunk_schema AND k.table_name = c.chunk_name
      WHERE c.hypertable_schema = 'jao'
      ORDER BY c.hypertable_name, c.range_start`,
  );
  const states: ChunkState[] = [];
  for (const row of chunks.rows) {
    const heap = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ONLY ${pg.escapeIdentifier(row.schema)}.${pg.escapeIdentifier(row.chunk)}`,
    );
    states.push({ ...row, heapRows: heap.rows[0]!.n });
  }
  return states;
}

/** A revision of `day` (values differ from the stored ones), timed; on TimescaleDB with what it decompressed. */
async function reviseDay(
  pool: pg.Pool,
  engine: Engine,
  day: DeliveryDay,
  dayIndex: number,
): Promise<{ aggregateRight: boolean }> {
  const timescale = engine.kind === 'timescaledb';
  const before = timescale ? await chunkStates(pool) : [];
  const validated = makeDay(day, dayIndex, 9);
  const started = process.hrtime.bigint();
  const result = await writeDay(pool, {
    dataset: 'maxExchanges',
    day,
    status: 'complete',
    validated,
    expectedMtus: validated.expectedMtus,
    rawResponseId: null,
    workflowId: 'bench:query revision',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    `revision of ${day}${timescale ? ' (inside compressed history)' : ''}: ${ms.toFixed(0)} ms for ` +
      `${result.changedPoints} changed values (write and daily aggregate refresh)`,
  );
  const daily = await pool.query<{ stale: number }>(
    `SELECT count(*)::int AS stale FROM (
       SELECT border, min(value_mw) AS min_mw, max(value_mw) AS max_mw, count(*) AS mtus
         FROM jao.max_exchanges WHERE delivery_day = $1 GROUP BY border
       EXCEPT
       SELECT border, min_mw, max_mw, mtus FROM jao.max_exchanges_daily WHERE delivery_day = $1) AS differing`,
    [day],
  );
  console.log(
    `  daily aggregate of ${day} right after it: ${daily.rows[0]!.stale === 0 ? 'right' : `${daily.rows[0]!.stale} borders STALE`}`,
  );
  const aggregateRight = daily.rows[0]!.stale === 0;
  if (!timescale) return { aggregateRight };
  const after = await chunkStates(pool);
  for (const hypertable of ['observation', 'observation_history']) {
    const touched: string[] = [];
    let stillCompressed = 0;
    let compressedBefore = 0;
    for (const state of after.filter((s) => s.hypertable === hypertable)) {
      const old = before.find((s) => s.chunk === state.chunk);
      if (old?.compressed) compressedBefore += 1;
      if (state.compressed && !state.partial) stillCompressed += 1;
      const added = state.heapRows - (old?.heapRows ?? 0);
      if (old?.compressed && added > 0) {
        touched.push(`${state.chunk} ${added.toLocaleString('en')} tuples decompressed or added`);
      }
    }
    console.log(
      `  jao.${hypertable}: ${touched.length ? touched.join('; ') : 'no compressed chunk touched'}; ` +
        `${stillCompressed} of ${compressedBefore} compressed chunks untouched`,
    );
  }
  return { aggregateRight };
}

function parseArgs(argv: string[]): { dayCount: number; repetitions: number } {
  const { smoke, rest: args } = takeSmokeFlag(argv);
  if (smoke && args.length === 0) return { dayCount: 6, repetitions: SMOKE_REPETITIONS };
  if (args.length !== 0 && (args.length !== 2 || args[0] !== '--days')) {
    throw new Error(`bench:query: unknown or invalid argument ${args.join(' ')}`);
  }
  const dayCount = args.length ? Number(args[1]) : 365;
  if (!Number.isInteger(dayCount) || dayCount < 90) throw new Error('--days must be a whole number ≥ 90');
  return { dayCount, repetitions: REPETITIONS };
}

/** The slowest of the queries `select` picks, against `limitMs`. */
function slowestTarget(
  name: string,
  timings: { name: string; ms: number }[],
  select: (queryName: string) => boolean,
  limitMs: number,
): Target {
  const chosen = timings.filter((timing) => select(timing.name));
  if (chosen.length === 0) return { name, met: false, measured: 'not measured' };
  const slowest = chosen.reduce((a, b) => (b.ms > a.ms ? b : a));
  return {
    name,
    met: slowest.ms <= limitMs,
    measured: `slowest ${slowest.ms.toFixed(2)} ms, ${slowest.name}`,
  };
}

export async function runQueryBenchmark(args: string[]): Promise<void> {
  const { dayCount, repetitions } = parseArgs(args);
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `jao_bench_query_${process.pid}`;
  const admin = watchClient(new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') }));
  await admin.connect();
  await admin.query(createDatabaseSql(database));
  const pool = createPool(databaseUrlFor(serverUrl, database), { max: 3, applicationName: 'bench:query' });
  try {
    await migrate(pool);
    const engine = await readEngine(pool);
    const timescale = engine.kind === 'timescaledb';
    if (timescale) await pauseTimescaleJobs(pool);
    const days = Array.from({ length: dayCount }, (_, i) => addDays(FIRST_DAY, i));
    await writeDays(pool, days, 0, 0);
    const between = new Date();
    await writeDays(pool, days, 0, 5);
    const lastDay = days[days.length - 1]!;
    const compression = timescale ? await compressOldChunks(pool, lastDay) : null;
    await pool.query('ANALYZE jao.observation; ANALYZE jao.observation_history; ANALYZE jao.series');
    const sizes = await pool.query<{ current: number; history: number }>(
      `SELECT (SELECT count(*) FROM jao.observation)::int AS current,
              (SELECT count(*) FROM jao.observation_history)::int AS history`,
    );
    const series = await pool.query<{ series_id: number }>(
      `SELECT series_id FROM jao.series WHERE key = 'border_DE_FR'`,
    );
    console.log(engine.line);
    console.log(
      `bench:query: ${dayCount} days, ${sizes.rows[0]!.current.toLocaleString('en')} current values, ` +
        `${sizes.rows[0]!.history.toLocaleString('en')} superseded; median of up to ${repetitions} runs`,
    );
    if (compression)
      console.log(`compressed (older than ${COMPRESS_AFTER_DAYS} days before ${lastDay}): ${compression}`);
    const day = days[Math.floor(days.length / 2)]!;
    const list = queries(day, days, between, series.rows[0]!.series_id, timescale ? ' (compressed)' : '');
    if (timescale) {
      const recent = addDays(lastDay, -10);
      list.push(
        ...queries(recent, days, between, series.rows[0]!.series_id, ' (recent)').filter((q) =>
          q.name.includes('(recent)'),
        ),
      );
    }
    const timings: { name: string; ms: number }[] = [];
    for (const query of list) {
      const ms = await medianMs(pool, query.sql, query.params, repetitions);
      const baseMs = await medianMs(pool, query.baseline.sql, query.baseline.params, repetitions);
      timings.push({ name: query.name, ms });
      console.log(
        `${query.name.padEnd(56)} ${ms.toFixed(2).padStart(8)} ms   baseline ${baseMs.toFixed(2).padStart(8)} ms   ${ratio(ms, baseMs)}`,
      );
    }
    const revisedIndex = Math.min(40, Math.floor(days.length / 2));
    const revision = await reviseDay(pool, engine, days[revisedIndex]!, revisedIndex);
    printTargets([
      slowestTarget(TARGET_NAMES[0], timings, (name) => /one (day|hour)/.test(name), TARGETS.dayMs),
      slowestTarget(TARGET_NAMES[1], timings, (name) => name.includes('one month'), TARGETS.monthMs),
      slowestTarget(TARGET_NAMES[2], timings, (name) => name.includes('a year'), TARGETS.yearMs),
      {
        name: TARGET_NAMES[3],
        met: revision.aggregateRight,
        measured: revision.aggregateRight ? 'right' : 'stale',
      },
    ]);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
