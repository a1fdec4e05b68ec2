// `npm run bench:write -- --dataset coreFinalComputation [--days N | --smoke]`: the flow-based domain's write path
// (db/writeDay.ts with the day's constraint rows) against a COPY of the same rows into a table with the columns,
// primary key and indexes of jao.constraint_value, on a database of its own. The days are the simulator's (about
// 2,900 presolved rows each): first as published (a fresh day), then after one revision (about a fifth of the
// versions changed, a few constraints gone, a few new). The COPY and the write take turns, SLICE_DAYS days each,
// so that load from elsewhere on the machine falls on both alike. `--smoke`: two days.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { parseCommandArgs } from '../cli/args';
import { UsageError } from '../cli/errors';
import { readEngine } from '../db/engine';
import { contentOf, laneOf } from '../db/lanes';
import { constraintDayContentSteps } from '../db/lanes/constraints/constraintContent';
import { migrate } from '../db/migrate';
import { createPool, watchClient } from '../db/pool';
import { writeDay } from '../db/writeDay';
import { type ConstraintDataset, declarationOf } from '../domain/datasets';
import { assessDomainBody } from '../domain/flowBased/assessDomain';
import { runToEnd } from '../domain/steps';
import type { ConstraintsDay, DeliveryDay } from '../domain/types';
import { DOMAIN_ENDPOINTS, type DomainEndpoint, domainEndpointOf } from '../simulator/flowBased/endpoints';
import { databaseUrlFor, pauseTimescaleJobs } from './benchDatabase';
import { copyConstraintDay, createBaselineTable } from './constraintCopy';
import { dayRange, simulatedDomain } from './constraintDays';
import { createDatabaseSql } from './environment';
import { withLongestHold } from './eventLoopHold';
import { printTargets, ratio, takeSmokeFlag } from './report';

const SHARE_OF_COPY = 0.8;
/** A workflow task waits behind the worker's thread: a day's judging and content hold it this long at most. */
const HOLD_BOUND_MS = 100;
export const CONSTRAINT_TARGET_NAMES = [
  `fresh day ≥ ${SHARE_OF_COPY} × COPY`,
  `revised day ≥ ${SHARE_OF_COPY} × COPY`,
  `judging a day and making its content hold the event loop ≤ ${HOLD_BOUND_MS} ms at a stretch`,
] as const;
const SLICE_DAYS = 5;
const FIRST_DAY: DeliveryDay = '2025-03-03';

interface Day {
  day: DeliveryDay;
  validated: ConstraintsDay;
}

interface Pass {
  rows: number;
  seconds: number;
  changed: number;
}

export function parseConstraintWriteArgs(argv: string[]): { days: number } {
  const { smoke, rest } = takeSmokeFlag(argv);
  const { values } = parseCommandArgs('bench:write', rest, { days: { type: 'string' } }, 0);
  if (smoke) {
    if (values.days !== undefined)
      throw new UsageError('bench:write: --smoke writes two days: leave --days out');
    return { days: 2 };
  }
  const days = Number(values.days ?? 30);
  if (!Number.isInteger(days) || days < 1 || days > 3660)
    throw new UsageError('bench:write: --days must be a whole number from 1 to 3660');
  return { days };
}

function endpointOf(dataset: ConstraintDataset): DomainEndpoint {
  const endpoint = domainEndpointOf(declarationOf(dataset));
  const found = DOMAIN_ENDPOINTS.find((e) => e === endpoint);
  if (!found) throw new Error(`bench:write: the simulator serves no domain for ${dataset}`);
  return found;
}

async function writePass(pool: pg.Pool, dataset: ConstraintDataset, days: readonly Day[]): Promise<Pass> {
  const pass: Pass = { rows: 0, seconds: 0, changed: 0 };
  const started = performance.now();
  for (const { day, validated } of days) {
    const result = await writeDay(pool, {
      dataset,
      day,
      status: 'complete',
      validated,
      expectedMtus: validated.expectedMtus,
      rawResponseId: null,
      workflowId: 'bench',
    });
    pass.rows += result.points;
    pass.changed += result.changedPoints + result.newPoints + result.vanishedPoints;
  }
  pass.seconds = (performance.now() - started) / 1000;
  return pass;
}

async function copyPass(
  pool: pg.Pool,
  table: string,
  dataset: ConstraintDataset,
  days: readonly Day[],
  idOf: (key: string) => number,
): Promise<Pass> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    let rows = 0;
    for (const { day, validated } of days)
      rows += await copyConstraintDay(client, table, {
        dataset,
        day,
        rows: validated.constraintRows,
        idOf,
      });
    return { rows, seconds: (performance.now() - started) / 1000, changed: 0 };
  } finally {
    client.release();
  }
}

/**
 * The longest event-loop stretch while each day's stored answer is judged and made into content, as the store
 * activities do it (in slices: db/lanes/timeSliced.ts) and, as the baseline, at once.
 */
