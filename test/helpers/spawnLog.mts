// Every `jao` process a test spawns is counted: one line in the file the run's reporter names
// (test/helpers/slowestFiles.mts), which prints the count against the tier's budget.
import { appendFileSync } from 'node:fs';

export const SPAWN_LOG_VARIABLE = 'JAO_TEST_SPAWN_LOG';

/** Records one spawned `jao <args>`. */
export function recordSpawn(args: readonly string[]): void {
  const file = process.env[SPAWN_LOG_VARIABLE];
  if (file) appendFileSync(file, `${args.join(' ')}\n`);
}
