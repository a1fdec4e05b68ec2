// `npm run bench:query -- --dataset coreFinalComputation [--days N | --smoke]`: the desk's reads of the flow-based
// domain at full history (default 366 days from 2025-03-03, seeded by bench/seedConstraints.ts), each next to its
// baseline in the same run:
// - one CNEC's RAM over a year through jao.constraints, against the same rows read straight from
//   jao.constraint_value by (constraint_id, mtu) range (constraint_value_constraint_idx: the table's key by
//   constraint; no join, no view);
// - a day's whole domain as of an instant (jao.constraints_as_of, the instant just before the day's revision: its
//   first versions, from current and history), against the same read of jao.constraints without as-of;
// each target at most 3 × its baseline. On TimescaleDB the chunks are compressed as the policies would at the last
// day (jao.constraint_value after 60 days, its history after 180), so the old day is read from compressed chunks.
// Then the storage of the domain per year (tables, indexes, TOAST; compressed on TimescaleDB). `--smoke`: nine days.
import pg from 'pg';
import { z } from 'zod';
import { parseCommandArgs, parseDatasetArg } from '../cli/args';
import { UsageError } from '../cli/errors';
import { readEngine } from '../db/engine';
import { migrate } from '../db/migrate';
import { createPool, watchClient } from '../db/pool';
import { addDays, dayWindow } from '../domain/calendar';
import { type ConstraintDataset, isConstraintDataset } from '../domain/datasets';
import type { DeliveryDay } from '../domain/types';
import { databaseUrlFor, pauseTimescaleJobs } from './benchDatabase';
import { createDatabaseSql } from './environment';
import { measure, printMeasured } from './measure';
import { printTargets, type Target, takeSmokeFlag } from './report';
import { seedConstraintHistory } from './seedConstraints';

const FIRST_DAY: DeliveryDay = '2025-03-03';
const MAX_RATIO = 3;
const HYPERTABLES = ['constraint_value', 'constraint_value_history'] as const;

export const CONSTRAINT_QUERIES = [
  "one CNEC's RAM over a year",
  "one CNEC's RAM over a year by mtu range",
  "a day's whole domain as of an instant (old day)",
  "a day's whole domain as of an instant (recent day)",
] as const;
export const CONSTRAINT_TARGET_NAMES = CONSTRAINT_QUERIES.map((name) => `${name} ≤ ${MAX_RATIO} × baseline`);

const SMOKE_DAYS = 9;
const daysArg = z.coerce.number().int().min(SMOKE_DAYS).max(3660);

/**
 * `--dataset <a dataset of the domain> [--days N] | --smoke`; null when --dataset names none (bench/query.ts reads
 * keyed values then). A mistake is a UsageError of one line.
 */
export function parseConstraintQueryArgs(
  argv: string[],
): { dataset: ConstraintDataset; dayCount: number; repetitions: number } | null {
  const { smoke, rest } = takeSmokeFlag(argv);
  const { values } = parseCommandArgs(
    'bench:query',
    rest,
    { days: { type: 'string' }, dataset: { type: 'string' } },
    0,
  );
  const dataset = parseDatasetArg('bench:query', values.dataset);
  if (!isConstraintDataset(dataset)) return null;
  if (smoke) {
    if (values.days !== undefined)
      throw new UsageError(`bench:query: --smoke runs ${SMOKE_DAYS} days: leave --days out`);
    return { dataset, dayCount: SMOKE_DAYS, repetitions: 3 };
  }
  const days = daysArg.safeParse(values.days ?? 366);
  if (!days.success)
    throw new UsageError(`bench:query: --days must be a whole number from ${SMOKE_DAYS} to 3660`);
  return { dataset, dayCount: days.data, repetitions: 15 };
}

interface Query {
  name: string;
  sql: string;
  params: unknown[];
  baseline: { sql: string; params: unknown[] };
}

/** The CNEC with the most stored MTUs (one present on most hours of the year). */
async function busiestConstraint(pool: pg.Pool, dataset: ConstraintDataset): Promise<number> {
  const result = await pool.query<{ id: string }>(
    `SELECT constraint_id::text AS id FROM jao.constraint_value
      WHERE dataset = $1 AND delivery_day = $2::date
      GROUP BY constraint_id ORDER BY count(*) DESC, constraint_id LIMIT 1`,
    [dataset, FIRST_DAY],
  );
  return Number(result.rows[0]!.id);
}

