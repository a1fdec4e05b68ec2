// `npm run bench:restore [-- --datasets all|ID,… --days N --revise-every N --archive-url URL | --smoke]`: for each
// dataset (Core maxExchanges by default), its whole history (its first day to today, about 1,630 days for Core)
// fetched from the simulator and stored by the pipeline's own activities, every tenth day revised by the simulator
// and stored again; then archived (archive/ship.ts) into a fresh archive (a temporary directory, or ARCHIVE URL with
// the ARCHIVE_S3_* variables, a folder per dataset), and restored (archive/restore.ts) into an empty database. Beside it, in the same run, the same days reprocessed from their stored answers (what
// bench:reprocess measures). Prints the archive's size per year of delivery days, and judges: restore time,
// restore against reprocessing, archiving against the backfill's speed, the archive's size per year, the restored
// database identical to the original (bench/databaseFingerprint.ts), and no request to JAO while restoring.
// `--smoke`: six days, two revised.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { reprocessDay } from '../activities/reprocess';
import { decodeEntry, isCompressedAnswer, JOURNAL_PREFIX } from '../archive/format';
import { openArchiveStore } from '../archive/openStore';
import { RESTORE_LANES, restoreArchive } from '../archive/restore';
import { shipPendingWrites } from '../archive/ship';
import type { ArchiveStore } from '../archive/store';
import { UsageError } from '../cli/errors';
import { configSchema } from '../common/config';
import { inLanes } from '../common/lanes';
import { createPool, watchClient } from '../db/pool';
import { addDays, daysBetween, marketToday } from '../domain/calendar';
import {
  DATASETS,
  DEFAULT_DATASET,
  declarationOf,
  findDataset,
  unknownDatasetMessage,
} from '../domain/datasets';
import { plannedRequests } from '../domain/plannedRequests';
import { DEFAULT_REPROCESS_CONCURRENCY } from '../domain/reprocessInputs';
import type { Dataset, DeliveryDay } from '../domain/types';
import { startSimulator } from '../simulator/server';
import { Cleanup, createPassDatabase } from './backfill';
import { differences, fingerprint } from './databaseFingerprint';
import { printTargets, ratio, type Target, takeSmokeFlag } from './report';
import { storeDays } from './reprocess';

const BUILD_ID = 'bench:restore (stored before)';
const MB = 1024 * 1024;
/** The backfill's budget by default: JAO_MAX_REQUESTS_PER_MINUTE as the configuration defaults it. */
const DEFAULT_REQUESTS_PER_MINUTE = configSchema.shape.JAO_MAX_REQUESTS_PER_MINUTE.parse(undefined);

const TARGETS = { restoreSeconds: 60, timesReprocess: 2, timesBackfill: 10, mbPerYear: 250 };
export const TARGET_NAMES = [
  `restore of Core maxExchanges' history ≤ ${TARGETS.restoreSeconds} s`,
  `restore ≤ ${TARGETS.timesReprocess} × the time of reprocessing the same days, for every dataset`,
  `archiving ≥ ${TARGETS.timesBackfill} × the backfill's days/s at the default budget`,
  `archive ≤ ${TARGETS.mbPerYear} MB per year of delivery days`,
  'restored database identical to the original (values, history, days, quality, lineage)',
  'no request to JAO while restoring',
] as const;

interface BenchOptions {
  /** Days of each dataset from its first day (or from `firstDay`, whichever is later); null: its whole history. */
  days: number | null;
  firstDay: DeliveryDay;
  reviseEvery: number;
  archiveUrl: string | undefined;
  datasets: Dataset[];
}

/** `all`, or dataset ids and `region/endpoint` names separated by commas. */
function parseDatasets(text: string): Dataset[] {
  if (text.trim().toLowerCase() === 'all') return [...DATASETS];
  const datasets: Dataset[] = [];
  for (const name of text.split(',')) {
    const dataset = findDataset(name);
    if (dataset === null) throw new UsageError(`bench:restore: ${unknownDatasetMessage(name.trim())}`);
    if (!datasets.includes(dataset)) datasets.push(dataset);
  }
  return datasets;
}

