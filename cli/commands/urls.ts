// `jao urls`: the addresses block of the `jao start` running on this data dir (devstack/addresses.ts), at any time.
import { runningAddresses } from '../../devstack/addresses';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import type { CliIo } from '../io';
import { marketInstant } from '../marketTime';
import { COMMAND_OPTIONS } from '../options';

/** Exit 0 with the block; 1 with one line when no `jao start` runs on JAO_DATA_DIR. */
export async function urlsCommand(argv: string[], io: CliIo): Promise<number> {
  parseCommandArgs('urls', argv, COMMAND_OPTIONS.urls, 0);
  const config = configFromEnv(io.env);
  const running = runningAddresses(config.JAO_DATA_DIR);
  if (!running) {
    io.err(
      `jao urls: no jao start is running on the data dir ${config.JAO_DATA_DIR} (JAO_DATA_DIR); start one with: npm start`,
    );
    return 1;
  }
  io.out(`jao start (pid ${running.pid}), running since ${marketInstant(running.startedAt)}:`);
  for (const line of running.lines) io.out(line);
  return 0;
}
