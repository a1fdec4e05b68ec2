import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (measured on the 2-core machine) start first, so that none of them begins near the
 * end and holds the run up alone; those that start many processes (the stack, workers, benches) are spread out
 * among those that mostly wait. The rest keep vitest's own order.
 */
const LONGEST_FIRST = [
  'test/integration/start.test.ts',
  'test/integration/archiveRestore.test.ts',
  'test/integration/operators.test.ts',
  'test/integration/workerProcesses.test.ts',
  'test/integration/buildLineage.test.ts',
  'test/browser/page.test.ts',
  'test/integration/cli.test.ts',
  'test/integration/orchestration.test.ts',
  'test/bench/smoke.test.ts',
  'test/integration/reprocess.test.ts',
  'test/integration/freshness.test.ts',
  'test/integration/fleetRateLimit.test.ts',
  'test/integration/startRestart.test.ts',
  'test/integration/backfillWait.test.ts',
  'test/workflows/publicationWindow.test.ts',
  'test/integration/fetchFailures.test.ts',
  'test/browser/chartLive.test.ts',
  'test/browser/webUi.test.ts',
  'test/browser/chartViews.test.ts',
  'test/integration/rerun.test.ts',
  'test/browser/operator.test.ts',
  'test/integration/apiRuns.test.ts',
];

function rank(file: TestSpecification): number {
  const index = LONGEST_FIRST.findIndex((name) => file.moduleId.replaceAll('\\', '/').endsWith(name));
  return index === -1 ? LONGEST_FIRST.length : index;
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((file, position) => ({ file, position }))
      .sort((a, b) => rank(a.file) - rank(b.file) || a.position - b.position)
      .map(({ file }) => file);
  }
}
