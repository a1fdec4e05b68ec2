// `npx jao <command>`: the pipeline's command line (docs/design.md §8).
import { ConfigError } from '../common/config';
import { redactSecrets } from '../common/redact';
import { DATASETS, DEFAULT_DATASET } from '../domain/datasets';
import { API_KEY_HELP, apiCommand, apiKeyCommand } from './commands/api';
import { archiveCommand } from './commands/archive';
import { backfillCommand, rerunCommand } from './commands/backfill';
import { catalogueCommand } from './commands/catalogue';
import { healthCommand } from './commands/health';
import { migrateCommand } from './commands/migrate';
import { reprocessCommand } from './commands/reprocess';
import { restoreCommand } from './commands/restore';
import { scheduleCommand } from './commands/schedule';
import { statusCommand } from './commands/status';
import { workerCommand } from './commands/worker';
import { messageWithCauses, UsageError } from './errors';
import { type Command, NotInThisBuildError, sourceOnlyCommand } from './sourceOnly';

const USAGE = `usage: jao <command> [options]

commands:
  start [--simulate]                  the local stack: Temporal dev server + Web UI, database, worker, schedule
  worker                              run the pipeline's worker (migrates and ensures the schedule first)
  migrate                             apply database migrations
  backfill --from D --to D [--concurrency N] [--mode missing|failed|all] [--wait] [--dry-run] [--dataset ID]
  rerun DAY [DAY …] [--wait] [--dataset ID]   run the day workflow of these days again
  rerun --failed [--from D --to D] [--wait] [--dry-run] [--dataset ID]   re-run every failed, invalid or partial day
  reprocess --from D --to D [--concurrency N] [--wait] [--dry-run] [--dataset ID]   re-derive days from their stored raw answers (no request to JAO)
  archive [--verify]                  ship the writes not archived yet to ARCHIVE_URL; --verify checks the archive's hashes
  restore --from URL [--from-day D --to-day D] [--merge] [--wait]   rebuild an empty database from an archive (no request to JAO)
  catalogue [--markdown | --json] [--dataset ID]   the data dictionary, from the live database (every dataset unless named)
  status [--from D --to D] [--json] [--dataset ID]   per-day grid of what the database holds
  health                              exit 0 when the pipeline is healthy, else one line per reason
  schedule create|pause|unpause|trigger|describe
  simulate [--port N] ...             the JAO simulator on 127.0.0.1
  cluster up [--port N] | down [--timeout S] | status   a Temporal cluster on PostgreSQL, one process per service
  api                                 the HTTP API (API_HOST:API_PORT, default 127.0.0.1:3000) as jao_reader
  api-key create --name N [--dataset D …] [--operator] | list | revoke ID | scope ID --operator|--reader
                                      keys of the API (a new key is printed once; --operator: it may start runs)

Days are delivery days (Europe/Amsterdam) written YYYY-MM-DD. --dataset names a dataset by its id or region/endpoint
(${DATASETS.join(', ')}; default ${DEFAULT_DATASET}). Configuration comes from the environment (docs/reference/settings.md).`;

// require(), not import(): tsx resolves a .ts source only through require (cli/sourceOnly.ts)
type StartModule = typeof import('./commands/start');
type SimulateModule = typeof import('./commands/simulate');
type ClusterModule = typeof import('./commands/cluster');

const COMMANDS: Record<string, Command> = {
  start: sourceOnlyCommand('start', () => (require('./commands/start') as StartModule).startCommand),
  worker: workerCommand,
  migrate: migrateCommand,
  backfill: backfillCommand,
  rerun: rerunCommand,
  reprocess: reprocessCommand,
  archive: archiveCommand,
  restore: restoreCommand,
  catalogue: catalogueCommand,
  status: statusCommand,
  health: healthCommand,
  schedule: scheduleCommand,
  simulate: sourceOnlyCommand(
    'simulate',
    () => (require('./commands/simulate') as SimulateModule).simulateCommand,
  ),
  cluster: sourceOnlyCommand(
    'cluster',
    () => (require('./commands/cluster') as ClusterModule).clusterCommand,
  ),
  api: apiCommand,
  'api-key': apiKeyCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`jao: unknown command "${name}" (try: jao --help)`);
    return 2;
  }
  // simulate prints its own, longer help (simulator/command.ts)
  if (name !== 'simulate' && (rest.includes('--help') || rest.includes('-h'))) {
    console.log(commandUsage(name));
    return 0;
  }
  try {
    await command(rest);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof NotInThisBuildError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`jao ${name}: ${oneLine(error.message)}`);
      return 2;
    }
    console.error(`jao ${name} failed: ${oneLine(messageWithCauses(error))}`);
    if (process.env.JAO_DEBUG) console.error(error);
    return 1;
  }
}

/** The usage lines of one command, and the note on days, datasets and configuration (USAGE's last paragraph). */
function commandUsage(name: string): string {
  const lines = USAGE.split('\n');
  const note = lines.slice(lines.lastIndexOf('') + 1);
  if (name === 'api-key') return [API_KEY_HELP, '', ...note].join('\n');
  const own = lines.filter((line) => line.startsWith(`  ${name} `) || line === `  ${name}`);
  return [`usage: jao ${name} [options]`, '', ...own, '', ...note].join('\n');
}

/** A message as the one line a user sees, without secrets (an upstream may echo the API key). */
function oneLine(message: string): string {
  return redactSecrets(message.replace(/\s*\n\s*/g, ' '), [process.env.JAO_API_KEY]);
}

// Exit once the command is done: a start-up that failed or was stopped may leave a connection attempt or timer
// behind, which must not keep the process alive (a supervisor waits for the exit to restart it).
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
