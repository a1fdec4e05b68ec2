import { runWorkerProcess, StartupAborted } from '../../workers/main';
import { installRuntime } from '../../workers/runtime';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import { type CliIo, commandLogger } from '../io';
import { COMMAND_OPTIONS } from '../options';

/**
 * Runs the worker until SIGINT/SIGTERM. The first signal stops it at any moment: during start-up at once, once
 * running by draining the workers; a second one exits immediately (cli/process.ts).
 */
export async function workerCommand(argv: string[], io: CliIo): Promise<void> {
  const logger = commandLogger(io, 'worker');
  const stop = io.gracefulStop();
  try {
    const { values } = parseCommandArgs('worker', argv, COMMAND_OPTIONS.worker, 0);
    const config = configFromEnv(io.env);
    installRuntime(config, { handleSignals: false });
    await runWorkerProcess(config, {
      ensureSchedule: !values['no-schedule'],
      offline: values.offline ?? false,
      signal: stop,
      logger,
    });
  } catch (error) {
    if (!(error instanceof StartupAborted)) throw error;
    logger.info('stopped during start-up');
  }
}
