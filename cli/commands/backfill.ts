import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { planDays } from '../../activities/plan';
import type { Config } from '../../common/config';
import { isTemporalUnreachable } from '../../common/temporal';
import { openBackfill, startDayRun } from '../../control/runStarts';
import { deliveryDayProblem, marketTomorrow } from '../../domain/calendar';
import { type Dataset, declarationOf } from '../../domain/datasets';
import { plannedRequests } from '../../domain/plannedRequests';
import { countOf } from '../../domain/runDetails';
import {
  type BackfillProgress,
  type BackfillRequest,
  type BackfillResult,
  type DayOutcome,
  type DayResult,
  parseBackfillInput,
  reasonOf,
} from '../../domain/workflowInputs';
import { parseCommandArgs, parseDatasetArg } from '../args';
import { configFromEnv, withPool } from '../context';
import { messageWithCauses, UsageError } from '../errors';
import type { CliIo } from '../io';
import { marketInstant } from '../marketTime';
import { COMMAND_OPTIONS } from '../options';
import { pollProgress, renderProgress, statusCounts } from '../progressLine';
import { describeRerunOutcome, type RerunOutcome, rerunExitCode } from '../rerunOutcome';
import { withTemporalOfOwnDatabase } from '../workerDatabase';
import { formatMinutes, parseFullHistoryFlags, printFullHistoryPlan } from './fullHistoryPlan';

const OPTIONS = COMMAND_OPTIONS.backfill;

/** A whole number as a person types it: decimal digits (a sign is let through for the range check). */
const DECIMAL_INTEGER = /^-?\d+$/;

/** `defaults` may depend on the dataset (`rerun --failed` starts at the dataset's first day). */
type BackfillDefaults = Partial<BackfillRequest> | ((dataset: Dataset) => Partial<BackfillRequest>);

/** The flags every range command takes (backfill, rerun --failed, reprocess), as parseArgs gives them. */
type RangeValues = ReturnType<typeof parseCommandArgs<typeof COMMAND_OPTIONS.reprocess>>['values'];

/** --dataset, --from and --to (a default where absent) and --concurrency as typed, checked; --wait, --dry-run. */
export function parseRangeFlags(command: string, values: RangeValues, defaultsOf: BackfillDefaults = {}) {
  const dataset = parseDatasetArg(command, values.dataset);
  const defaults = typeof defaultsOf === 'function' ? defaultsOf(dataset) : defaultsOf;
  const from = values.from ?? defaults.from;
  const to = values.to ?? defaults.to;
  if (!from || !to) throw new UsageError(`${command}: --from and --to are required (YYYY-MM-DD)`);
  if (values.concurrency !== undefined && !DECIMAL_INTEGER.test(values.concurrency)) {
    throw new UsageError(
      `${command}: concurrency must be a whole number in decimal digits, got "${values.concurrency}"`,
    );
  }
  const concurrency = values.concurrency ?? defaults.concurrency;
  const flags = { wait: values.wait ?? false, dryRun: values['dry-run'] ?? false };
  return { input: { dataset, from, to, concurrency }, mode: defaults.mode, flags };
}

export function parseBackfillArgs(command: string, argv: string[], defaultsOf: BackfillDefaults = {}) {
  const { values } = parseCommandArgs(command, argv, OPTIONS, 0);
  if (values.all !== undefined) throw new UsageError(`${command}: --all applies to backfill --dry-run only`);
  const { input, mode, flags } = parseRangeFlags(command, values, defaultsOf);
  const parsed = parseBackfillInput({ ...input, mode: values.mode ?? mode }, new Date());
  if (!parsed.ok) throw new UsageError(`${command}: ${parsed.message}`);
  return { request: parsed.value, ...flags };
}

