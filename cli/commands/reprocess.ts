// `npx jao reprocess --from D --to D [--concurrency N] [--dry-run] [--wait]`: re-derives days from their stored raw
// answers with the current build (docs/operations.md, "Reprocess stored answers"). Never asks JAO.
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { planReprocess, reprocessDay } from '../../activities/reprocess';
import { type Config, secretsOf } from '../../common/config';
import { inLanes } from '../../common/lanes';
import {
  type ChangedDay,
  parseReprocessInput,
  type ReprocessDayResult,
  type ReprocessRequest,
  type ReprocessResult,
  reprocessWorkflowId,
  totalOf,
  type ValueChanges,
} from '../../domain/reprocessInputs';
import { countOf } from '../../domain/runDetails';
import type { reprocessWorkflow } from '../../workflows';
import { parseCommandArgs } from '../args';
import { configFromEnv, withPool } from '../context';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import { COMMAND_OPTIONS } from '../options';
import { statusCounts } from '../progressLine';
import { withTemporalOfOwnDatabase } from '../workerDatabase';
import { datasetLabel, notCompletedLine, parseRangeFlags, summarizeDays, waitForRun } from './backfill';

const OPTIONS = COMMAND_OPTIONS.reprocess;

/** Days checked at once by a dry run (each is a write rolled back). */
const DRY_RUN_CONCURRENCY = 4;

export function parseReprocessArgs(argv: string[]) {
  const { values } = parseCommandArgs('reprocess', argv, OPTIONS, 0);
  const { input, flags } = parseRangeFlags('reprocess', values);
  const parsed = parseReprocessInput(input, new Date());
  if (!parsed.ok) throw new UsageError(`reprocess: ${parsed.message}`);
  return { request: parsed.value, ...flags };
}

const describeValues = (values: ValueChanges) =>
  `${countOf(totalOf(values), 'value')} (${values.changed} changed, ${values.added} added, ${values.vanished} vanished)`;

/** `2024-01-05 partial → complete: 132 values (12 changed, 120 added, 0 vanished)` */
export function changedDayLine(day: ChangedDay): string {
  const status =
    day.statusBefore === day.status
      ? `${day.status} (status unchanged)`
      : `${day.statusBefore ?? 'no record'} → ${day.status}`;
  return `${day.day} ${status}: ${describeValues(day.values)}`;
}

async function printDryRun(io: CliIo, config: Config, request: ReprocessRequest): Promise<number> {
  const options = { max: DRY_RUN_CONCURRENCY, applicationName: 'jao reprocess' };
  return withPool(config.DATABASE_URL, options, async (pool) => {
    const plan = await planReprocess(pool, request);
    io.out(
      `reprocess ${datasetLabel(request.dataset)}${request.from}..${request.to}: dry run (nothing is written, no request goes to JAO)`,
    );
    const results: ReprocessDayResult[] = [];
    const failures: string[] = [];
    await inLanes(plan.days, DRY_RUN_CONCURRENCY, async (day) => {
      try {
        results.push(
          await reprocessDay(
            { pool, buildId: null, maxBodyBytes: config.JAO_MAX_BODY_BYTES, secrets: secretsOf(config) },
            { dataset: request.dataset, day, workflowId: null, dryRun: true },
          ),
        );
      } catch (error) {
        failures.push(
          `${day} could not be checked: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
    results.sort((a, b) => (a.day < b.day ? -1 : 1));
    const changed = results.filter((result) => result.changed);
    for (const result of changed) io.out(`  ${changedDayLine(result)}`);
    for (const line of failures.sort()) io.out(`  ${line}`);
    const values = changed.reduce((sum, result) => sum + totalOf(result.values), 0);
    io.out(
      `days with a stored raw answer: ${plan.days.length}; would change: ${countOf(changed.length, 'day')} ` +
        `(${countOf(values, 'value')}); unchanged: ${results.length - changed.length}`,
    );
    printWithoutRawAnswer(io, plan.withoutRawAnswer);
    return failures.length > 0 ? 1 : 0;
  });
}

function printWithoutRawAnswer(io: CliIo, days: readonly string[]): void {
  if (days.length === 0) return;
  io.out(`without a stored raw answer (reported, not fetched): ${days.length} (${summarizeDays(days)})`);
}

function printReprocessSummary(io: CliIo, result: ReprocessResult): void {
  const statuses = statusCounts(result.byStatus);
  io.out(
    `reprocess ${datasetLabel(result.dataset)}${result.from}..${result.to} finished: ${countOf(result.total, 'day')}` +
      `${statuses ? ` (${statuses})` : ''}; changed ${countOf(result.changedDays, 'day')}, ` +
      `${describeValues(result.values)}; unchanged ${countOf(result.unchangedDays, 'day')}; no request to JAO`,
  );
  for (const day of result.changed) io.out(`  ${changedDayLine(day)}`);
  const unlisted = result.changedDays - result.changed.length;
  if (unlisted > 0) io.out(`  … and ${countOf(unlisted, 'more changed day')}`);
  for (const outcome of result.notCompleted) io.out(`  not complete: ${notCompletedLine(outcome)}`);
  printWithoutRawAnswer(io, result.withoutRawAnswer);
}

export async function reprocessCommand(argv: string[], io: CliIo): Promise<number> {
  const { request, wait, dryRun } = parseReprocessArgs(argv);
  const config = configFromEnv(io.env);
  if (dryRun) return printDryRun(io, config, request);
  return withTemporalOfOwnDatabase(io.env, config, async (temporal) => {
    // Starts the reprocessing of the range, or attaches to the run going on for it.
    const handle = await temporal.client.workflow.start<typeof reprocessWorkflow>('reprocessWorkflow', {
      workflowId: reprocessWorkflowId(request.dataset, request.from, request.to),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [request],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      staticSummary: `${request.dataset} reprocess ${request.from}..${request.to}, ${request.concurrency} at a time`,
    });
    io.out(`reprocess workflow ${handle.workflowId} (run ${handle.firstExecutionRunId})`);
    return wait ? waitForRun(io, handle, printReprocessSummary) : 0;
  });
}
