// `npm run bench:query`: latency of the trading desk's queries on a year of Core data with revisions, each next
// to its baseline in the same run: the same rows read straight from jao.observation by primary-key range.
import pg from 'pg';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { writeDay } from '../db/writeDay';
import { addDays, dayWindow } from '../domain/calendar';
import type { DeliveryDay } from '../domain/types';
import { databaseUrlFor, makeDay } from './write';

const REPETITIONS = 25;
const FIRST_DAY = '2024-01-01';

interface Query {
  name: string;
  sql: string;
  params: unknown[];
  baseline: { sql: string; params: unknown[] };
}

async function medianMs(pool: pg.Pool, sql: string, params: unknown[]): Promise<number> {
  for (let i = 0; i < 3; i++) await pool.query(sql, params);
  const times: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const started = process.hrtime.bigint();
    await pool.query(sql, params);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function writeYear(pool: pg.Pool, days: DeliveryDay[], changePercent: number): Promise<void> {
  let next = 0;
  const writer = async () => {
    while (next < days.length) {
      const index = next++;
      const day = days[index]!;
      const validated = makeDay(day, index, changePercent);
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

function queries(days: DeliveryDay[], between: Date, seriesId: number): Query[] {
  const day = days[Math.floor(days.length / 2)]!;
  const window = dayWindow(day);
  const monthFrom = days[31]!;
  const monthTo = days[59]!;
  const month = { from: dayWindow(monthFrom).from, to: dayWindow(monthTo).to };
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
      name: 'one border, one day (current)',
      sql: `SELECT mtu, value_mw, revision FROM jao.max_exchanges WHERE border = 'DE_FR' AND delivery_day = $1`,
      params: [day],
      baseline: baseSeries(window.from, window.to),
    },
    {
      name: 'all borders, one day (current)',
      sql: 'SELECT border, mtu, value_mw FROM jao.max_exchanges WHERE delivery_day = $1',
      params: [day],
      baseline: baseDay,
    },
    {
      name: 'one border, one month (current)',
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
      name: 'all borders, one day, as of',
      sql: 'SELECT border, mtu, value_mw FROM jao.max_exchanges_as_of($2) WHERE delivery_day = $1',
      params: [day, between],
      baseline: baseDay,
    },
    {
      name: 'revision history of one hour',
      sql: `SELECT revision, value_mw, valid_from, valid_to FROM jao.max_exchanges_history
             WHERE border = 'DE_FR' AND mtu = $1`,
      params: [hour],
      baseline: {
        sql: 'SELECT value FROM jao.observation WHERE series_id = $1 AND mtu = $2',
        params: [seriesId, hour],
      },
    },
    {
      name: 'daily min/avg/max, one border, one month',
      sql: `SELECT delivery_day, min_mw, avg_mw, max_mw FROM jao.max_exchanges_daily
             WHERE border = 'DE_FR' AND delivery_day BETWEEN $1 AND $2`,
      params: [monthFrom, monthTo],
      baseline: {
        sql: `SELECT min(value), avg(value), max(value) FROM jao.observation
               WHERE series_id = $1 AND mtu >= $2 AND mtu < $3 GROUP BY date_trunc('day', mtu)`,
        params: [seriesId, month.from, month.to],
      },
    },
  ];
}

export async function runQueryBenchmark(args: string[]): Promise<void> {
  const daysArg = args.indexOf('--days');
  const dayCount = daysArg >= 0 ? Number(args[daysArg + 1]) : 365;
  if (!Number.isInteger(dayCount) || dayCount < 60) throw new Error('--days must be a whole number ≥ 60');
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `jao_bench_query_${process.pid}`;
  const admin = new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const pool = createPool(databaseUrlFor(serverUrl, database), { max: 3, applicationName: 'bench:query' });
  try {
    const migration = await migrate(pool);
    const days = Array.from({ length: dayCount }, (_, i) => addDays(FIRST_DAY, i));
    await writeYear(pool, days, 0);
    const between = new Date();
    await writeYear(pool, days, 5);
    await pool.query('ANALYZE jao.observation; ANALYZE jao.observation_history; ANALYZE jao.series');
    const sizes = await pool.query<{ current: number; history: number }>(
      `SELECT (SELECT count(*) FROM jao.observation)::int AS current,
              (SELECT count(*) FROM jao.observation_history)::int AS history`,
    );
    const series = await pool.query<{ series_id: number }>(
      `SELECT series_id FROM jao.series WHERE key = 'border_DE_FR'`,
    );
    console.log(
      `bench:query: ${dayCount} days, ${sizes.rows[0]!.current.toLocaleString('en')} current values, ` +
        `${sizes.rows[0]!.history.toLocaleString('en')} superseded (TimescaleDB: ${migration.timescale ? 'yes' : 'no'}); ` +
        `median of ${REPETITIONS} runs`,
    );
    for (const query of queries(days, between, series.rows[0]!.series_id)) {
      const ms = await medianMs(pool, query.sql, query.params);
      const baseMs = await medianMs(pool, query.baseline.sql, query.baseline.params);
      console.log(
        `${query.name.padEnd(42)} ${ms.toFixed(2).padStart(8)} ms   baseline ${baseMs.toFixed(2).padStart(7)} ms   ratio ${(ms / baseMs).toFixed(1)}`,
      );
    }
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
