import { createLogger } from '../../common/logger';
import { runWorkerProcess, StartupAborted } from '../../workers/main';
import { installRuntime } from '../../workers/runtime';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import { COMMAND_OPTIONS } from '../options';

/**
 * Runs the worker until SIGINT/SIGTERM. The first signal stops it at any moment: during start-up at once, once
 * running by draining the workers; a second one exits immediately.
 */
export async function workerCommand(argv: string[]): Promise<void> {
  const logger = createLogger('worker');
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { values } = parseCommandArgs('worker', argv, COMMAND_OPTIONS.worker, 0);
    const config = configFromEnv();
    installRuntime(config, { handleSignals: false });
    await runWorkerProcess(config, {
      ensureSchedule: !values['no-schedule'],
      offline: values.offline ?? false,
      signal: stop.signal,
    });
  } catch (error) {
    if (!(error instanceof StartupAborted)) throw error;
    logger.info('stopped during start-up');
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
