// `jao start` stopped with Ctrl-C during its first backfill, then started again with the same data dir: against a
// fresh database the whole range ends complete there (the dev server's state is per database); against the first
// database again the interrupted backfill resumes, without fetching again any day that database already holds.
// Own dev servers (one per start), own databases, a simulator per database (its request log counts the fetches);
// the two starts after the stop run side by side.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../common/ports';
import { daysInRange, dayWindow, marketToday, marketTomorrow } from '../../domain/calendar';
import { firstMonitoredDay } from '../../domain/monitoring';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type JaoProcess, spawnJao, stopProcess } from '../helpers/processes';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RANGE_LINE =
  /initial backfill of maxExchanges (\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2}): (started|resumed|nothing to do)/;

let simulator: SimulatorHandle;
let secondSimulator: SimulatorHandle;
let first: TestDatabase;
let second: TestDatabase;
let dataDir: string;
const stacks: JaoProcess[] = [];

beforeAll(async () => {
  // Slow answers: the backfill (4 days at a time) is still running when it is interrupted.
  const options = { publicationTime: '00:00', faults: { latencyMs: 2_000 } };
  [simulator, secondSimulator] = await Promise.all([startSimulator(options), startSimulator(options)]);
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  dataDir = mkdtempSync(join(tmpdir(), 'jao-restart-'));
});

afterAll(async () => {
  for (const stack of stacks) await stopProcess(stack, 'SIGKILL');
  await simulator?.close();
  await secondSimulator?.close();
  await first?.release();
  await second?.release();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(db: TestDatabase, jao: SimulatorHandle): Promise<JaoProcess> {
  const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const stack = spawnJao(['start', '--temporal-port', String(temporalPort), '--ui-port', String(uiPort)], {
    DATABASE_URL: db.url,
    API_PORT: String(apiPort),
    TEMPORAL_ADDRESS: '',
    JAO_BASE_URL: jao.origin,
    JAO_DATA_DIR: dataDir,
    JAO_MAX_REQUESTS_PER_MINUTE: '6000',
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    METRICS_PORT: '0',
    INITIAL_BACKFILL_DAYS: '6',
    POLL_LOOKBACK_DAYS: '0',
  });
  stacks.push(stack);
  await stack.waitFor(RANGE_LINE, 90_000);
  return stack;
}

async function stop(stack: JaoProcess): Promise<void> {
  stack.child.kill('SIGINT');
  expect(await stack.exited).toBe(0);
}

function rangeOf(stack: JaoProcess): { from: string; to: string; how: string } {
  const [, from, to, how] = RANGE_LINE.exec(stack.output())!;
  return { from: from!, to: to!, how: how! };
}

async function completeDays(db: TestDatabase, from: string, to: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ day: string }>(
    `SELECT day::text AS day FROM jao.delivery_day WHERE dataset = 'maxExchanges' AND status = 'complete' AND day BETWEEN $1 AND $2 ORDER BY day`,
    [from, to],
  );
  return rows.map((row) => row.day);
}

/**
 * The days a start checks again whatever is stored: today and tomorrow are the poll's; JAO's monitoring (on by
 * default) starts every day its first reading finds Received, from yesterday on (POLL_LOOKBACK_DAYS 0), when the
 * first start was stopped before that reading.
 */
const pollDays = () => daysInRange(firstMonitoredDay(marketToday(new Date()), 0), marketTomorrow(new Date()));

/** Waits until the database holds `count` days of the range complete that only the backfill fetches. */
async function waitForBackfilledDays(
  db: TestDatabase,
  from: string,
  to: string,
  count: number,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const days = (await completeDays(db, from, to)).filter((day) => !pollDays().includes(day));
    if (days.length >= count || Date.now() > deadline) return;
    await sleep(100);
  }
}

describe('jao start after a Ctrl-C during its first backfill', () => {
  let range: { from: string; to: string };
  let storedBeforeStop: string[];

  it('stops with part of the range stored in the first database', async () => {
    const stack = await start(first, simulator);
    range = rangeOf(stack);
    expect(rangeOf(stack).how).toBe('started');
    expect(daysInRange(range.from, range.to)).toHaveLength(8);
    await waitForBackfilledDays(first, range.from, range.to, 2);
    await stop(stack);
    storedBeforeStop = await completeDays(first, range.from, range.to);
    expect(storedBeforeStop.filter((day) => !pollDays().includes(day)).length).toBeGreaterThanOrEqual(2);
    expect(storedBeforeStop.length).toBeLessThan(8);
    expect(stack.output()).toMatch(/state of database \S+ on 127\.0\.0\.1:\d+ \(system \d+\) in \S+, new\)/);
  });

  it.concurrent('against a fresh database: a state of its own, and the whole range complete there, as it says', async () => {
    const stack = await start(second, secondSimulator);
    const { from, to, how } = rangeOf(stack);
    expect(how).toBe('started');
    expect(stack.output()).toContain(`${second.name} on 127.0.0.1:${new URL(second.url).port || '5432'}`);
    expect(stack.output()).toMatch(/in \S+, new\)/);
    await stack.waitFor(
      `initial backfill of maxExchanges ${from}..${to} ended: 8 of 8 days complete in this database`,
      60_000,
    );
    expect(await completeDays(second, from, to)).toEqual(daysInRange(from, to));
    expect(readdirSync(join(dataDir, 'temporal')).filter((file) => file.endsWith('.sqlite'))).toHaveLength(2);
    await stop(stack);
  });

  it.concurrent('against the first database again: resumes the interrupted backfill, fetching no stored day again', async () => {
    simulator.requests.length = 0;
    const stack = await start(first, simulator);
    const { from, to, how } = rangeOf(stack);
    expect(stack.output()).toMatch(/in \S+, kept since \S+\)/);
    // Past midnight the range is another one, and so is the backfill.
    if (from === range.from) expect(how).toBe('resumed');
    await stack.waitFor(
      `initial backfill of maxExchanges ${from}..${to} ended: 8 of 8 days complete in this database`,
      60_000,
    );
    expect(await completeDays(first, from, to)).toEqual(daysInRange(from, to));
    await stop(stack);

    const polled = pollDays();
    expect(storedBeforeStop.filter((day) => !polled.includes(day)).length).toBeGreaterThan(0);
    const fetchedAgain = storedBeforeStop
      .filter((day) => !polled.includes(day))
      .filter((day) => simulator.requests.some((request) => request.fromUtc === dayWindow(day).from));
    expect(fetchedAgain).toEqual([]);

    // Once more: the range is complete in this database, so this start begins no backfill (past midnight the
    // range is another one, with tomorrow to fetch).
    const again = await start(first, simulator);
    const third = rangeOf(again);
    if (third.from === from) {
      expect(third.how).toBe('nothing to do');
      expect(again.output()).toContain(
        `initial backfill of maxExchanges ${from}..${to}: nothing to do, all 8 days complete in this database`,
      );
    }
    await stop(again);
  });
});