async function printDryRun(io: CliIo, config: Config, request: BackfillRequest): Promise<number> {
  const days = await withPool(config.DATABASE_URL, { max: 1 }, (pool) => planDays(pool, request));
  const planned = plannedRequests(request.dataset, days.length);
  const minutes = planned.requests / config.JAO_MAX_REQUESTS_PER_MINUTE;
  io.out(
    `backfill ${datasetLabel(request.dataset)}${request.from}..${request.to}, mode ${request.mode}, concurrency ${request.concurrency}`,
  );
  io.out(`days: ${days.length}${days.length ? ` (${summarizeDays(days)})` : ''}`);
  io.out(`requests: at least ${planned.requests} (${planned.basis})`);
  io.out(
    `minimum duration at ${config.JAO_MAX_REQUESTS_PER_MINUTE} requests/min: ${formatMinutes(minutes, false)}`,
  );
  return 0;
}

/** Up to ten days, else the first five and the last three. */
export function summarizeDays(days: readonly string[]): string {
  return days.length <= 10 ? days.join(' ') : `${days.slice(0, 5).join(' ')} … ${days.slice(-3).join(' ')}`;
}

/** `nordicMaxExchanges ` before a range: the dataset's id, as its declaration names it. */
export const datasetLabel = (dataset: Dataset): string => `${declarationOf(dataset).id} `;

/** `2024-01-05 failed: why`, for a day of a run that did not end complete. */
export function notCompletedLine(outcome: DayOutcome): string {
  const reason = reasonOf(outcome);
  return `${outcome.day} ${outcome.status}${reason ? `: ${reason}` : ''}`;
}

function printSummary(io: CliIo, result: BackfillResult): void {
  io.out(
    `backfill ${datasetLabel(result.dataset)}${result.from}..${result.to} (${result.mode}) finished: ${countOf(result.total, 'day')}; ${statusCounts(result.byStatus) || 'nothing to do'}`,
  );
  for (const outcome of result.notCompleted) io.out(`  ${notCompletedLine(outcome)}`);
}

/**
 * The result of a backfill or a reprocessing, its progress query shown meanwhile (resultWithProgress), printed by
 * `print`; the exit code: 1 when a day failed.
 */
export async function waitForRun<R extends { notCompleted: DayOutcome[] }>(
  io: CliIo,
  handle: WorkflowHandle,
  print: (io: CliIo, result: R) => void,
): Promise<number> {
  const result = await resultWithProgress<R>(io, handle, async () =>
    renderProgress(await handle.query<BackfillProgress>('progress')),
  );
  print(io, result);
  return result.notCompleted.some((outcome) => outcome.status === 'failed') ? 1 : 0;
}

const OUTAGE_RETRY_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * The workflow's result, waiting through Temporal outages (a server restart, a network cut): the workflow runs
 * on regardless, so the wait reconnects and goes on instead of failing. Ctrl-C (or `signal`) ends it.
 */
export async function resultThroughOutages<T>(
  handle: WorkflowHandle,
  say: (line: string) => void,
  signal?: AbortSignal,
): Promise<T> {
  let awaySince: number | null = null;
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      const result = (await handle.result()) as T;
      if (awaySince !== null)
        say(`Temporal answers again (away ${Math.round((Date.now() - awaySince) / 1000)} s)`);
      return result;
    } catch (error) {
      if (!isTemporalUnreachable(error) || signal?.aborted) throw error;
      if (awaySince === null) {
        awaySince = Date.now();
        say(
          `Temporal unreachable (${error instanceof Error ? error.message : String(error)}): waiting for it to come back, the workflow goes on`,
        );
      }
      const delay = OUTAGE_RETRY_MS[Math.min(attempt, OUTAGE_RETRY_MS.length - 1)]!;
      await sleep(delay, undefined, { signal });
    }
  }
}

/** The workflow's result (resultThroughOutages), the progress line `read` gives shown on stderr meanwhile. */
export async function resultWithProgress<T>(
  io: CliIo,
  handle: WorkflowHandle,
  read: () => Promise<string | null>,
): Promise<T> {
  const stopProgress = pollProgress(io.stderr, read);
  try {
    return await resultThroughOutages<T>(handle, io.err);
  } finally {
    await stopProgress();
  }
}

