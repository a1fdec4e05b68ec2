// A reporter beside vitest's default one (vitest.config.ts, vitest.e2e.config.ts): after the summary, the run's ten
// slowest test files and their times, so a slow file is seen the day it lands (docs/development.md).
import type { Reporter, TestModule, Vitest } from 'vitest/node';

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

export default class SlowestFilesReporter implements Reporter {
  private vitest?: Vitest;

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
    if (lines.length === 0) return;
    this.vitest?.logger.log(['', ...lines, ''].join('\n'));
  }
}
