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
import { nordicMaxExchanges } from '../domain/datasets/nordicMaxExchanges';
import { takeSmokeFlag } from './report';

const COMMAND = 'bench:freshness';

/** Core maxExchanges and Nordic maxExchanges: one JAO budget for both. */
export const DEFAULT_BENCH_DATASETS: readonly Dataset[] = [DEFAULT_DATASET, nordicMaxExchanges.id];

export interface FreshnessOptions {
  rounds: number;
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

const SMOKE = { rounds: 1, publishAfterS: 0, latencyMs: 0, lookbackDays: 0, backfillDays: 10 };
const FULL = { rounds: 5, publishAfterS: 60, latencyMs: 200, lookbackDays: 3, backfillDays: 1096 };

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
    rounds: wholeNumber(1, 100).optional(),
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

/** `--rounds N --publish-after-s S --latency-ms MS --seed N --datasets ID,ID --backfill ID,ID [--smoke]`. */
export function parseFreshnessArgs(argv: string[]): FreshnessOptions {
  const { smoke, rest } = takeSmokeFlag(argv);
  const { values } = parseCommandArgs(
    COMMAND,
    rest,
    {
      rounds: { type: 'string' },
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
    rounds: args.rounds ?? sizes.rounds,
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