function parseArgs(argv: string[], now = new Date()): BenchOptions {
  const { smoke, rest: args } = takeSmokeFlag(argv);
  const wholeHistory = daysBetween(declarationOf(DEFAULT_DATASET).firstDay, marketToday(now)) + 1;
  const options: BenchOptions = {
    days: smoke ? 6 : null,
    firstDay: smoke ? '2023-03-24' : declarationOf(DEFAULT_DATASET).firstDay,
    reviseEvery: smoke ? 3 : 10,
    archiveUrl: undefined,
    datasets: [DEFAULT_DATASET],
  };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    const value = args[i + 1];
    const number = Number(value);
    if (flag === '--days' && Number.isInteger(number) && number > 0 && number <= wholeHistory)
      options.days = number;
    else if (flag === '--revise-every' && Number.isInteger(number) && number >= 1)
      options.reviseEvery = number;
    else if (flag === '--archive-url' && value) options.archiveUrl = value;
    else if (flag === '--datasets' && value) options.datasets = parseDatasets(value);
    else throw new UsageError(`bench:restore: unknown or invalid argument ${flag} ${value ?? ''}`.trim());
    i += 1;
  }
  return options;
}

/** The dataset's days the run stores: from its first day (or `firstDay`), at most `days`, never after today. */
function daysOf(dataset: Dataset, options: BenchOptions, now = new Date()): DeliveryDay[] {
  const first = [declarationOf(dataset).firstDay, options.firstDay].sort().at(-1)!;
  const available = daysBetween(first, marketToday(now)) + 1;
  const count = Math.max(0, Math.min(options.days ?? available, available));
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Bytes of the archive by year of delivery day: each answer object counted once, at its first journal entry. */
async function sizeByYear(store: ArchiveStore): Promise<{ years: Map<string, number>; objects: number }> {
  const years = new Map<string, number>();
  const answersSeen = new Set<string>();
  let objects = 0;
  const add = (year: string, bytes: number) => years.set(year, (years.get(year) ?? 0) + bytes);
  for await (const key of store.list(JOURNAL_PREFIX)) {
    const bytes = await store.get(key);
    if (!bytes) throw new Error(`bench:restore: ${key} vanished`);
    const entry = decodeEntry(key, bytes);
    const year = entry.day.slice(0, 4);
    add(year, bytes.byteLength);
    objects += 1;
    const answer = entry.answer;
    if (answer && !answersSeen.has(answer.object)) {
      answersSeen.add(answer.object);
      objects += 1;
      // A whole answer kept as sent is as long as the answer; a truncated or compressed one, as its object.
      const size =
        answer.truncatedReason === null && !isCompressedAnswer(answer.object)
          ? answer.bytes
          : ((await store.get(answer.object))?.byteLength ?? 0);
      add(year, size);
    }
  }
  return { years, objects };
}

/** Days in each year of the range, to scale a partial year to a whole one. */
function daysByYear(days: DeliveryDay[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const day of days) counts.set(day.slice(0, 4), (counts.get(day.slice(0, 4)) ?? 0) + 1);
  return counts;
}

/** What one dataset's pass measured. */
interface DatasetPass {
  dataset: Dataset;
  days: number;
  archiveSeconds: number;
  reprocessSeconds: number;
  restoreSeconds: number;
  largestMbPerYear: number;
  mismatches: string[];
  requests: number;
}

/**
 * One dataset's history stored from the simulator (every `reviseEvery`-th day revised once), archived into a fresh
 * archive, restored into an empty database, and reprocessed from its stored answers as the baseline.
 */
async function measureDataset(
  dataset: Dataset,
  days: DeliveryDay[],
  options: BenchOptions,
  admin: pg.Client,
  serverUrl: string,
  cleanup: Cleanup,
): Promise<DatasetPass> {
  const revised = days.filter((_, i) => i % options.reviseEvery === options.reviseEvery - 1);
  const name = `jao_bench_restore_${process.pid}_${dataset.toLowerCase()}`;
  const original = await createPassDatabase(admin, serverUrl, `${name}_a`, cleanup);
  const pool = createPool(original.url, { applicationName: 'bench:restore original' });
  cleanup.add(`${dataset} pool`, () => pool.end());
  const simulator = await startSimulator();
  cleanup.add(`${dataset} simulator`, () => simulator.close());

  let archiveUrl = options.archiveUrl;
  if (archiveUrl === undefined) {
    const directory = mkdtempSync(join(tmpdir(), 'jao-bench-archive-'));
    cleanup.add(`${dataset} archive directory`, () => rmSync(directory, { recursive: true, force: true }));
    archiveUrl = pathToFileURL(join(directory, 'archive')).href;
  } else if (options.datasets.length > 1) {
    archiveUrl = `${archiveUrl.replace(/\/+$/, '')}/${dataset}`;
  }
  const store = await openArchiveStore(archiveUrl, process.env, '--archive-url');
  if ('destroy' in store && typeof store.destroy === 'function') {
    const opened = store as ArchiveStore & { destroy: () => void };
    cleanup.add(`${dataset} archive client`, () => opened.destroy());
  }

  console.log(
    `bench:restore ${dataset}: ${days.length} days ${days[0]}..${days.at(-1)}, ${revised.length} revised once; ` +
      `archive ${store.location}`,
  );
  const storing = performance.now();
  await storeDays(pool, simulator, days, BUILD_ID, dataset);
  for (const day of revised) simulator.reviseDay(day, dataset);
  await storeDays(pool, simulator, revised, BUILD_ID, dataset);
  console.log(
    `stored ${days.length + revised.length} answers from the simulator in ${seconds(storing).toFixed(1)} s`,
  );

  const archiving = performance.now();
  const shipped = await shipPendingWrites(pool, store);
  const archiveSeconds = seconds(archiving);
  const before = await fingerprint(pool);

  const restored = await createPassDatabase(admin, serverUrl, `${name}_b`, cleanup);
  const restoredPool = createPool(restored.url, { applicationName: 'bench:restore restored' });
  cleanup.add(`${dataset} restored pool`, () => restoredPool.end());
  const requestsBefore = simulator.requests.length;
  const restoring = performance.now();
  const progress = await restoreArchive(restoredPool, store, {});
  const restoreSeconds = seconds(restoring);
  const requests = simulator.requests.length - requestsBefore;
  const after = await fingerprint(restoredPool);
  const mismatches = differences(before, after);

  // The baseline: the same days reprocessed from their stored answers, in-process, as bench:reprocess's
  // activities do (nothing changes: the stored values are what the answers give), on a pool of its own, as a
  // worker's. Each day's answer is read and judged afresh: nothing judged is kept in memory.
  const reprocessPool = createPool(original.url, { applicationName: 'bench:restore reprocess' });
  cleanup.add(`${dataset} reprocess pool`, () => reprocessPool.end());
  const reprocessing = performance.now();
  await inLanes(days, DEFAULT_REPROCESS_CONCURRENCY, async (day) => {
    await reprocessDay(
      { pool: reprocessPool, buildId: BUILD_ID },
      { dataset, day, workflowId: null, dryRun: false },
    );
  });
  const reprocessSeconds = seconds(reprocessing);

  const { years, objects } = await sizeByYear(store);
  const perYear = daysByYear(days);
  // Days a second at the budget: a paged day (the flow-based domain) costs its probe and pages.
  const planned = plannedRequests(dataset, 1);
  const backfillRate = DEFAULT_REQUESTS_PER_MINUTE / 60 / planned.requests;
  const line = (label: string, s: number, rest: string) =>
    console.log(`${label.padEnd(46)} ${s.toFixed(1).padStart(8)} s ${rest}`);
  line(
    'backfill at the default budget (baseline)',
    days.length / backfillRate,
    `${backfillRate.toFixed(2).padStart(8)} days/s  (${planned.requests} request${planned.requests === 1 ? '' : 's'} a day at JAO_MAX_REQUESTS_PER_MINUTE ${DEFAULT_REQUESTS_PER_MINUTE})`,
  );
  line(
    'archive (jao archive: ship every write)',
    archiveSeconds,
    `${(days.length / archiveSeconds).toFixed(2).padStart(8)} days/s  ${ratio(days.length / archiveSeconds, backfillRate)} (to the backfill)  ` +
      `${shipped.shipped} writes, ${shipped.answersWritten} answers`,
  );
  line(
    `reprocess the same days (concurrency ${DEFAULT_REPROCESS_CONCURRENCY}, baseline)`,
    reprocessSeconds,
    `${(days.length / reprocessSeconds).toFixed(2).padStart(8)} days/s`,
  );
  line(
    `restore into an empty database (${RESTORE_LANES} lanes of days)`,
    restoreSeconds,
    `${(days.length / restoreSeconds).toFixed(2).padStart(8)} days/s  ${ratio(restoreSeconds, reprocessSeconds)} (restore time / reprocess time)  ` +
      `${progress.applied} writes applied, ${progress.skipped} skipped, ${requests} requests to JAO`,
  );
  let largestPerYear = 0;
  for (const [year, bytes] of [...years].sort(([a], [b]) => a.localeCompare(b))) {
    const share = (perYear.get(year) ?? 0) / (Number(year) % 4 === 0 ? 366 : 365);
    const wholeYear = share > 0 ? bytes / share : bytes;
    largestPerYear = Math.max(largestPerYear, wholeYear);
    console.log(
      `archive ${year}: ${(bytes / MB).toFixed(1).padStart(8)} MB for ${perYear.get(year) ?? 0} days` +
        ` (${(wholeYear / MB).toFixed(1)} MB for the whole year at that rate)`,
    );
  }
  const total = [...years.values()].reduce((sum, bytes) => sum + bytes, 0);
  console.log(`archive in all: ${(total / MB).toFixed(1)} MB in ${objects} objects`);
  if (mismatches.length > 0) console.log(`restored ${dataset} differs in: ${mismatches.join(', ')}`);
  // This dataset's databases and simulator are not needed by the next one.
  await cleanup.runAll();
  return {
    dataset,
    days: days.length,
    archiveSeconds,
    reprocessSeconds,
    restoreSeconds,
    largestMbPerYear: largestPerYear / MB,
    mismatches,
    requests,
  };
}

export async function runRestoreBenchmark(args: string[]): Promise<void> {
  const options = parseArgs(args);
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`bench:restore: ${signal}, tearing down`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = '/postgres';
  const admin = watchClient(new pg.Client({ connectionString: adminUrl.toString() }));
  try {
    await admin.connect();
    const passes: DatasetPass[] = [];
    for (const dataset of options.datasets) {
      const days = daysOf(dataset, options);
      if (days.length === 0) {
        console.log(`bench:restore ${dataset}: no day of it from ${options.firstDay} to today; left out`);
        continue;
      }
      passes.push(await measureDataset(dataset, days, options, admin, serverUrl, cleanup));
    }
    printTargets(judge(passes));
  } finally {
    await cleanup.runAll();
    await admin.end();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** The targets over every dataset measured: each must hold for all of them. */
function judge(passes: DatasetPass[]): Target[] {
  const backfillRate = (pass: DatasetPass) =>
    DEFAULT_REQUESTS_PER_MINUTE / 60 / plannedRequests(pass.dataset, 1).requests;
  const each = (figure: (pass: DatasetPass) => string) =>
    passes.map((pass) => `${pass.dataset} ${figure(pass)}`).join(', ') || 'no dataset measured';
  const core = passes.find((pass) => pass.dataset === DEFAULT_DATASET);
  const wholeHistoryDays = daysBetween(declarationOf(DEFAULT_DATASET).firstDay, marketToday(new Date())) + 1;
  return [
    {
      name: TARGET_NAMES[0],
      met: core !== undefined && core.restoreSeconds <= TARGETS.restoreSeconds,
      measured:
        core === undefined
          ? 'not measured (Core maxExchanges not among --datasets)'
          : `${core.restoreSeconds.toFixed(1)} s for ${core.days} of ${wholeHistoryDays} days`,
    },
    {
      name: TARGET_NAMES[1],
      met:
        passes.length > 0 &&
        passes.every((p) => p.restoreSeconds <= TARGETS.timesReprocess * p.reprocessSeconds),
      measured: each((p) => `${(p.restoreSeconds / p.reprocessSeconds).toFixed(2)} ×`),
    },
    {
      name: TARGET_NAMES[2],
      met:
        passes.length > 0 &&
        passes.every((p) => p.days / p.archiveSeconds >= TARGETS.timesBackfill * backfillRate(p)),
      measured: each((p) => `${(p.days / p.archiveSeconds / backfillRate(p)).toFixed(1)} ×`),
    },
    {
      name: TARGET_NAMES[3],
      met: passes.length > 0 && passes.every((p) => p.largestMbPerYear <= TARGETS.mbPerYear),
      measured: each((p) => `${p.largestMbPerYear.toFixed(1)} MB in the largest year`),
    },
    {
      name: TARGET_NAMES[4],
      met: passes.length > 0 && passes.every((p) => p.mismatches.length === 0),
      measured: each((p) =>
        p.mismatches.length === 0 ? 'identical' : `differs in ${p.mismatches.length} tables`,
      ),
    },
    {
      name: TARGET_NAMES[5],
      met: passes.length > 0 && passes.every((p) => p.requests === 0),
      measured: each((p) => `${p.requests} requests`),
    },
  ];
}
