// `npm run bench:write [-- --days N --change-percent P --concurrency C --neighbours K | --smoke]`: the write path's throughput
// against a COPY of the same rows into a table with jao.observation's keys and indexes (the limit for a stored
// value, docs/design.md §16), measured in the same run on a database of its
// own (the COPY and the first write take turns, 15 days each), and the daily aggregate right after the writes (jao.max_exchanges_daily against the values). On TimescaleDB
// the aggregate is materialized between the unchanged re-write and the changed pass, as its job would, so that the
// changed pass revises materialized days; the job's time is printed too. `--smoke`: three days. Before the passes,
// K other keyed datasets (4 unless told) get the same days' values, as in a database that keeps every dataset: a
// write reads its own dataset's rows of the day, not its neighbours'.
// `--dataset coreFinalComputation` (or another dataset of the flow-based domain): bench/writeConstraints.ts instead.

import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { parseDatasetArg } from '../cli/args';
import { UsageError } from '../cli/errors';
import { inLanes } from '../common/lanes';
import { copyFrom } from '../db/copy';
import { readEngine } from '../db/engine';
import { migrate } from '../db/migrate';
import { createPool, watchClient } from '../db/pool';
import { writeDay } from '../db/writeDay';
import { CORE_ZONES } from '../domain/borders';
import { addDays, dayWindow } from '../domain/calendar';
import { type ConstraintDataset, isConstraintDataset, keyedValueDatasets } from '../domain/datasets';
import type { DeliveryDay, KeyedValuesDay, Point } from '../domain/types';
import { databaseUrlFor, pauseTimescaleJobs } from './benchDatabase';
import { createDatabaseSql } from './environment';
import { printTargets, ratio, takeSmokeFlag } from './report';

const SHARE_OF_COPY = { first: 0.8, changed: 0.8 };
export const TARGET_NAMES = [
  `first write ≥ ${SHARE_OF_COPY.first} × COPY`,
  `changed day ≥ ${SHARE_OF_COPY.changed} × COPY`,
  'unchanged re-write the fastest pass',
  'daily aggregate right after every pass',
] as const;

interface BenchOptions {
  days: number;
  changePercent: number;
  firstDay: DeliveryDay;
  concurrency: number;
  /** Other keyed datasets whose values of the same days share jao.observation (a database keeps every dataset). */
  neighbours: number;
}

function parseArgs(argv: string[]): BenchOptions {
  const { smoke, rest: args } = takeSmokeFlag(argv);
  const options: BenchOptions = {
    days: smoke ? 3 : 365,
    changePercent: 5,
    firstDay: '2025-01-01',
    concurrency: 1,
    neighbours: 4,
  };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    const value = args[i + 1];
    const number = Number(value);
    if (flag === '--days' && Number.isInteger(number) && number > 0) options.days = number;
    else if (flag === '--change-percent' && number >= 0 && number <= 100) options.changePercent = number;
    else if (flag === '--concurrency' && Number.isInteger(number) && number > 0) options.concurrency = number;
    else if (flag === '--neighbours' && Number.isInteger(number) && number >= 0) options.neighbours = number;
    else if (flag === '--from' && value && /^\d{4}-\d{2}-\d{2}$/.test(value)) options.firstDay = value;
    else throw new UsageError(`bench:write: unknown or invalid argument ${flag} ${value ?? ''}`.trim());
    i += 1;
  }
  return options;
}

export const BORDERS = CORE_ZONES.flatMap((from) =>
  CORE_ZONES.filter((to) => to !== from).map((to) => [from, to] as const),
);

