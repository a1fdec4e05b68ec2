// The `jao` process around `main`: the process's own io, its signals, and when it may exit. bin/jao.js runs it.
import { cliIo } from './io';
import { main } from './main';

const SIGNAL_EXIT_CODE: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs the command of the process's arguments and resolves with the code to exit with. The first SIGINT or SIGTERM
 * asks a command that stops gracefully to stop; a second one, or one that reaches any other command, ends the
 * process at once, as the signal would.
 */
export async function runProcess(argv: string[], exit: (code: number) => never): Promise<number> {
  const stop = new AbortController();
  const io = cliIo({ env: process.env, stdout: process.stdout, stderr: process.stderr, stop: stop.signal });
  const onSignal = (signal: NodeJS.Signals) => {
    if (!io.stopsGracefully || stop.signal.aborted) exit(SIGNAL_EXIT_CODE[signal] ?? 1);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await main(argv, io);
  } catch (error) {
    io.err(String(error instanceof Error ? error.stack : error));
    return 1;
  }
}
