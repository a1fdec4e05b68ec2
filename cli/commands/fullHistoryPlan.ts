// `jao backfill --dry-run --all`: every dataset's whole history, from its first day through tomorrow, planned
// against JAO's budget with room left for the live polls and publication windows. Asks nothing of JAO.
import { z } from 'zod';
import { planDays } from '../../activities/plan';
import type { Config } from '../../common/config';
import { marketTomorrow } from '../../domain/calendar';
import { publicationWindowOf } from '../../domain/datasetSource';
import { declarationOf } from '../../domain/datasets';
import { type DatasetHistory, type LiveLoad, planFullHistory } from '../../domain/fullHistoryPlan';
import { BACKFILL_MODES } from '../../domain/workflowInputs';
import { withPool } from '../context';
import { UsageError } from '../errors';
import type { CliIo } from '../io';

const LEFT_OUT = (flag: string, why: string) =>
  z.undefined({ error: `--all ${why}: leave out --${flag}` }).optional();

/** The flags `--all` takes: --dry-run (it only plans) and --mode; the range and dataset are every dataset's whole history. */
const FULL_HISTORY_FLAGS = z.object({
  all: z.literal(true),
  'dry-run': z.literal(true, {
    error: "--all plans every dataset's whole history and starts nothing: give --dry-run too",
  }),
  mode: z
    .enum(BACKFILL_MODES, { error: `mode must be one of ${BACKFILL_MODES.join(', ')}` })
    .default('missing'),
  dataset: LEFT_OUT('dataset', 'plans every dataset of JAO_DATASETS'),
  from: LEFT_OUT('from', 'starts each dataset at its first day'),
  to: LEFT_OUT('to', 'ends at tomorrow'),
  wait: LEFT_OUT('wait', 'starts nothing'),
  concurrency: LEFT_OUT('concurrency', 'plans against the request budget, which concurrency does not change'),
});

export type FullHistoryFlags = z.output<typeof FULL_HISTORY_FLAGS>;

/** The flags as parsed by parseArgs, checked: one line naming the first problem. */
export function parseFullHistoryFlags(values: Record<string, unknown>): FullHistoryFlags {
  const parsed = FULL_HISTORY_FLAGS.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new UsageError(`backfill: ${parsed.error.issues[0]!.message}`);
}

/** A duration for people: in seconds, minutes, hours, and from two days on in days (unless `inDays` is false). */
export function formatMinutes(minutes: number, inDays = true): string {
  if (minutes < 1) return `${Math.ceil(minutes * 60)} s`;
  if (minutes < 120) return `${minutes.toFixed(1)} min`;
  if (minutes < 48 * 60 || !inDays) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

const count = (n: number) => n.toLocaleString('en');

/** What the live fetches take of the budget over a day, and when they take all of it. */
function liveLoadLines(live: LiveLoad, budget: number): string[] {
  const monitoring =
    live.monitored.length > 0
      ? `; JAO's monitoring of ${live.monitoredRegions.join(', ')} fetches ${live.monitored.join(', ')} ` +
        '(their polls and windows stand down while it is read)'
      : '';
  return [
    `budget ${budget} requests/min; the live fetches (polls, publication windows, monitoring reads) take ` +
      `${live.mean.toFixed(1)} on average over the day, ${live.peak.toFixed(1)} at the busiest minute${monitoring}`,
    ...live.saturated.map(
      (stretch) =>
        `${stretch} Europe/Amsterdam: the live fetches take the whole budget; the backfill waits then`,
    ),
  ];
}

/** Prints the plan of every dataset in JAO_DATASETS; 1 when the live fetches leave no room for a backfill. */
export async function printFullHistoryPlan(
  io: CliIo,
  config: Config,
  flags: FullHistoryFlags,
): Promise<number> {
  const to = marketTomorrow(new Date());
  const histories: DatasetHistory[] = [];
  await withPool(config.DATABASE_URL, { max: 1 }, async (pool) => {
    for (const dataset of config.JAO_DATASETS) {
      const { firstDay: from } = declarationOf(dataset);
      const days = await planDays(pool, { dataset, from, to, mode: flags.mode });
      histories.push({ dataset, from, to, days: days.length });
    }
  });
  const plan = planFullHistory(histories, {
    requestsPerMinute: config.JAO_MAX_REQUESTS_PER_MINUTE,
    pollIntervalMs: config.POLL_INTERVAL,
    lookbackDays: config.POLL_LOOKBACK_DAYS,
    checkIntervalMs: config.PUBLICATION_POLL_INTERVAL,
    windowOf: (dataset) => publicationWindowOf(dataset, config),
    monitoringIntervalMs: config.JAO_MONITORING === 'on' ? config.MONITORING_INTERVAL : null,
  });
  io.out(
    `full history of ${histories.length} dataset(s), mode ${flags.mode}: each from its first day through ${to}`,
  );
  for (const line of liveLoadLines(plan.live, config.JAO_MAX_REQUESTS_PER_MINUTE)) io.out(line);
  if (!plan.ok) {
    io.err(`backfill: ${plan.message}`);
    return 1;
  }
  io.out(
    `the backfill gets what they leave: ${plan.backfillRate.toFixed(1)} requests/min on average over the day`,
  );
  for (const line of plan.datasets) {
    io.out(
      `${line.dataset} ${line.from}..${line.to}: ${count(line.days)} days, at least ${count(line.requests)} ` +
        `requests (${line.basis}), ${formatMinutes(line.minutes)}`,
    );
  }
  io.out(
    `total: at least ${count(plan.requests)} requests, ${formatMinutes(plan.minutes)} at ` +
      `${plan.backfillRate.toFixed(1)} requests/min`,
  );
  return 0;
}
