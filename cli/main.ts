// `npx jao <command>`: the pipeline's command line (docs/design.md §8). bin/jao.js runs `main` for the process;
// tests run it in-process with an io of their own (cli/io.ts).
import { ConfigError, secretsOfEnvironment } from '../common/config';
import { redactSecrets } from '../common/redact';
import { messageWithCauses, UsageError } from './errors';
import type { CliIo } from './io';
import { type Command, NotInThisBuildError, sourceOnlyCommand } from './sourceOnly';
import { commandUsage, USAGE } from './usage';

// Each command's module is required when that command runs, so a command loads only its own code: `jao status`
// needs no HTTP server and no worker. require(), not import(): tsx resolves a .ts source only through require
// (cli/sourceOnly.ts). Its keys are every command, in the order of USAGE.
const COMMANDS = {
  start: () => (require('./commands/start') as typeof import('./commands/start')).startCommand,
  worker: () => (require('./commands/worker') as typeof import('./commands/worker')).workerCommand,
  migrate: () => (require('./commands/migrate') as typeof import('./commands/migrate')).migrateCommand,
  backfill: () => (require('./commands/backfill') as typeof import('./commands/backfill')).backfillCommand,
  rerun: () => (require('./commands/backfill') as typeof import('./commands/backfill')).rerunCommand,
  reprocess: () =>
    (require('./commands/reprocess') as typeof import('./commands/reprocess')).reprocessCommand,
  archive: () => (require('./commands/archive') as typeof import('./commands/archive')).archiveCommand,
  restore: () => (require('./commands/restore') as typeof import('./commands/restore')).restoreCommand,
  catalogue: () =>
    (require('./commands/catalogue') as typeof import('./commands/catalogue')).catalogueCommand,
  status: () => (require('./commands/status') as typeof import('./commands/status')).statusCommand,
  health: () => (require('./commands/health') as typeof import('./commands/health')).healthCommand,
  schedule: () => (require('./commands/schedule') as typeof import('./commands/schedule')).scheduleCommand,
  simulate: () => (require('./commands/simulate') as typeof import('./commands/simulate')).simulateCommand,
  cluster: () => (require('./commands/cluster') as typeof import('./commands/cluster')).clusterCommand,
  urls: () => (require('./commands/urls') as typeof import('./commands/urls')).urlsCommand,
  api: () => (require('./commands/api') as typeof import('./commands/api')).apiCommand,
  'api-key': () => (require('./commands/apiKey') as typeof import('./commands/apiKey')).apiKeyCommand,
} satisfies Record<string, () => Command>;

export type CommandName = keyof typeof COMMANDS;

/** Every command, in the order of USAGE (docs/reference/cli.md lists them so). */
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/** What the runtime image leaves out: start, hence urls (the block `jao start` keeps, devstack/), simulate, cluster. */
const SOURCE_ONLY: ReadonlySet<string> = new Set(['start', 'simulate', 'cluster', 'urls']);

/**
 * Runs one command and returns its exit code: 0 done, 1 failed, 2 a usage or configuration mistake (one line on
 * stderr, never a stack trace). It never exits the process: bin/jao.js does, once the output has left.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    io.err(`jao: name a command (${NO_COMMAND_HINT})`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as CommandName] : undefined;
  if (!load) {
    io.err(`jao: unknown command "${name}" (try: jao --help)`);
    return 2;
  }
  // simulate prints its own, longer help (simulator/command.ts)
  if (name !== 'simulate' && (rest.includes('--help') || rest.includes('-h'))) {
    io.out(commandUsage(name));
    return 0;
  }
  try {
    const command = SOURCE_ONLY.has(name) ? sourceOnlyCommand(name, load) : load();
    return (await command(rest, io)) ?? 0;
  } catch (error) {
    if (isError(error, NotInThisBuildError)) {
      io.err(error.message);
      return 2;
    }
    if (isError(error, UsageError) || isError(error, ConfigError)) {
      io.err(usageLine(name, oneLine(error.message, io.env)));
      return 2;
    }
    io.err(`jao ${name} failed: ${oneLine(messageWithCauses(error), io.env)}`);
    if (io.env.JAO_DEBUG) io.err(String(error instanceof Error ? error.stack : error));
    return 1;
  }
}

const NO_COMMAND_HINT = 'start, status, backfill, rerun, …: jao --help lists them all';

/**
 * The one line of a usage or configuration mistake, the command named once: a mistake in the command's arguments
 * (a message the command starts with its own name: "backfill: …", "rerun --failed: …") ends with where its help
 * is; any other (a setting, a refused database) reads `jao <command>: <message>`.
 */
export function usageLine(name: string, message: string): string {
  const aboutArguments = message.startsWith(`${name}: `) || message.startsWith(`${name} `);
  return aboutArguments ? `jao ${message} (help: jao ${name} --help)` : `jao ${name}: ${message}`;
}

/**
 * Whether `error` is of `type`, also when it comes from another copy of the module: a command's module is required
 * when it runs, and a test runner that loaded this one itself may load the command's through Node.
 */
function isError<T extends Error>(error: unknown, type: new (...args: never[]) => T): error is T {
  if (error instanceof type) return true;
  if (!(error instanceof Error)) return false;
  for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: string } }).constructor?.name === type.name) return true;
  }
  return false;
}

/** A message as the one line a user sees, without secrets (an upstream may echo the API key). */
function oneLine(message: string, env: NodeJS.ProcessEnv): string {
  return redactSecrets(message.replace(/\s*\n\s*/g, ' '), secretsOfEnvironment(env));
}
