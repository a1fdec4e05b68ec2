import { withTemporal } from '../../common/temporal';
import { assessHealth } from '../../domain/health';
import { gatherHealthFacts } from '../../workers/healthFacts';
import { parseCommandArgs } from '../args';
import { configFromEnv, withPool } from '../context';
import type { CliIo } from '../io';
import { COMMAND_OPTIONS } from '../options';

/** Exit 0 when healthy; otherwise exit 1 with every reason on its own line (or as JSON with --json). */
export async function healthCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('health', argv, COMMAND_OPTIONS.health, 0);
  const config = configFromEnv(io.env);
  const now = new Date();
  const facts = await gatherHealthFacts(
    config,
    {
      temporal: (use) => withTemporal(config, use),
      database: (use) => withPool(config.DATABASE_URL, { max: 1 }, use),
    },
    now,
  );

  const verdict = assessHealth(facts);
  // Per region JAO's monitoring announces datasets of (JAO_MONITORING=on): whose word fetches its days.
  const monitoring = facts.monitoring ?? [];
  if (values.json) {
    io.out(JSON.stringify({ ...verdict, monitoring, checkedAt: now.toISOString() }, null, 2));
  } else {
    for (const problem of verdict.problems) io.out(problem);
    for (const warning of verdict.warnings) io.out(`warning: ${warning}`);
    for (const region of monitoring) {
      if (region.mode === 'monitoring')
        io.out(
          `monitoring ${region.region}: JAO's monitoring fetches its days, its fixed polls stand down (last read ${region.lastReadAt})`,
        );
    }
    if (verdict.healthy) io.out('healthy');
  }
  return verdict.healthy ? 0 : 1;
}