async function longestHolds(
  pool: pg.Pool,
  dataset: ConstraintDataset,
  answers: ReadonlyArray<{ day: DeliveryDay; body: string }>,
): Promise<{ sliced: number; atOnce: number }> {
  const lane = laneOf(dataset);
  let sliced = 0;
  let atOnce = 0;
  const slicedHold = async (day: DeliveryDay, body: string) =>
    (
      await withLongestHold(async () => {
        const { assessment } = await lane.judge(pool, { dataset, day }, body);
        if (assessment.validated) await contentOf(assessment.validated, assessment.rejections);
      })
    ).holdMs;
  const wholeHold = async (day: DeliveryDay, body: string) =>
    (
      await withLongestHold(async () => {
        const assessment = assessDomainBody(declarationOf(dataset), day, body, new Set());
        if (assessment.validated)
          runToEnd(
            constraintDayContentSteps({
              accepted: assessment.validated.constraintRows,
              rejections: assessment.rejections,
            }),
          );
      })
    ).holdMs;
  // In turns, each first every other day: neither way takes the cold start alone.
  for (const [index, { day, body }] of answers.entries()) {
    if (index % 2 === 0) {
      sliced = Math.max(sliced, await slicedHold(day, body));
      atOnce = Math.max(atOnce, await wholeHold(day, body));
    } else {
      atOnce = Math.max(atOnce, await wholeHold(day, body));
      sliced = Math.max(sliced, await slicedHold(day, body));
    }
  }
  return { sliced, atOnce };
}

/** The baseline and the write path over `days`, taking turns slice by slice. */
async function inTurns(
  pool: pg.Pool,
  table: string,
  dataset: ConstraintDataset,
  days: readonly Day[],
  idOf: (key: string) => number,
): Promise<{ copy: Pass; write: Pass }> {
  const copy: Pass = { rows: 0, seconds: 0, changed: 0 };
  const write: Pass = { rows: 0, seconds: 0, changed: 0 };
  for (let i = 0; i < days.length; i += SLICE_DAYS) {
    const slice = days.slice(i, i + SLICE_DAYS);
    for (const [total, pass] of [
      [copy, await copyPass(pool, table, dataset, slice, idOf)],
      [write, await writePass(pool, dataset, slice)],
    ] as const) {
      total.rows += pass.rows;
      total.seconds += pass.seconds;
      total.changed += pass.changed;
    }
  }
  return { copy, write };
}

export async function runConstraintWriteBenchmark(dataset: ConstraintDataset, args: string[]): Promise<void> {
  const options = parseConstraintWriteArgs(args);
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `jao_bench_fb_${process.pid}`;
  const admin = watchClient(new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') }));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(createDatabaseSql(database));
  const pool = createPool(databaseUrlFor(serverUrl, database), { max: 2, applicationName: 'bench:write' });
  try {
    await migrate(pool);
    const engine = await readEngine(pool);
    if (engine.kind === 'timescaledb') await pauseTimescaleJobs(pool);
    const domain = simulatedDomain(endpointOf(dataset));
    const ids = new Map<string, number>();
    const idOf = (key: string) => {
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size + 1;
        ids.set(key, id);
      }
      return id;
    };
    const started = performance.now();
    const dayOf = (day: DeliveryDay, revisions: number): Day => ({
      day,
      validated: domain.day(day, revisions),
    });
    const list = dayRange(FIRST_DAY, options.days);
    const fresh = list.map((day) => dayOf(day, 0));
    const revised = list.map((day) => dayOf(day, 1));
    const made = (performance.now() - started) / 1000;
    const total = fresh.reduce((sum, d) => sum + d.validated.constraintRows.length, 0);
    console.log(
      `bench:write: ${dataset}, ${options.days} simulated days from ${FIRST_DAY}, ${total.toLocaleString('en')} ` +
        `versions as first published, then once revised (made and judged in ${made.toFixed(1)} s, outside the ` +
        `timings); baseline: the same rows as COPY text into a table LIKE jao.constraint_value INCLUDING ALL; ${engine.line}`,
    );
    await createBaselineTable(pool, 'bench_constraint_fresh');
    await createBaselineTable(pool, 'bench_constraint_revised');
    const holds = await longestHolds(
      pool,
      dataset,
      list.map((day) => ({ day, body: domain.answer(day, 0) })),
    );
    const first = await inTurns(pool, 'bench_constraint_fresh', dataset, fresh, idOf);
    const second = await inTurns(pool, 'bench_constraint_revised', dataset, revised, idOf);
    const rate = (pass: Pass) => pass.rows / pass.seconds;
    const print = (name: string, pass: Pass, baseline: Pass) =>
      console.log(
        `${name.padEnd(34)} ${pass.seconds.toFixed(2).padStart(7)} s ${Math.round(rate(pass)).toLocaleString('en').padStart(9)} rows/s` +
          `  ${ratio(rate(pass), rate(baseline))} (to COPY)${pass.changed ? `  (${pass.changed.toLocaleString('en')} versions changed, new or gone)` : ''}`,
      );
    print('COPY, fresh days (baseline)', first.copy, first.copy);
    print('write path, fresh days', first.write, first.copy);
    print('COPY, revised days (baseline)', second.copy, second.copy);
    print('write path, revised days', second.write, second.copy);
    console.log(
      `${'longest event-loop hold, in slices'.padEnd(34)} ${holds.sliced.toFixed(1).padStart(7)} ms` +
        `  ${ratio(holds.sliced, holds.atOnce)} (to the same work at once: ${holds.atOnce.toFixed(1)} ms)`,
    );
    const freshRatio = rate(first.write) / rate(first.copy);
    const revisedRatio = rate(second.write) / rate(second.copy);
    printTargets([
      {
        name: CONSTRAINT_TARGET_NAMES[0],
        met: freshRatio >= SHARE_OF_COPY,
        measured: `${freshRatio.toFixed(2)} × COPY`,
      },
      {
        name: CONSTRAINT_TARGET_NAMES[1],
        met: revisedRatio >= SHARE_OF_COPY,
        measured: `${revisedRatio.toFixed(2)} × COPY`,
      },
      {
        name: CONSTRAINT_TARGET_NAMES[2],
        met: holds.sliced <= HOLD_BOUND_MS,
        measured: `${holds.sliced.toFixed(1)} ms`,
      },
    ]);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
