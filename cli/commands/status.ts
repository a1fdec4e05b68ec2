import type { Config } from '../../common/config';
import { type Engine, readEngine } from '../../db/engine';
import { readStatusReport as readReport } from '../../db/statusReport';
import { addDays, deliveryDayProblem, marketTomorrow } from '../../domain/calendar';
import { freshnessDeadlineOf } from '../../domain/datasetSource';
import { type Dataset, declarationOf } from '../../domain/datasets';
import { describeDrift } from '../../domain/drift';
import type { Freshness } from '../../domain/freshness';
import { describeJaoWord } from '../../domain/monitoring';
import { type DayLine, describeCompleteMtus, type StatusReport } from '../../domain/statusReport';
import type { DeliveryDay } from '../../domain/types';
import { parseCommandArgs, parseDatasetArg } from '../args';
import { configFromEnv, withPool } from '../context';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import { marketInstant } from '../marketTime';
import { COMMAND_OPTIONS } from '../options';

const SYMBOL: Record<DayLine['status'], string> = {
  complete: '■',
  partial: '◧',
  not_published: '·',
  invalid: '✗',
  failed: '!',
  missing: ' ',
};

/** The days of the range and the engine the database runs on, over one connection. */
export async function readStatus(
  config: Config,
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
  now: Date,
): Promise<{ report: StatusReport; engine: Engine }> {
  return withPool(config.DATABASE_URL, { max: 1 }, async (pool) => {
    const deadline = freshnessDeadlineOf(dataset, config);
    const report = await readReport(pool, { from, to }, now, deadline, dataset);
    return { report, engine: await readEngine(pool) };
  });
}

function describeLine(line: DayLine): string {
  const parts: string[] = [line.status.replace('_', ' ')];
  if (line.status !== 'missing') parts.push(`${line.receivedMtus}/${line.expectedMtus} MTUs`);
  if (line.late) parts.push('LATE');
  if (line.revision > 1) parts.push(`revision ${line.revision}`);
  if (line.republished > 0) parts.push(`re-published ${line.republished}`);
  if (line.reason) parts.push(`why: ${line.reason}`);
  if (line.lastError && line.lastError !== line.reason) parts.push(`last check: ${line.lastError}`);
  return parts.join(', ');
}

function printStatusReport(io: CliIo, report: StatusReport, engine: Engine, dataset: Dataset): void {
  io.out(`${dataset} ${report.from}..${report.to} (as of ${marketInstant(report.generatedAt)})`);
  io.out(engine.line);
  io.out(
    `legend: ${Object.entries(SYMBOL)
      .map(([status, symbol]) => `${symbol === ' ' ? '_' : symbol} ${status}`)
      .join('  ')}`,
  );
  const symbols = report.days.map((line) => (line.status === 'missing' ? '_' : SYMBOL[line.status]));
  for (let i = 0; i < symbols.length; i += 7) {
    io.out(`  ${report.days[i]!.day}  ${symbols.slice(i, i + 7).join(' ')}`);
  }
  // Missing days show in the gaps line; every other day that needs attention gets a line of its own.
  for (const line of report.days) {
    const noteworthy =
      line.status !== 'complete' || line.revision > 1 || line.republished > 0 || line.lastError !== null;
    if (noteworthy && line.status !== 'missing') io.out(`  ${line.day}  ${describeLine(line)}`);
    if (line.drift) io.out(`  ${line.day}  drift: ${describeDrift(line.drift)}`);
    // JAO's own word where it tells something the status does not: late, missing, or not yet published.
    const word = line.jaoWord;
    if (word && (word.state === 'late' || word.state === 'missing' || word.state === 'not_yet_published'))
      io.out(`  ${line.day}  ${describeJaoWord(word, marketInstant)}`);
  }
  const counts = Object.entries(report.counts)
    .map(([key, count]) => `${key.replace('_', ' ')} ${count}`)
    .join(', ');
  io.out(`totals: ${counts}`);
  const mtus = describeCompleteMtus(report.days);
  if (mtus) io.out(mtus);
  io.out(
    report.gaps.length
      ? `gaps: ${report.gaps.map((gap) => (gap.days === 1 ? gap.from : `${gap.from}..${gap.to} (${gap.days} days)`)).join(', ')}`
      : 'gaps: none',
  );
  printFreshness(io, report.days.slice(-FRESHNESS_DAYS));
  const { tomorrow } = report;
  io.out(
    `tomorrow ${tomorrow.day}: ${tomorrow.status.replace('_', ' ')}, due ${marketInstant(tomorrow.deadline)}${tomorrow.late ? ' — LATE' : ''}`,
  );
}

/** Days (the last of the range) whose publication → stored latency `status` prints. */
const FRESHNESS_DAYS = 7;

const seconds = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} s`;

export function describeFreshness(freshness: Freshness | null): string {
  if (!freshness) return 'no answer with data yet';
  const stored = freshness.storedAt ? `stored ${marketInstant(freshness.storedAt)}` : 'not stored complete';
  const published = freshness.publishedAfter
    ? `published after ${marketInstant(freshness.publishedAfter)}`
    : 'publication not watched';
  const parts = [`${published}, seen ${marketInstant(freshness.seenAt!)}, ${stored}`];
  if (freshness.publicationToStoredSeconds !== null)
    parts.push(`publication → stored ≤ ${seconds(freshness.publicationToStoredSeconds)}`);
  if (freshness.seenToStoredSeconds !== null)
    parts.push(`seen → stored ${seconds(freshness.seenToStoredSeconds)}`);
  return parts.join('; ');
}

function printFreshness(io: CliIo, days: DayLine[]): void {
  io.out('freshness (publication → stored):');
  for (const line of days) io.out(`  ${line.day}  ${describeFreshness(line.freshness)}`);
}

export async function statusCommand(argv: string[], io: CliIo): Promise<void> {
  const { values } = parseCommandArgs('status', argv, COMMAND_OPTIONS.status, 0);
  const dataset = parseDatasetArg('status', values.dataset);
  const config = configFromEnv(io.env);
  const tomorrow = marketTomorrow(new Date());
  const to = values.to ?? tomorrow;
  const toProblem = deliveryDayProblem(to);
  if (toProblem) throw new UsageError(`status: --to: ${toProblem}`);
  const recent = addDays(to, -Math.max(config.INITIAL_BACKFILL_DAYS, 7) - 1);
  const { firstDay } = declarationOf(dataset);
  const from = values.from ?? (recent < firstDay && to >= firstDay ? firstDay : recent);
  const fromProblem = deliveryDayProblem(from);
  if (fromProblem) throw new UsageError(`status: --from: ${fromProblem}`);
  // As the API: a day after tomorrow cannot be published yet, so no status of it is worth printing.
  for (const [name, day] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (day > tomorrow)
      throw new UsageError(
        `status: ${name} ${day} is after tomorrow (${tomorrow}): nothing is published for it yet`,
      );
  }
  if (from > to) throw new UsageError(`status: the range is reversed: from ${from} is after to ${to}`);
  const { report, engine } = await readStatus(config, dataset, from, to, new Date());
  if (values.json) {
    const { kind, postgres, timescaledb, reason, line } = engine;
    io.out(
      JSON.stringify({ dataset, ...report, engine: { kind, postgres, timescaledb, reason, line } }, null, 2),
    );
  } else printStatusReport(io, report, engine, dataset);
}
