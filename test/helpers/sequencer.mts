import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (measured on the 2-core machine, each tier's longest first: the slow-file report
 * of a run gives the figures) start first, so that none of them begins near the end and holds the run up alone.
 * The rest keep vitest's own order.
 */
const LONGEST_FIRST = [
  // npm test: mostly waiting (timers, retries, a server to notice) and mostly computing in turn, so that the four
  // forks starting together keep both cores busy rather than all waiting at once.
  'test/integration/orchestration.test.ts',
  'test/replay/replay.test.ts',
  'test/workflows/publicationWindow.test.ts',
  'test/integration/simulatorFlowBased.test.ts',
  'test/integration/operators.test.ts',
  'test/integration/flowBasedPipeline.test.ts',
  'test/integration/buildLineage.test.ts',
  'test/integration/datasetsPipeline.test.ts',
  'test/integration/temporalConnect.test.ts',
  'test/integration/pagedBodyBound.test.ts',
  'test/integration/managedNamespace.test.ts',
  'test/integration/valuesCopy.test.ts',
  'test/integration/freshness.test.ts',
  'test/integration/constraintPublications.test.ts',
  'test/integration/archiveRestore.test.ts',
  'test/integration/dataQuality.test.ts',
  'test/integration/fetchFailures.test.ts',
  'test/integration/keyedDeclarations.test.ts',
  'test/integration/deskDomainCheck.test.ts',
  'test/integration/flowBasedRestore.test.ts',
  'test/integration/backfillRecheck.test.ts',
  'test/integration/reprocess.test.ts',
  'test/integration/apiRuns.test.ts',
  'test/workflows/dayRunner.test.ts',
  'test/integration/badDays.test.ts',
  'test/workflows/monitoring.test.ts',
  // npm run test:e2e
  'test/integration/workerProcesses.test.ts',
  'test/integration/start.test.ts',
  'test/bench/smoke.test.ts',
  'test/integration/backfillWait.test.ts',
  'test/integration/startRestart.test.ts',
  'test/browser/page.test.ts',
  'test/integration/workerStartup.test.ts',
  'test/browser/chartViews.test.ts',
  'test/browser/operator.test.ts',
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
