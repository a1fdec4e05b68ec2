// docs/reference/cli.md: every `jao` command, with its help text (cli/usage.ts) and the options it parses
// (cli/options.ts); `simulate` with its own help (simulator/command.ts).

import { COMMAND_NAMES, type CommandName } from '../../cli/main';
import { COMMAND_OPTIONS, type Options } from '../../cli/options';
import { commandUsage, USAGE } from '../../cli/usage';
import { SIMULATE_USAGE } from '../../simulator/command';
import { code, generatedNotice, page, table } from './markdown';

type OptionsKey = keyof typeof COMMAND_OPTIONS;

/** The option tables of a command: its own, or one per action (`api-key create`, …). */
function optionSets(name: CommandName): [OptionsKey, Options][] {
  return (Object.entries(COMMAND_OPTIONS) as [OptionsKey, Options][]).filter(
    ([key]) => key === name || key.startsWith(`${name} `),
  );
}

function optionsTable(options: Options): string[] {
  const rows = Object.entries(options)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([option, spec]) => [
      code(`--${option}`),
      spec.type === 'boolean' ? 'flag' : 'value',
      spec.multiple ? 'yes' : 'no',
      spec.short ? code(`-${spec.short}`) : null,
    ]);
  if (rows.length === 0) return ['No options.', ''];
  return [...table(['option', 'takes', 'repeatable', 'short'], rows), ''];
}

/** A command's usage lines without USAGE's closing note (printed once, at the top). */
function ownUsage(name: CommandName): string {
  if (name === 'simulate') return SIMULATE_USAGE;
  const note = USAGE.slice(USAGE.lastIndexOf('\n\n') + 2);
  return commandUsage(name).replace(note, '').trimEnd();
}

function commandSection(name: CommandName): string[] {
  const sets = optionSets(name);
  if (name !== 'simulate' && sets.length === 0) {
    throw new Error(`jao ${name}: no options declared in cli/options.ts (an empty {} for none)`);
  }
  const lines = [`## jao ${name}`, '', '```text', ownUsage(name), '```', ''];
  if (name === 'simulate') return lines;
  if (sets.length === 1 && sets[0]![0] === name) return [...lines, ...optionsTable(sets[0]![1])];
  for (const [key, options] of sets) lines.push(`### jao ${key}`, '', ...optionsTable(options));
  return lines;
}

export function renderCli(): string {
  return page([
    generatedNotice('cli/usage.ts, cli/options.ts and simulator/command.ts'),
    '',
    '# Command line',
    '',
    'The `jao` command (`npx jao <command>`, or `node bin/jao.js`). `jao --help` prints the overview below,',
    '`jao <command> --help` the lines of one command. A usage mistake exits 2 with one line; a failure exits 1.',
    '',
    '```text',
    USAGE,
    '```',
    '',
    ...COMMAND_NAMES.flatMap(commandSection),
  ]);
}
