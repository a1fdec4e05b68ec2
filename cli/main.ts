// `npx jao <command>`: the pipeline's command line (docs/design.md §8).
import { ConfigError } from '../common/config';
import { redactSecrets } from '../common/redact';
import { apiCommand, apiKeyCommand } from './commands/api';
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
import { type CommandName, commandUsage, isCommandName, USAGE } from './usage';

// require(), not import(): tsx resolves a .ts source only through require (cli/sourceOnly.ts)
type StartModule = typeof import('./commands/start');
type SimulateModule = typeof import('./commands/simulate');
type ClusterModule = typeof import('./commands/cluster');

const COMMANDS: Record<CommandName, Command> = {
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
  const command = isCommandName(name) ? COMMANDS[name] : undefined;
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
