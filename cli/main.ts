// `npx jao <command>`: the pipeline's command line (docs/design.md §8).
import { ConfigError, secretsOfEnvironment } from '../common/config';
import { redactSecrets } from '../common/redact';
import { messageWithCauses, UsageError } from './errors';
import { type Command, NotInThisBuildError, sourceOnlyCommand } from './sourceOnly';
import { type CommandName, commandUsage, isCommandName, USAGE } from './usage';

// Each command's module is required when that command runs, so a command loads only its own code: `jao status`
// needs no HTTP server and no worker. require(), not import(): tsx resolves a .ts source only through require
// (cli/sourceOnly.ts).
const COMMANDS: Record<CommandName, Command> = {
  start: sourceOnlyCommand(
    'start',
    () => (require('./commands/start') as typeof import('./commands/start')).startCommand,
  ),
  worker: (argv) => (require('./commands/worker') as typeof import('./commands/worker')).workerCommand(argv),
  migrate: (argv) =>
    (require('./commands/migrate') as typeof import('./commands/migrate')).migrateCommand(argv),
  backfill: (argv) =>
    (require('./commands/backfill') as typeof import('./commands/backfill')).backfillCommand(argv),
  rerun: (argv) =>
    (require('./commands/backfill') as typeof import('./commands/backfill')).rerunCommand(argv),
  reprocess: (argv) =>
    (require('./commands/reprocess') as typeof import('./commands/reprocess')).reprocessCommand(argv),
  archive: (argv) =>
    (require('./commands/archive') as typeof import('./commands/archive')).archiveCommand(argv),
  restore: (argv) =>
    (require('./commands/restore') as typeof import('./commands/restore')).restoreCommand(argv),
  catalogue: (argv) =>
    (require('./commands/catalogue') as typeof import('./commands/catalogue')).catalogueCommand(argv),
  status: (argv) => (require('./commands/status') as typeof import('./commands/status')).statusCommand(argv),
  health: (argv) => (require('./commands/health') as typeof import('./commands/health')).healthCommand(argv),
  schedule: (argv) =>
    (require('./commands/schedule') as typeof import('./commands/schedule')).scheduleCommand(argv),
  simulate: sourceOnlyCommand(
    'simulate',
    () => (require('./commands/simulate') as typeof import('./commands/simulate')).simulateCommand,
  ),
  cluster: sourceOnlyCommand(
    'cluster',
    () => (require('./commands/cluster') as typeof import('./commands/cluster')).clusterCommand,
  ),
  api: (argv) => (require('./commands/api') as typeof import('./commands/api')).apiCommand(argv),
  'api-key': (argv) =>
    (require('./commands/apiKey') as typeof import('./commands/apiKey')).apiKeyCommand(argv),
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
  return redactSecrets(message.replace(/\s*\n\s*/g, ' '), secretsOfEnvironment(process.env));
}

/**
 * Exits once what was written has left: into a pipe, a large answer (`jao catalogue --json`) is still being written
 * when the command returns, and exiting at once cut it short.
 */
function exitWhenWritten(code: number): void {
  let pending = 2;
  const written = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', written);
  process.stderr.write('', written);
}

// Exit once the command is done: a start-up that failed or was stopped may leave a connection attempt or timer
// behind, which must not keep the process alive (a supervisor waits for the exit to restart it).
main(process.argv.slice(2)).then(exitWhenWritten, (error: unknown) => {
  console.error(error);
  exitWhenWritten(1);
});
