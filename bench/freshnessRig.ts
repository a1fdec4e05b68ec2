// What bench:freshness's parts share: the worker process, the publication windows, a day forgotten, a wait.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type pg from 'pg';
import { dayWindow, marketToday, utcOffsetMinutesAt } from '../domain/calendar';
import type { Dataset, DeliveryDay } from '../domain/types';
import type { Cleanup } from './cleanup';

const REPO_ROOT = join(__dirname, '..');
const JAO_BIN = join(REPO_ROOT, 'bin', 'jao.js');

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function localHhmm(epochMs: number): string {
  return new Date(epochMs + utcOffsetMinutesAt(epochMs) * 60_000).toISOString().slice(11, 16);
}

/** A publication window open from a minute ago for `minutes`, within today (local). */
export function windowFromNow(minutes: number): string {
  const now = Date.now();
  const start = localHhmm(now - 60_000);
  const end = localHhmm(now + minutes * 60_000);
  if (end <= start || marketToday(new Date(now + minutes * 60_000)) !== marketToday(new Date(now))) {
    throw new Error(`bench:freshness needs ${minutes} minutes before local (Europe/Amsterdam) midnight`);
  }
  return `${start}-${end}`;
}

/** An hour-long window that does not hold now (twelve hours away), so it never opens during a smoke run. */
export function closedWindow(): string {
  const hour = (Number(localHhmm(Date.now()).slice(0, 2)) + 12) % 24;
  const hh = String(hour).padStart(2, '0');
  return hour === 23 ? '23:00-23:59' : `${hh}:00-${hh}:59`;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Stops the worker now (SIGTERM, SIGKILL after 15 s) instead of at the cleanup. */
  stop: () => Promise<void>;
  /** The last 20,000 characters it printed. */
  output: () => string;
}

/** `jao worker` with the bench's settings, resolved once it polls its task queue. */
export function spawnWorker(env: Record<string, string>, cleanup: Cleanup): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [JAO_BIN, 'worker'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = cleanup.add(`worker process ${child.pid}`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  });
  let tail = '';
  let kept = '';
  let started = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start; output:\n${tail}`)), 120_000);
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      kept = (kept + chunk.toString()).slice(-20_000);
      if (!started && tail.includes('worker polling task queue')) {
        started = true;
        clearTimeout(timer);
        resolve({ child, stop, output: () => kept });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`worker exited (code ${child.exitCode}); output:\n${tail}`)));
  });
}

/** The dataset's day as if never fetched: rounds start from an empty database day, as a new delivery day would. */
export async function forgetDay(pool: pg.Pool, dataset: Dataset, day: DeliveryDay): Promise<void> {
  const { from, to } = dayWindow(day);
  const ofDay = [dataset, day];
  await pool.query('DELETE FROM jao.rejection WHERE dataset = $1 AND day = $2', ofDay);
  for (const table of ['jao.observation_history', 'jao.observation']) {
    await pool.query(
      `DELETE FROM ${table} v USING jao.series s
        WHERE s.series_id = v.series_id AND s.dataset = $1 AND v.mtu >= $2 AND v.mtu < $3`,
      [dataset, from, to],
    );
  }
  // A flow-based domain's day (docs/flow-based.md): its versions and its pages.
  for (const table of ['jao.constraint_value_history', 'jao.constraint_value']) {
    await pool.query(`DELETE FROM ${table} WHERE dataset = $1 AND delivery_day = $2`, ofDay);
  }
  await pool.query('DELETE FROM jao.raw_page WHERE dataset = $1 AND day = $2', ofDay);
  await pool.query(
    `DELETE FROM jao.answer_verdict v USING jao.raw_response r
      WHERE r.raw_response_id = v.raw_response_id AND r.dataset = $1 AND r.day = $2`,
    ofDay,
  );
  for (const table of [
    'jao.mtu_field',
    'jao.day_write',
    'jao.derivation',
    'jao.raw_response',
    'jao.delivery_day',
  ])
    await pool.query(`DELETE FROM ${table} WHERE dataset = $1 AND day = $2`, ofDay);
}

export async function until<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`bench:freshness: timed out waiting for ${what}`);
    await sleep(250);
  }
}
