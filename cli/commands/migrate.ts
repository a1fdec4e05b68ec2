import { readEngine } from '../../db/engine';
import { migrate } from '../../db/migrate';
import { parseCommandArgs } from '../args';
import { configFromEnv, withPool } from '../context';
import { type CliIo, commandLogger } from '../io';
import { COMMAND_OPTIONS } from '../options';

export async function migrateCommand(argv: string[], io: CliIo): Promise<void> {
  parseCommandArgs('migrate', argv, COMMAND_OPTIONS.migrate, 0);
  await withPool(configFromEnv(io.env).DATABASE_URL, { max: 1 }, async (pool) => {
    const logger = commandLogger(io, 'migrate');
    // Which engine, before anything else: every later line reads in its light.
    logger.info((await readEngine(pool)).line);
    const report = await migrate(pool, undefined, {
      onWait: (line) => logger.info(line),
      onProgress: (line) => logger.info(line),
    });
    io.out(
      `migrations: ${report.applied.length} applied, ${report.skipped.length} already there or not applicable`,
    );
    for (const name of report.applied) io.out(`  applied ${name}`);
  });
}
