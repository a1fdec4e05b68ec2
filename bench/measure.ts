// Timing a query against its baseline, as the query benches print it: medians of the two in turns, each with the
// tables (or chunks) it read and the rows it read, from its plan.
import type pg from 'pg';
import { type PlanStats, planStats } from './planStats';
import { ratio } from './report';

/** Repetitions of each query and its baseline (fewer for slow ones). */
export const REPETITIONS = 25;
/** A query whose first run is slower than this is measured 5 times. */
const SLOW_MS = 200;

export interface Query<Name extends string = string> {
  name: Name;
  sql: string;
  params: unknown[];
  baseline: { sql: string; params: unknown[] };
}

export interface Measured {
  name: string;
  ms: number;
  baseMs: number;
  stats: PlanStats;
  baseStats: PlanStats;
}

async function timedMs(pool: pg.Pool, sql: string, params: unknown[]): Promise<number> {
  const started = process.hrtime.bigint();
  await pool.query(sql, params);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

/**
 * Medians of the query and of its baseline, run in turns (query, baseline, query, …) so that a burst of load from
 * elsewhere on the machine falls on both alike.
 */
async function medianPair(pool: pg.Pool, query: Query, maxRepetitions: number): Promise<[number, number]> {
  const firstMs = await timedMs(pool, query.sql, query.params);
  await timedMs(pool, query.baseline.sql, query.baseline.params);
  const repetitions = Math.min(maxRepetitions, firstMs > SLOW_MS ? 5 : REPETITIONS);
  for (let i = 0; i < 2; i++) {
    await timedMs(pool, query.sql, query.params);
    await timedMs(pool, query.baseline.sql, query.baseline.params);
  }
  const times: number[] = [];
  const baseTimes: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    times.push(await timedMs(pool, query.sql, query.params));
    baseTimes.push(await timedMs(pool, query.baseline.sql, query.baseline.params));
  }
  return [median(times), median(baseTimes)];
}

async function explained(pool: pg.Pool, sql: string, params: unknown[]): Promise<PlanStats> {
  const result = await pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
  return planStats(result.rows[0]!['QUERY PLAN']);
}

export async function measure(pool: pg.Pool, query: Query, repetitions: number): Promise<Measured> {
  const [ms, baseMs] = await medianPair(pool, query, repetitions);
  return {
    name: query.name,
    ms,
    baseMs,
    stats: await explained(pool, query.sql, query.params),
    baseStats: await explained(pool, query.baseline.sql, query.baseline.params),
  };
}

const rows = (stats: PlanStats) => `${stats.approximate ? '≈' : ''}${stats.rowsRead.toLocaleString('en')}`;

export function printMeasured(m: Measured, totalRelations: number, timescale: boolean): void {
  const what = timescale ? 'chunks' : 'tables';
  console.log(
    `${m.name.padEnd(58)} ${m.ms.toFixed(2).padStart(8)} ms  baseline ${m.baseMs.toFixed(2).padStart(8)} ms  ` +
      `${ratio(m.ms, m.baseMs)}  ${what} ${m.stats.relations} (baseline ${m.baseStats.relations}) of ` +
      `${totalRelations}  rows read ${rows(m.stats)} (baseline ${rows(m.baseStats)})`,
  );
}
