import { parseArgs } from 'node:util';
import { type Dataset, findDataset, unknownDatasetMessage } from '../domain/datasets';
import { DEFAULT_DATASET } from '../domain/datasets/compat';
import { UsageError } from './errors';
import type { Options } from './options';

/** The first sentence of a node:util parseArgs error, without its advice on positional arguments. */
function firstSentence(message: string): string {
  const line = message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
  return line.replace(/\.\s+Did you forget.*$/, '').trim();
}

/** `--concurrency -1` as `--concurrency=-1`: parseArgs takes a value starting with a dash for an option. */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const option = arg.startsWith('--') ? options[arg.slice(2)] : undefined;
    if (option?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/**
 * node:util parseArgs with its errors turned into one-line UsageErrors. `maxPositionals` (default: any number)
 * refuses stray arguments, e.g. a day given without --from.
 */
export function parseCommandArgs<T extends Options>(
  command: string,
  argv: string[],
  options: T,
  maxPositionals = Number.POSITIVE_INFINITY,
) {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
  >;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv, options),
      allowPositionals: true,
      options,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${command}: ${firstSentence(message)}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    const stray = parsed.positionals[maxPositionals]!;
    throw new UsageError(`${command}: unexpected argument "${stray}"`);
  }
  return parsed;
}

/**
 * `text` as a whole number from `min` to `max`, undefined when absent; else a UsageError: `label` (the option) must
 * be `what`, got `text`.
 */
export function integerArg(
  label: string,
  text: string | undefined,
  min: number,
  max: number,
  what = `an integer from ${min} to ${max}`,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${label} must be ${what}, got "${text}"`);
  }
  return value;
}

/**
 * The dataset `--dataset` names by its id or `region/endpoint` (findDataset), the default dataset
 * (domain/datasets/compat.ts) when absent; an unknown name is a UsageError of one line listing the ids.
 */
export function parseDatasetArg(command: string, text: string | undefined): Dataset {
  if (text === undefined) return DEFAULT_DATASET;
  const dataset = findDataset(text);
  if (dataset === null) throw new UsageError(`${command}: ${unknownDatasetMessage(text)}`);
  return dataset;
}
