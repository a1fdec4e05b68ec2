// The Temporal SDK's runtime of a test process. Test files share their process (vitest.config.mts), and the SDK
// allows one runtime per process, so it is installed once, by the setup file before any test code can make a
// default one: with the tests' logger, and Prometheus metrics (the pipeline's own included) on a port of its own.
// Files sharing the process share that endpoint: a file reads only the series of its own task queues.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { freePort } from '../../common/ports';

const INSTALLED = Symbol.for('jao-scraper.testRuntimeMetricsUrl');
type WithTestRuntime = typeof globalThis & { [INSTALLED]?: Promise<string> };

/** Installs the runtime unless this process has it already; resolves to its metrics URL. */
export function ensureTestRuntime(): Promise<string> {
  const process = globalThis as WithTestRuntime;
  process[INSTALLED] ??= (async () => {
    const port = await freePort();
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } },
    });
    return `http://127.0.0.1:${port}/metrics`;
  })();
  return process[INSTALLED];
}

/**
 * The lines of the runtime's metrics text whose task queue label starts with `taskQueuePrefix`: `task_queue` on the
 * SDK's own metrics, `taskQueue` on those its workers' metric meters give activities and workflows.
 */
export async function metricLinesOfTaskQueues(taskQueuePrefix: string): Promise<string[]> {
  const text = await (await fetch(await ensureTestRuntime())).text();
  const labels = [`task_queue="${taskQueuePrefix}`, `taskQueue="${taskQueuePrefix}`];
  return text
    .split('\n')
    .filter((line) => !line.startsWith('#') && labels.some((label) => line.includes(label)));
}
