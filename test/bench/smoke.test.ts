// Every benchmark in its smoke mode (tiny sizes, short waits), so none can rot unnoticed: it must run to the end,
// print its figures with a ratio to its baseline, and judge every one of its targets (met or NOT met: smoke sizes
// may well miss them).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { TARGET_NAMES as API_TARGETS } from '../../bench/api';
import { TARGET_NAMES as BACKFILL_TARGETS } from '../../bench/backfill';
import { TARGET_NAMES as CLIENT_TARGETS } from '../../bench/client';
import { TARGET_NAMES as FRESHNESS_TARGETS } from '../../bench/freshness';
import { TARGET_NAMES as MIGRATE_TARGETS } from '../../bench/migrate';
import { TARGET_NAMES as PAGE_TARGETS } from '../../bench/page';
import { TARGET_NAMES as QUERY_TARGETS } from '../../bench/query';
import { CONSTRAINT_TARGET_NAMES as QUERY_DOMAIN_TARGETS } from '../../bench/queryConstraints';
import { TARGET_LINE } from '../../bench/report';
import { TARGET_NAMES as REPROCESS_TARGETS } from '../../bench/reprocess';
import { TARGET_NAMES as RESTORE_TARGETS } from '../../bench/restore';
import { TARGET_NAMES as WRITE_TARGETS } from '../../bench/write';
import { CONSTRAINT_TARGET_NAMES as WRITE_DOMAIN_TARGETS } from '../../bench/writeConstraints';
import { createTestNamespace } from '../helpers/namespace';
import { TEST_CLI_ENV } from '../helpers/processes';

const root = join(__dirname, '..', '..');
/** Most of a smoke run is starting processes (the bench, a worker); on a loaded 2-core machine one took 100 s. */
const SMOKE_TIMEOUT_MS = 170_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The test run's PostgreSQL server, migrated template, Temporal and workflow bundle (bench/environment.ts). */
async function environmentFor(name: string, temporal: boolean): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    DATABASE_URL: inject('adminDatabaseUrl'),
    JAO_BENCH_TEMPLATE_DATABASE: inject('templateDatabase'),
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    // The workers the benchmarks start keep the dataset they measure current, not every declared one.
    ...TEST_CLI_ENV,
  };
  if (temporal) {
    // Day workflow ids (and tomorrow's, for freshness) are unique per namespace: one of the benchmark's own.
    env.JAO_BENCH_TEMPORAL_ADDRESS = inject('temporalAddress');
    env.JAO_BENCH_TEMPORAL_NAMESPACE = await createTestNamespace(`bench-${name}`);
  }
  return env;
}

/** `npm run bench -- <name> <args>` to its end (interrupted 10 s before the smoke timeout), its output kept. */
function runBench(name: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/run-ts.js', 'bench/index.ts', name, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGINT'), SMOKE_TIMEOUT_MS - 10_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function runSmoke(name: string, temporal: boolean): Promise<Run> {
  return runBench(name, ['--smoke'], await environmentFor(name, temporal));
}

/** Name, targets, and whether it needs Temporal. */
const BENCHES: [string, readonly string[], boolean][] = [
  ['write', WRITE_TARGETS, false],
  ['query', QUERY_TARGETS, false],
  ['backfill', BACKFILL_TARGETS, true],
  ['freshness', FRESHNESS_TARGETS, true],
  ['api', API_TARGETS, false],
  ['client', CLIENT_TARGETS, false],
  ['page', PAGE_TARGETS, false],
  ['reprocess', REPROCESS_TARGETS, true],
  ['restore', RESTORE_TARGETS, false],
  ['migrate', MIGRATE_TARGETS, false],
];

describe.concurrent('benchmarks in smoke mode', () => {
  it.each(BENCHES)(
    '%s runs to the end and judges every target',
    async (name, targets, temporal) => {
      const run = await runSmoke(name, temporal);
      const output = `stdout:\n${run.stdout}\nstderr:\n${run.stderr.slice(-4000)}`;
      expect(run.code, output).toBe(0);
      expect(run.stdout, output).toMatch(/ratio (\d+\.\d+|n\/a)/);
      const judged = run.stdout
        .split('\n')
        .map((line) => TARGET_LINE.exec(line)?.[1])
        .filter((target) => target !== undefined);
      expect(judged, output).toEqual([...targets]);
    },
    SMOKE_TIMEOUT_MS,
  );
});

/** The benchmarks with a section for the flow-based domain, run on it. */
const DOMAIN_BENCHES: [string, readonly string[]][] = [
  ['write', WRITE_DOMAIN_TARGETS],
  ['query', QUERY_DOMAIN_TARGETS],
];

describe.concurrent('benchmarks in smoke mode on the flow-based domain', () => {
  it.each(DOMAIN_BENCHES)(
    '%s --dataset coreFinalComputation runs to the end and judges every target',
    async (name, targets) => {
      const args = ['--smoke', '--dataset', 'coreFinalComputation'];
      const run = await runBench(name, args, await environmentFor(`${name}-domain`, false));
      const output = `stdout:\n${run.stdout}\nstderr:\n${run.stderr.slice(-4000)}`;
      expect(run.code, output).toBe(0);
      expect(run.stdout, output).toMatch(/ratio (\d+\.\d+|n\/a)/);
      const judged = run.stdout
        .split('\n')
        .map((line) => TARGET_LINE.exec(line)?.[1])
        .filter((target) => target !== undefined);
      expect(judged, output).toEqual([...targets]);
    },
    SMOKE_TIMEOUT_MS,
  );
});

describe.concurrent('benchmarks given a mistake', () => {
  it.each([
    [
      'reprocess',
      ['--days', '1630'],
      /^bench:reprocess: 1630 days from 2023-01-01 reach \d{4}-\d{2}-\d{2}, after tomorrow/,
    ],
    ['write', ['--days', 'many'], /^bench:write: unknown or invalid argument --days many$/],
    ['migrate', ['--days', '5'], /^bench:migrate: --days must be a whole number from 30 to 20000$/],
    ['nonesuch', [], /^usage: npm run bench -- </],
  ] as const)('%s %j: refused in one line, exit 2, nothing started', async (name, args, line) => {
    const run = await runBench(name, [...args]);
    const lines = run.stderr.split('\n').filter((text) => text !== '' && !text.includes('npm warn'));
    expect({ code: run.code, stdout: run.stdout, lines: lines.length }, run.stderr).toEqual({
      code: 2,
      stdout: '',
      lines: 1,
    });
    expect(lines[0]).toMatch(line);
  });
});
