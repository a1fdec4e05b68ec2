// `npm run bench:migrate`: the migration from the previous release's schema (the baseline, 1.0.0) to this tree's, on
// `--days` of every declared dataset (1,630 by default; on TimescaleDB the chunks older than 60 days compressed), with
// a probe reading and writing a day every 100 ms beside it (bench/migrationProbe.ts). It prints the total time, the
// probe's longest read and write during the migration against the same probe before it (the baseline), and the
// throughput of the batches that fill the values' delivery day.
import pg from 'pg';
import { z } from 'zod';
import { parseCommandArgs } from '../cli/args';
import { UsageError } from '../cli/errors';
import { readEngine } from '../db/engine';
import { migrate } from '../db/migrate';
import { BASELINE_MIGRATION, loadMigrations } from '../db/migrations';
import { createPool, watchClient } from '../db/pool';
import { addDays } from '../domain/calendar';
import { declarationOf, keyedValueDatasets } from '../domain/datasets';
import type { DeliveryDay } from '../domain/types';
import { version } from '../package.json';
import { databaseUrlFor, pauseTimescaleJobs } from './benchDatabase';
import { startProbe } from './migrationProbe';
import { seedShapeOf } from './query';
import { printTargets, ratio, takeSmokeFlag } from './report';
import { seedHistory } from './seedHistory';

export const TARGET_NAMES = [
  'longest read during the migration ≤ 1000 ms',
  'longest write during the migration ≤ 1000 ms',
  'no probe operation failed',
] as const;

const MAX_WAIT_MS = 1000;
const DEFAULT_DAYS = 1630;
const SMOKE_DAYS = 4;
const COMPRESS_AFTER_DAYS = 60;
const daysArg = z.coerce.number().int().min(30).max(20_000);

/** `[--days N] | --smoke`; a mistake is a UsageError of one line (exit 2). */
export function parseMigrateArgs(argv: string[]): { dayCount: number; baselineMs: number } {
  const { smoke, rest } = takeSmokeFlag(argv);
  const { values } = parseCommandArgs('bench:migrate', rest, { days: { type: 'string' } }, 0);
  if (smoke) {
    if (values.days !== undefined)
      throw new UsageError(`bench:migrate: --smoke runs ${SMOKE_DAYS} days: leave --days out`);
    return { dayCount: SMOKE_DAYS, baselineMs: 1000 };
  }
  const days = daysArg.safeParse(values.days ?? DEFAULT_DAYS);
  if (!days.success) throw new UsageError('bench:migrate: --days must be a whole number from 30 to 20000');
  return { dayCount: days.data, baselineMs: 5000 };
}

async function compressOldChunks(pool: pg.Pool): Promise<string> {
  // The newest MTU first, on its own: compress_chunk rebuilds indexes a query of the same statement would be using.
  const newest = await pool.query<{ mtu: Date }>('SELECT max(mtu) AS mtu FROM jao.observation');
  const result = await pool.query<{ hypertable: string; compressed: number; total: number }>(
    `SELECT h.hypertable_name AS hypertable,
            (SELECT count(compress_chunk(c, if_not_compressed => true))
               FROM show_chunks(format('%I.%I', h.hypertable_schema, h.hypertable_name)::regclass,
                                older_than => $2::timestamptz - $1::int * INTERVAL '1 day') AS c)::int
              AS compressed,
            (SELECT count(*) FROM show_chunks(format('%I.%I', h.hypertable_schema, h.hypertable_name)::regclass))::int
              AS total
       FROM timescaledb_information.hypertables h
      WHERE h.hypertable_schema = 'jao' AND h.hypertable_name IN ('observation', 'observation_history')
      ORDER BY 1`,
    [COMPRESS_AFTER_DAYS, newest.rows[0]!.mtu],
  );
  return result.rows.map((row) => `${row.hypertable} ${row.compressed} of ${row.total} chunks`).join(', ');
}

const FILLED = /^013 filled delivery_day of (\d+) values over (\d+) days in ([\d.]+) s$/;

