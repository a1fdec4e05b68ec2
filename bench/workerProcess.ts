// A real worker process for the benchmarks: `node bin/jao.js worker --no-schedule` with the heap limit it is deployed
// with (Dockerfile), on a database and task queue of the benchmark's own; what it costs is read from /proc.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { WORKER_HEAP_LIMIT_MB } from '../workers/runtime';
import type { Cleanup } from './cleanup';
import { cpuSeconds, peakRssBytes, rssBytes } from './processStats';

const JAO_BIN = join(__dirname, '..', 'bin', 'jao.js');
const START_TIMEOUT_MS = 120_000;

export interface WorkerProcess {
  pid: number;
  /** CPU seconds used so far; null once the process is gone (or without /proc). */
  cpuSeconds(): number | null;
  /** Resident size now, in bytes. */
  rss(): number | null;
  /** Peak resident size (VmHWM) so far, in bytes. */
  peakRss(): number | null;
  stop(): Promise<void>;
}

/** Starts the worker with `env` over the benchmark's own environment; resolves once it polls its queues. */
export async function startWorkerProcess(
  env: Record<string, string>,
  cleanup: Cleanup,
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${WORKER_HEAP_LIMIT_MB}`,
      // e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the worker.
      ...(process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      JAO_BIN,
      'worker',
      '--no-schedule',
    ],
    {
      cwd: join(__dirname, '..'),
      env: { ...process.env, ...env, LOG_LEVEL: 'info' }, // "worker polling task queue" is an info line
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const pid = child.pid;
  let tail = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = cleanup.add(`worker process ${pid}`, async () => {
    if (gone()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!gone()) child.kill('SIGKILL');
    }, 15_000);
    await exited;
    clearTimeout(timer);
  });
  const polling = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start polling in time; output:\n${tail}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      if (tail.includes('worker polling task queue')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`worker exited before polling (code ${child.exitCode}); output:\n${tail}`));
    });
  });
  try {
    if (pid === undefined) throw new Error('worker process did not start');
    await polling;
  } catch (error) {
    await stop();
    throw error;
  }
  const alive = <T>(read: (pid: number) => T | null) => (gone() ? null : read(pid));
  return {
    pid,
    cpuSeconds: () => alive(cpuSeconds),
    rss: () => alive(rssBytes),
    peakRss: () => alive(peakRssBytes),
    stop,
  };
}