/** The instant just before `day`'s revision: what was known of its first publication. */
async function beforeRevision(pool: pg.Pool, dataset: ConstraintDataset, day: DeliveryDay): Promise<Date> {
  const result = await pool.query<{ at: Date }>(
    `SELECT min(valid_to) - INTERVAL '1 millisecond' AS at FROM jao.constraint_value_history
      WHERE dataset = $1 AND delivery_day = $2::date`,
    [dataset, day],
  );
  return result.rows[0]!.at;
}

function queries(
  dataset: ConstraintDataset,
  constraintId: number,
  year: [DeliveryDay, DeliveryDay],
  days: Array<{ label: string; day: DeliveryDay; at: Date }>,
): Query[] {
  const from = new Date(dayWindow(year[0]).from);
  const to = new Date(dayWindow(year[1]).to);
  const byConstraint = {
    sql: `SELECT mtu, ram FROM jao.constraint_value WHERE constraint_id = $1 AND mtu >= $2 AND mtu < $3`,
    params: [constraintId, from, to],
  };
  return [
    {
      name: CONSTRAINT_QUERIES[0],
      sql: `SELECT mtu, ram FROM jao.constraints
             WHERE dataset = $1 AND constraint_id = $2 AND delivery_day BETWEEN $3 AND $4`,
      params: [dataset, constraintId, year[0], year[1]],
      baseline: byConstraint,
    },
    {
      name: CONSTRAINT_QUERIES[1],
      sql: `SELECT mtu, ram FROM jao.constraints
             WHERE dataset = $1 AND constraint_id = $2 AND mtu >= $3 AND mtu < $4`,
      params: [dataset, constraintId, from, to],
      baseline: byConstraint,
    },
    ...days.map(({ label, day, at }, i) => ({
      name: CONSTRAINT_QUERIES[2 + i]!.replace(/\(.*\)$/, `(${label})`),
      sql: 'SELECT * FROM jao.constraints_as_of($3) WHERE dataset = $1 AND delivery_day = $2',
      params: [dataset, day, at],
      baseline: {
        sql: 'SELECT * FROM jao.constraints WHERE dataset = $1 AND delivery_day = $2',
        params: [dataset, day],
      },
    })),
  ];
}

/** Compresses what the policies would have compressed by the end of `lastDay`. */
async function compressAsPolicies(pool: pg.Pool, lastDay: DeliveryDay): Promise<string> {
  const result = await pool.query<{ hypertable: string; compressed: number; total: number }>(
    `SELECT h.hypertable_name AS hypertable,
            (SELECT count(compress_chunk(c, if_not_compressed => true))
               FROM show_chunks(format('jao.%I', h.hypertable_name)::regclass,
                                older_than => (($1::date + 1) - (j.config->>'compress_after')::interval)::timestamptz) AS c)::int
              AS compressed,
            (SELECT count(*) FROM show_chunks(format('jao.%I', h.hypertable_name)::regclass))::int AS total
       FROM timescaledb_information.hypertables h
       JOIN timescaledb_information.jobs j
         ON j.hypertable_schema = h.hypertable_schema AND j.hypertable_name = h.hypertable_name
        AND j.proc_name = 'policy_compression'
      WHERE h.hypertable_schema = 'jao' AND h.hypertable_name = ANY ($2)
      ORDER BY 1`,
    [lastDay, HYPERTABLES],
  );
  return result.rows
    .map((row) => `jao.${row.hypertable} ${row.compressed} of ${row.total} chunks`)
    .join(', ');
}

/** Bytes of the domain's tables (heap, indexes, TOAST; every chunk, compressed or not, on TimescaleDB). */
async function domainBytes(pool: pg.Pool, timescale: boolean): Promise<number> {
  const sql = timescale
    ? `SELECT sum(total_bytes)::float8 AS bytes FROM (
         SELECT (hypertable_detailed_size(format('jao.%I', t)::regclass)).total_bytes FROM unnest($1::text[]) AS t
       ) AS s`
    : `SELECT sum(pg_total_relation_size(format('jao.%I', t)::regclass))::float8 AS bytes FROM unnest($1::text[]) AS t`;
  const result = await pool.query<{ bytes: number }>(sql, [HYPERTABLES]);
  const catalogue = await pool.query<{ bytes: number }>(
    `SELECT pg_total_relation_size('jao.flow_constraint')::float8 AS bytes`,
  );
  return result.rows[0]!.bytes + catalogue.rows[0]!.bytes;
}

