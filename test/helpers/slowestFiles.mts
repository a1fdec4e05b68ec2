// A reporter beside vitest's default one (vitest.config.mts, vitest.e2e.config.mts): after the summary, the run's ten
// slowest test files and their times, so a slow file is seen the day it lands (docs/development.md).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { SPAWN_LOG_VARIABLE } from './spawnLog.mts';

const SHOWN = 10;

/** A file's own time: its environment, set-up file and import, then its tests and hooks (not its wait for a fork). */
export function fileSeconds(module: TestModule): number {
  const d = module.diagnostic();
  const ms =
    d.environmentSetupDuration + d.prepareDuration + d.setupDuration + d.collectDuration + d.duration;
  return ms / 1000;
}

export function slowestLines(
  files: ReadonlyArray<{ name: string; seconds: number; failed: boolean }>,
  shown = SHOWN,
): string[] {
  if (files.length === 0) return [];
  const slowest = [...files].sort((a, b) => b.seconds - a.seconds).slice(0, shown);
  const total = files.reduce((sum, file) => sum + file.seconds, 0);
  const width = Math.max(...slowest.map((file) => file.seconds.toFixed(1).length));
  return [
    `Slowest ${slowest.length} of ${files.length} files (each file's own time; ${total.toFixed(0)} s summed over all files):`,
    ...slowest.map(
      (file) =>
        `  ${file.seconds.toFixed(1).padStart(width)} s  ${file.name}${file.failed ? '  (failed)' : ''}`,
    ),
  ];
}

/** The line of the run's spawned `jao` processes, and whether it stayed within `budget` (none: no budget). */
export function spawnLine(spawned: number, budget: number | undefined): { line: string; over: boolean } {
  if (budget === undefined) return { line: `Spawned jao processes: ${spawned}`, over: false };
  const over = spawned > budget;
  return {
    line: `Spawned jao processes: ${spawned} (at most ${budget}: ${over ? 'NOT met, the run fails' : 'met'})`,
    over,
  };
}

export default class SlowestFilesReporter implements Reporter {
  private vitest?: Vitest;
  private readonly spawnLog: string;

  /** `spawnBudget`: the most `jao` processes the tier may spawn (test/helpers/processes.ts counts them). */
  constructor(private readonly options: { spawnBudget?: number } = {}) {
    this.spawnLog = join(mkdtempSync(join(tmpdir(), 'jao-spawns-')), 'spawns.log');
    // Set before the test processes start, which inherit it.
    process.env[SPAWN_LOG_VARIABLE] = this.spawnLog;
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const files = modules
      .filter((module) => module.state() !== 'skipped' && module.state() !== 'queued')
      .map((module) => ({
        name: module.relativeModuleId,
        seconds: fileSeconds(module),
        failed: module.state() === 'failed',
      }));
    const lines = slowestLines(files);
    const spawned = existsSync(this.spawnLog)
      ? readFileSync(this.spawnLog, 'utf8').split('\n').filter(Boolean).length
      : 0;
    rmSync(join(this.spawnLog, '..'), { recursive: true, force: true });
    const spawns = spawnLine(spawned, this.options.spawnBudget);
    this.vitest?.logger.log(['', ...lines, spawns.line, ''].join('\n'));
    if (spawns.over) process.exitCode = 1;
  }
}
