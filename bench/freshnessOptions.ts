// bench:freshness's options: read with node:util, checked with zod; a mistake is one line (UsageError, exit 2).
import { z } from 'zod';
import { parseCommandArgs } from '../cli/args';
import { UsageError } from '../cli/errors';
import {
  DATASETS,
  type Dataset,
  DEFAULT_DATASET,
  findDataset,
  unknownDatasetMessage,
} from '../domain/datasets';
import { takeSmokeFlag } from './report';

const COMMAND = 'bench:freshness';

/** Core maxExchanges and Nordic maxExchanges: one JAO budget for both. */
export const DEFAULT_BENCH_DATASETS: readonly Dataset[] = [DEFAULT_DATASET, 'nordicMaxExchanges'];
/** Core maxExchanges and the final flow-based domain: both announced by JAO's step `Final Computation`. */
export const DEFAULT_MODE_DATASETS: readonly Dataset[] = [DEFAULT_DATASET, 'coreFinalComputation'];
/**
 * `--smoke` proves the comparison runs to its end and judges every target, not its figures: Core maxExchanges alone
 * (the monitoring workflow starts only the kept datasets' days), since a flow-based day's megabytes made it outlast
 * its smoke time on a loaded machine.
 */
export const SMOKE_MODE_DATASETS: readonly Dataset[] = [DEFAULT_DATASET];

/** What a run measures: the two modes (fixed polls, JAO's monitoring), the rounds with a backfill, or both. */
export const MEASURES = ['modes', 'backfill', 'all'] as const;
export type Measure = (typeof MEASURES)[number];

export interface FreshnessOptions {
  measure: Measure;
  /** Rounds without and with a backfill (`--measure backfill`). */
  rounds: number;
  /** Rounds of each mode, each one business day's events (`--measure modes`). */
  modeRounds: number;
  /** The datasets of the mode comparison, published and revised together in every round. */
  modeDatasets: readonly Dataset[];
  /** MONITORING_INTERVAL of the monitoring mode's worker. */
  monitoringIntervalMs: number;
  /** MONITORING_QUIET_INTERVAL of the monitoring mode's worker. */
  monitoringQuietIntervalMs: number;
  /** The stretch of each mode in which nothing is published. */
  quietMs: number;
  publishAfterMs: number;
  latencyMs: number;
  seed: number;
  smoke: boolean;
  lookbackDays: number;
  /** Each publishes its tomorrow in every round, polled by its own schedules. */
  datasets: readonly Dataset[];
  /** The datasets a backfill runs for in the rounds with a backfill, each one of `datasets`. */
  backfillDatasets: readonly Dataset[];
  /** Days per backfill, from the later of 2022-07-01 and the dataset's first day. */
  backfillDays: number;
  backfillConcurrency: number;
  backfillWarmUpMs: number;
}

const SMOKE = {
  rounds: 1,
  modeRounds: 1,
  monitoringIntervalS: 2,
  monitoringQuietIntervalS: 3,
  quietS: 10,
  publishAfterS: 0,
  latencyMs: 0,
  lookbackDays: 0,
  backfillDays: 10,
};
const FULL = {
  rounds: 5,
  modeRounds: 3,
  monitoringIntervalS: 30,
  monitoringQuietIntervalS: 300,
  quietS: 120,
  publishAfterS: 60,
  latencyMs: 200,
  lookbackDays: 3,
  backfillDays: 1096,
};

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'needs a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** `all` (every declared dataset), or ids and `region/endpoint` names separated by commas. */
const datasetList = z.string().transform((text, context): Dataset[] => {
  if (text.trim().toLowerCase() === 'all') return [...DATASETS];
  const datasets: Dataset[] = [];
  for (const name of text.split(',').map((part) => part.trim())) {
    const dataset = findDataset(name);
    if (dataset === null) {
      context.addIssue({ code: 'custom', message: unknownDatasetMessage(name) });
      return z.NEVER;
    }
    if (!datasets.includes(dataset)) datasets.push(dataset);
  }
  return datasets;
});

const argsSchema = z
  .object({
    measure: z.enum(MEASURES).optional(),
    rounds: wholeNumber(1, 100).optional(),
    'monitoring-interval-s': wholeNumber(1, 3_600).optional(),
    'monitoring-quiet-interval-s': wholeNumber(1, 3_600).optional(),
    'quiet-s': wholeNumber(1, 3_600).optional(),
    'publish-after-s': wholeNumber(0, 3_600).optional(),
    'latency-ms': wholeNumber(0, 10_000).optional(),
    seed: wholeNumber(0, 2 ** 31).optional(),
    datasets: datasetList.optional(),
    backfill: datasetList.optional(),
  })
  .refine(
    (args) =>
      (args.backfill ?? []).every((dataset) => (args.datasets ?? DEFAULT_BENCH_DATASETS).includes(dataset)),
    { message: 'each dataset backfilled must be one of --datasets', path: ['backfill'] },
  );

/**
 * `--measure modes|backfill|all --rounds N --monitoring-interval-s S --monitoring-quiet-interval-s S --quiet-s S --publish-after-s S --latency-ms MS
 * --seed N --datasets ID,ID --backfill ID,ID [--smoke]`.
 */
export function parseFreshnessArgs(argv: string[]): FreshnessOptions {
  const { smoke, rest } = takeSmokeFlag(argv);
  const { values } = parseCommandArgs(
    COMMAND,
    rest,
    {
      measure: { type: 'string' },
      rounds: { type: 'string' },
      'monitoring-interval-s': { type: 'string' },
      'monitoring-quiet-interval-s': { type: 'string' },
      'quiet-s': { type: 'string' },
      'publish-after-s': { type: 'string' },
      'latency-ms': { type: 'string' },
      seed: { type: 'string' },
      datasets: { type: 'string' },
      backfill: { type: 'string' },
    },
    0,
  );
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${COMMAND}: --${String(issue.path[0])}: ${issue.message}`);
  }
  const args = parsed.data;
  const sizes = smoke ? SMOKE : FULL;
  const datasets = args.datasets ?? DEFAULT_BENCH_DATASETS;
  return {
    measure: args.measure ?? 'modes',
    rounds: args.rounds ?? sizes.rounds,
    modeRounds: args.rounds ?? sizes.modeRounds,
    modeDatasets: args.datasets ?? (smoke ? SMOKE_MODE_DATASETS : DEFAULT_MODE_DATASETS),
    monitoringIntervalMs: (args['monitoring-interval-s'] ?? sizes.monitoringIntervalS) * 1000,
    monitoringQuietIntervalMs: (args['monitoring-quiet-interval-s'] ?? sizes.monitoringQuietIntervalS) * 1000,
    quietMs: (args['quiet-s'] ?? sizes.quietS) * 1000,
    publishAfterMs: (args['publish-after-s'] ?? sizes.publishAfterS) * 1000,
    latencyMs: args['latency-ms'] ?? sizes.latencyMs,
    seed: args.seed ?? 1,
    smoke,
    lookbackDays: sizes.lookbackDays,
    datasets,
    backfillDatasets: args.backfill ?? datasets,
    backfillDays: sizes.backfillDays,
    backfillConcurrency: smoke ? 4 : 16,
    backfillWarmUpMs: smoke ? 1_000 : 20_000,
  };
}