export async function runConstraintQueryBenchmark(
  dataset: ConstraintDataset,
  dayCount: number,
  repetitions: number,
): Promise<void> {
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `jao_bench_fbq_${process.pid}`;
  const admin = watchClient(new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') }));
  await admin.connect();
  await admin.query(createDatabaseSql(database));
  const migrating = createPool(databaseUrlFor(serverUrl, database), {
    max: 1,
    applicationName: 'bench:query',
  });
  await migrate(migrating).finally(() => migrating.end());
  const pool = createPool(databaseUrlFor(serverUrl, database), { max: 3, applicationName: 'bench:query' });
  try {
    const engine = await readEngine(pool);
    const timescale = engine.kind === 'timescaledb';
    if (timescale) await pauseTimescaleJobs(pool);
    const lastDay = addDays(FIRST_DAY, dayCount - 1);
    let started = process.hrtime.bigint();
    const seeded = await seedConstraintHistory(pool, dataset, FIRST_DAY, dayCount);
    const seedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await pool.query(
      'ANALYZE jao.constraint_value; ANALYZE jao.constraint_value_history; ANALYZE jao.flow_constraint',
    );
    const rawBytes = await domainBytes(pool, timescale);
    started = process.hrtime.bigint();
    const compression = timescale ? await compressAsPolicies(pool, lastDay) : null;
    const compressSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (timescale) await pool.query('ANALYZE jao.constraint_value; ANALYZE jao.constraint_value_history');
    const storedBytes = await domainBytes(pool, timescale);
    console.log(engine.line);
    console.log(
      `bench:query: ${dataset}, ${dayCount} days (${FIRST_DAY}..${lastDay}), ${seeded.values.toLocaleString('en')} ` +
        `current versions, ${seeded.superseded.toLocaleString('en')} superseded (seeded in ${seedSeconds.toFixed(1)} s: ` +
        `${seeded.writtenThroughWritePath.toLocaleString('en')} versions through the write path, the rest copied ` +
        `set-based${timescale ? `; compressed in ${compressSeconds.toFixed(1)} s: ${compression}` : ''}); ` +
        `median of up to ${repetitions} runs`,
    );
    const perYear = (bytes: number) => (bytes / 1e6) * (365 / dayCount);
    console.log(
      `storage of the domain: ${(storedBytes / 1e6).toFixed(1)} MB for ${dayCount} days = ` +
        `${perYear(storedBytes).toFixed(0)} MB per year (365 days)${
          timescale
            ? `, compressed as the policies would; ${perYear(rawBytes).toFixed(0)} MB per year before compression`
            : ''
        } (versions, history, indexes, TOAST, the constraint catalogue)`,
    );
    const constraintId = await busiestConstraint(pool, dataset);
    const oldDay = addDays(FIRST_DAY, Math.floor(dayCount / 2));
    const recentDay = addDays(lastDay, -Math.min(10, Math.floor(dayCount / 3)));
    const days = [
      { label: 'old day', day: oldDay, at: await beforeRevision(pool, dataset, oldDay) },
      { label: 'recent day', day: recentDay, at: await beforeRevision(pool, dataset, recentDay) },
    ];
    console.log(`constraint ${constraintId}; old day ${oldDay}, recent day ${recentDay}`);
    const relations = timescale
      ? (
          await pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM timescaledb_information.chunks
              WHERE hypertable_schema = 'jao' AND hypertable_name = ANY ($1)`,
            [HYPERTABLES],
          )
        ).rows[0]!.n
      : 2;
    const targets: Target[] = [];
    for (const query of queries(
      dataset,
      constraintId,
      [FIRST_DAY, addDays(FIRST_DAY, Math.min(364, dayCount - 1))],
      days,
    )) {
      const m = await measure(pool, query, repetitions);
      printMeasured(m, relations, timescale);
      targets.push({
        name: `${m.name} ≤ ${MAX_RATIO} × baseline`,
        met: m.ms <= MAX_RATIO * m.baseMs,
        measured: `${(m.ms / m.baseMs).toFixed(2)} × baseline, ${m.ms.toFixed(2)} ms`,
      });
    }
    printTargets(targets);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