export async function backfillCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('backfill', argv, OPTIONS, 0);
  if (values.all !== undefined) {
    return printFullHistoryPlan(io, configFromEnv(io.env), parseFullHistoryFlags(values));
  }
  return runBackfill(io, parseBackfillArgs('backfill', argv));
}

/** The dry run's plan, or the backfill started or attached to (and with --wait its summary: exit 1 when a day failed). */
async function runBackfill(io: CliIo, args: ReturnType<typeof parseBackfillArgs>): Promise<number> {
  const { request, wait, dryRun } = args;
  const config = configFromEnv(io.env);
  if (dryRun) return printDryRun(io, config, request);
  return withTemporalOfOwnDatabase(io.env, config, async (temporal) => {
    const { handle, workflowId, runId, attachedSince } = await openBackfill(
      temporal.client,
      config.TEMPORAL_TASK_QUEUE,
      request,
    );
    const attached = attachedSince ? `: attached to it, running since ${marketInstant(attachedSince)}` : '';
    io.out(`backfill workflow ${workflowId} (run ${runId})${attached}`);
    return wait ? waitForRun(io, handle, printSummary) : 0;
  });
}

/** Starts the day workflow of each given day (a day already running is left to finish and reported). */
async function rerunDays(
  io: CliIo,
  config: Config,
  dataset: Dataset,
  days: string[],
  wait: boolean,
): Promise<number> {
  return withTemporalOfOwnDatabase(io.env, config, async (temporal) => {
    const handles = [];
    for (const day of days) {
      const start = await startDayRun(temporal.client, config.TEMPORAL_TASK_QUEUE, dataset, day, {
        via: 'cli',
      });
      if (start.started) {
        handles.push(start.handle);
        io.out(`started ${start.workflowId}`);
      } else io.out(`${start.workflowId} is already running: left to finish`);
    }
    if (!wait) return 0;
    const outcomes: RerunOutcome[] = [];
    for (const handle of handles) {
      const outcome = await resultThroughOutages<DayResult>(handle, io.err).then<RerunOutcome, RerunOutcome>(
        (result) => ({ kind: 'result', result }),
        (error) => ({ kind: 'failed', workflowId: handle.workflowId, message: messageWithCauses(error) }),
      );
      io.out(describeRerunOutcome(outcome));
      outcomes.push(outcome);
    }
    return rerunExitCode(outcomes);
  });
}

export async function rerunCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('rerun', argv, COMMAND_OPTIONS.rerun);
  if (positionals.length > 0) {
    if (values.failed || values.from || values.to) {
      throw new UsageError(
        'rerun: give either days (rerun 2024-01-15 …) or --failed [--from --to], not both',
      );
    }
    const misplaced = (['concurrency', 'mode', 'dry-run'] as const).find(
      (name) => values[name] !== undefined,
    );
    if (misplaced) throw new UsageError(`rerun DAY …: --${misplaced} applies to rerun --failed only`);
    const dataset = parseDatasetArg('rerun', values.dataset);
    for (const day of positionals) {
      const problem = deliveryDayProblem(day);
      if (problem) throw new UsageError(`rerun: ${problem}`);
      const parsed = parseBackfillInput({ dataset, from: day, to: day }, new Date());
      // A day after tomorrow is refused here (rangeProblem): `rerun: D is after tomorrow (T): …`.
      if (!parsed.ok) throw new UsageError(`rerun: ${parsed.message.replace(/^from |^to /, '')}`);
    }
    return rerunDays(io, configFromEnv(io.env), dataset, positionals, values.wait ?? false);
  }
  if (!values.failed)
    throw new UsageError('rerun: say which days: rerun DAY [DAY …], or rerun --failed [--from D --to D]');
  const rest = argv.filter((arg) => arg !== '--failed');
  const args = parseBackfillArgs('rerun', rest, (dataset) => ({
    from: declarationOf(dataset).firstDay,
    to: marketTomorrow(new Date()),
    mode: 'failed',
  }));
  if (args.request.mode !== 'failed') throw new UsageError('rerun --failed: --mode cannot be changed');
  return runBackfill(io, args);
}