export async function runMigrateBenchmark(args: string[]): Promise<void> {
  const { dayCount, baselineMs } = parseMigrateArgs(args);
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `jao_bench_migrate_${process.pid}`;
  const admin = watchClient(new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') }));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  const pool = createPool(databaseUrlFor(serverUrl, database), { max: 4, applicationName: 'bench:migrate' });
  try {
    // The previous release's schema: the baseline alone is 1.0.0's.
    await migrate(
      pool,
      loadMigrations().filter((migration) => migration.name === BASELINE_MIGRATION),
    );
    const engine = await readEngine(pool);
    const timescale = engine.kind === 'timescaledb';
    if (timescale) await pauseTimescaleJobs(pool);
    console.log(engine.line);
    let started = performance.now();
    let values = 0;
    let probeDay: DeliveryDay | null = null;
    // The previous release's schema holds border series only: hub series (netPos) exist from migration 020 on.
    const seededDatasets = keyedValueDatasets().filter(
      (each) => declarationOf(each).keyPattern === 'border_{FROM}_{TO}',
    );
    for (const dataset of seededDatasets) {
      const firstDay = declarationOf(dataset).firstDay;
      const seeded = await seedHistory(pool, firstDay, dayCount, seedShapeOf(dataset));
      values += seeded.values + seeded.superseded;
      if (dataset === 'maxExchanges') probeDay = addDays(firstDay, Math.floor(dayCount / 2));
      console.log(
        `seeded ${dataset}: ${dayCount} days from ${firstDay}, ${seeded.values.toLocaleString('en')} current and ` +
          `${seeded.superseded.toLocaleString('en')} superseded values`,
      );
    }
    const compression = timescale ? await compressOldChunks(pool) : null;
    await pool.query('ANALYZE jao.observation; ANALYZE jao.observation_history; ANALYZE jao.series');
    console.log(
      `bench:migrate: ${values.toLocaleString('en')} values of ${seededDatasets.length} datasets at the baseline's schema ` +
        `(1.0.0), seeded in ${((performance.now() - started) / 1000).toFixed(1)} s` +
        `${compression ? `; compressed: ${compression}` : ''}`,
    );

    const before = startProbe(pool, probeDay!);
    await new Promise((resolve) => setTimeout(resolve, baselineMs));
    const baseline = await before.stop();

    const during = startProbe(pool, probeDay!);
    const lines: string[] = [];
    started = performance.now();
    const report = await migrate(pool, undefined, {
      onProgress: (line) => {
        lines.push(line);
        console.log(`  ${line}`);
      },
    });
    const totalSeconds = (performance.now() - started) / 1000;
    const probed = await during.stop();
    const fill = lines.map((line) => FILLED.exec(line)).find((match) => match !== null);
    const filled = fill ? Number(fill[1]) : 0;
    const fillSeconds = fill ? Number(fill[3]) : 0;

    console.log(
      `migration 1.0.0 → ${version}: ${report.applied.length} migrations in ${totalSeconds.toFixed(1)} s ` +
        `(${report.applied[0]} .. ${report.applied.at(-1)})`,
    );
    console.log(
      `longest read of ${probeDay} through jao.max_exchanges: ${probed.longestReadMs.toFixed(0)} ms during, ` +
        `${baseline.longestReadMs.toFixed(0)} ms before  ${ratio(probed.longestReadMs, baseline.longestReadMs)}  ` +
        `(${probed.reads} reads during)`,
    );
    console.log(
      `longest write of ${probeDay}: ${probed.longestWriteMs.toFixed(0)} ms during, ` +
        `${baseline.longestWriteMs.toFixed(0)} ms before  ${ratio(probed.longestWriteMs, baseline.longestWriteMs)}  ` +
        `(${probed.writes} writes during)`,
    );
    console.log(
      `delivery_day filled: ${filled.toLocaleString('en')} values in ${fillSeconds.toFixed(1)} s, ` +
        `${fillSeconds > 0 ? Math.round(filled / fillSeconds).toLocaleString('en') : 'n/a'} values/s`,
    );
    for (const failure of probed.failures.slice(0, 5)) console.log(`  probe failure: ${failure}`);
    printTargets([
      {
        name: TARGET_NAMES[0],
        met: probed.longestReadMs <= MAX_WAIT_MS,
        measured: `${probed.longestReadMs.toFixed(0)} ms`,
      },
      {
        name: TARGET_NAMES[1],
        met: probed.longestWriteMs <= MAX_WAIT_MS,
        measured: `${probed.longestWriteMs.toFixed(0)} ms`,
      },
      {
        name: TARGET_NAMES[2],
        met: probed.failures.length === 0 && baseline.failures.length === 0,
        measured: `${probed.failures.length + baseline.failures.length} failed`,
      },
    ]);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    await admin.end();
  }
}