/** Deterministic pseudo-random integer in [0, 2^32) for (a, b, c). */
function mix(a: number, b: number, c: number): number {
  let h = (a * 0x9e3779b1) ^ (b * 0x85ebca77) ^ (c * 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** One day of Core points; with `changePercent`, that share of values differs from version 0. */
export function makeDay(day: DeliveryDay, dayIndex: number, changePercent: number): KeyedValuesDay {
  const window = dayWindow(day);
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const points: Point[] = [];
  const mtus: string[] = [];
  for (let ms = from, hour = 0; ms < to; ms += 3_600_000, hour += 1) {
    const mtu = new Date(ms).toISOString();
    mtus.push(mtu);
    BORDERS.forEach(([fromZone, toZone], b) => {
      let value = 733 + (mix(dayIndex, hour, b) % 14_272);
      if (changePercent > 0 && mix(b, dayIndex, hour + 7919) % 10_000 < changePercent * 100) value += 1;
      points.push({ key: `border_${fromZone}_${toZone}`, fromZone, toZone, mtu, value });
    });
  }
  return {
    lane: 'keyedValues',
    resolutionMinutes: 60,
    expectedMtus: mtus.length,
    rows: mtus.length,
    receivedMtus: mtus.length,
    missingMtus: [],
    points,
    rejections: [],
    keys: BORDERS.map(([a, b]) => `border_${a}_${b}`).sort(),
    refusedKeys: 0,
    nullValues: 0,
    duplicateRows: 0,
    conflictingRows: 0,
    absentValues: 0,
    unknownFields: [],
  };
}

interface PassResult {
  name: string;
  points: number;
  seconds: number;
  changed: number;
}

async function writePass(
  pool: pg.Pool,
  name: string,
  days: { day: DeliveryDay; validated: KeyedValuesDay }[],
  concurrency: number,
): Promise<PassResult> {
  let points = 0;
  let changed = 0;
  const started = performance.now();
  await inLanes(days, concurrency, async (item) => {
    const result = await writeDay(pool, {
      dataset: 'maxExchanges',
      day: item.day,
      status: 'complete',
      validated: item.validated,
      expectedMtus: item.validated.expectedMtus,
      rawResponseId: null,
      workflowId: 'bench',
    });
    points += result.points;
    changed += result.changedPoints;
  });
  return { name, points, seconds: (performance.now() - started) / 1000, changed };
}

/**
 * The baseline: the same points, as the rows jao.observation stores (series, MTU, value, revision 1, times,
 * delivery day), COPYed into a table with its keys and indexes (LIKE … INCLUDING ALL; on TimescaleDB a hypertable
 * on the MTU, as jao.observation is), one COPY per day: the limit for a stored value (docs/design.md §16).
 */
async function copyPass(
  pool: pg.Pool,
  days: { day: DeliveryDay; validated: KeyedValuesDay }[],
): Promise<PassResult> {
  const client = await pool.connect();
  try {
    await ensureBaselineTable(client);
    const seriesIds = new Map<string, number>();
    const at = new Date().toISOString();
    let points = 0;
    const started = performance.now();
    for (const { day, validated } of days) {
      const lines: string[] = [];
      for (const p of validated.points) {
        let id = seriesIds.get(p.key);
        if (id === undefined) {
          id = seriesIds.size + 1;
          seriesIds.set(p.key, id);
        }
        lines.push(`${id}\t${p.mtu}\t${p.value}\t1\t${at}\t${at}\t\\N\t${day}\n`);
      }
      points += await copyFrom(
        client,
        'COPY public.bench_copy (series_id, mtu, value, revision, first_seen_at, updated_at, derivation_id, delivery_day) FROM STDIN',
        [lines.join('')],
      );
    }
    return {
      name: 'COPY, same keys and indexes (baseline)',
      points,
      seconds: (performance.now() - started) / 1000,
      changed: 0,
    };
  } finally {
    client.release();
  }
}

async function ensureBaselineTable(client: pg.PoolClient): Promise<void> {
  const exists = await client.query("SELECT to_regclass('public.bench_copy') IS NOT NULL AS present");
  if (exists.rows[0].present) return;
  await client.query('CREATE TABLE public.bench_copy (LIKE jao.observation INCLUDING ALL)');
  const timescale = await client.query(
    "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS present",
  );
  if (timescale.rows[0].present)
    await client.query(
      "SELECT create_hypertable('public.bench_copy', 'mtu', chunk_time_interval => INTERVAL '365 days', create_default_indexes => false)",
    );
}

/**
 * The same days' hourly values for every Core border of the first `count` keyed datasets after Core, generated by the
 * database (its COPY baseline has none: the write alone would pay for reading them).
 */
async function seedNeighbours(pool: pg.Pool, days: readonly DeliveryDay[], count: number): Promise<string[]> {
  const neighbours = keyedValueDatasets()
    .filter((dataset) => dataset !== 'maxExchanges')
    .slice(0, count);
  if (neighbours.length === 0 || days.length === 0) return neighbours;
  await pool.query(
    `WITH series AS (
       INSERT INTO jao.series (dataset, key, from_zone, to_zone, first_seen_at, last_seen_at)
       SELECT d, 'border_' || b[1] || '_' || b[2], b[1], b[2], now(), now()
         FROM unnest($1::text[]) AS d, jsonb_array_elements($2::jsonb) AS j,
              LATERAL (SELECT ARRAY[j->>0, j->>1]) AS x(b)
       RETURNING series_id
     )
     INSERT INTO jao.observation (series_id, mtu, value, revision, first_seen_at, updated_at, delivery_day)
     SELECT s.series_id, t, 100 + (s.series_id * 7919 + extract(epoch FROM t)::bigint / 3600) % 5000, 1, now(), now(),
            (t AT TIME ZONE 'Europe/Amsterdam')::date
       FROM series s,
            generate_series(($3::date)::timestamp AT TIME ZONE 'Europe/Amsterdam',
                            (($4::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam') - interval '1 hour',
                            interval '1 hour') AS t`,
    [neighbours, JSON.stringify(BORDERS), days[0], days.at(-1)],
  );
  await pool.query('ANALYZE jao.observation');
  return neighbours;
}

/** Days per turn when the COPY baseline and the first write take turns. */
const SLICE_DAYS = 15;

/**
 * The COPY baseline and the write path's first write, taking turns slice by slice, so that load from elsewhere on
 * the machine falls on both alike (their ratio is the target).
 */
async function copyAndFirstWrite(
  pool: pg.Pool,
  days: { day: DeliveryDay; validated: KeyedValuesDay }[],
  concurrency: number,
): Promise<[PassResult, PassResult]> {
  const copy: PassResult = {
    name: 'COPY, same keys and indexes (baseline)',
    points: 0,
    seconds: 0,
    changed: 0,
  };
  const first: PassResult = { name: 'write path, first write', points: 0, seconds: 0, changed: 0 };
  for (let i = 0; i < days.length; i += SLICE_DAYS) {
    const slice = days.slice(i, i + SLICE_DAYS);
    for (const [total, pass] of [
      [copy, await copyPass(pool, slice)],
      [first, await writePass(pool, first.name, slice, concurrency)],
    ] as const) {
      total.points += pass.points;
      total.seconds += pass.seconds;
      total.changed += pass.changed;
    }
  }
  return [copy, first];
}

/** Rows of jao.max_exchanges_daily that differ from the aggregate of the values, both ways (0 when right). */
async function staleDailyRows(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       (SELECT delivery_day, border, min(value_mw), avg(value_mw), max(value_mw), count(*)
          FROM jao.max_exchanges GROUP BY delivery_day, border
        EXCEPT
        SELECT delivery_day, border, min_mw, avg_mw, max_mw, mtus FROM jao.max_exchanges_daily)
       UNION ALL
       (SELECT delivery_day, border, min_mw, avg_mw, max_mw, mtus FROM jao.max_exchanges_daily
        EXCEPT
        SELECT delivery_day, border, min(value_mw), avg(value_mw), max(value_mw), count(*)
          FROM jao.max_exchanges GROUP BY delivery_day, border)) AS differing`,
  );
  return result.rows[0]!.n;
}

/** `--dataset ID` taken out of the arguments: null for Core maxExchanges (the default), else a domain's dataset. */
function takeDomainDataset(args: readonly string[]): { dataset: ConstraintDataset | null; rest: string[] } {
  const at = args.indexOf('--dataset');
  if (at < 0) return { dataset: null, rest: [...args] };
  const dataset = parseDatasetArg('bench:write', args[at + 1] ?? '');
  const rest = [...args.slice(0, at), ...args.slice(at + 2)];
  if (dataset === 'maxExchanges') return { dataset: null, rest };
  if (!isConstraintDataset(dataset))
    throw new UsageError(
      `bench:write: --dataset takes Core maxExchanges (the default) or a dataset of the flow-based domain, not ${dataset}`,
    );
  return { dataset, rest };
}

export async function runWriteBenchmark(args: string[]): Promise<void> {
  const domain = takeDomainDataset(args);
  if (domain.dataset !== null) {
    const { runConstraintWriteBenchmark } =
      require('./writeConstraints') as typeof import('./writeConstraints');
    return runConstraintWriteBenchmark(domain.dataset, domain.rest);
  }
  const options = parseArgs(domain.rest);
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `jao_bench_${process.pid}`;
  const admin = watchClient(new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') }));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(createDatabaseSql(database));
  const pool = createPool(databaseUrlFor(serverUrl, database), {
    max: options.concurrency + 1,
    applicationName: 'bench:write',
  });
  try {
    await migrate(pool);
    const engine = await readEngine(pool);
    if (engine.kind === 'timescaledb') await pauseTimescaleJobs(pool);
    const dayList = Array.from({ length: options.days }, (_, i) => addDays(options.firstDay, i));
    const original = dayList.map((day, i) => ({ day, validated: makeDay(day, i, 0) }));
    const revised = dayList.map((day, i) => ({ day, validated: makeDay(day, i, options.changePercent) }));
    const total = original.reduce((sum, d) => sum + d.validated.points.length, 0);
    const neighbours = await seedNeighbours(pool, dayList, options.neighbours);
    console.log(
      `bench:write: ${options.days} days × ${BORDERS.length} borders = ${total.toLocaleString('en')} points` +
        ` (concurrency ${options.concurrency}); beside the same days of ${neighbours.length} other datasets` +
        ` (${neighbours.join(', ') || 'none'}); ${engine.line}`,
    );

    const [copy, first] = await copyAndFirstWrite(pool, original, options.concurrency);
    const staleAfterFirst = await staleDailyRows(pool);
    const unchanged = await writePass(pool, 'write path, unchanged re-write', original, options.concurrency);
    let materialized: string | null = null;
    if (engine.kind === 'timescaledb') {
      const started = performance.now();
      await pool.query('CALL jao.refresh_max_exchanges_daily()');
      materialized =
        `daily aggregate materialized by its job after the first write: ${options.days} days in ` +
        `${((performance.now() - started) / 1000).toFixed(2)} s (in the background, outside the write path)`;
    }
    const changed = await writePass(
      pool,
      `write path, ${options.changePercent} % changed`,
      revised,
      options.concurrency,
    );
    const staleAfterChanged = await staleDailyRows(pool);

    const rate = (r: PassResult) => r.points / r.seconds;
    const rows = [copy, first, unchanged, changed];
    for (const r of rows) {
      console.log(
        `${r.name.padEnd(40)} ${r.seconds.toFixed(2).padStart(7)} s ${Math.round(rate(r)).toLocaleString('en').padStart(11)} points/s` +
          `  ${ratio(rate(r), rate(copy))} (to COPY)${r.changed ? `  (${r.changed.toLocaleString('en')} changed)` : ''}`,
      );
    }
    if (materialized) console.log(materialized);
    console.log(
      `daily aggregate against the values: ${staleAfterFirst} rows differ after the first write, ` +
        `${staleAfterChanged} after the changed pass`,
    );
    const firstRatio = rate(first) / rate(copy);
    const changedRatio = rate(changed) / rate(copy);
    const fastestOther = Math.max(rate(first), rate(changed));
    printTargets([
      {
        name: TARGET_NAMES[0],
        met: firstRatio >= SHARE_OF_COPY.first,
        measured: `${firstRatio.toFixed(2)} × COPY`,
      },
      {
        name: TARGET_NAMES[1],
        met: changedRatio >= SHARE_OF_COPY.changed,
        measured: `${changedRatio.toFixed(2)} × COPY`,
      },
      {
        name: TARGET_NAMES[2],
        met: rate(unchanged) > fastestOther,
        measured: `${(rate(unchanged) / fastestOther).toFixed(2)} × the next fastest write pass`,
      },
      {
        name: TARGET_NAMES[3],
        met: staleAfterFirst === 0 && staleAfterChanged === 0,
        measured: `${staleAfterFirst + staleAfterChanged} rows differ`,
      },
    ]);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
