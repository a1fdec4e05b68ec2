// The options of every `jao` command, as node:util parseArgs reads them: the commands parse with these, and
// docs/reference/cli.md lists them (npm run docs:reference). Pure data, so that the reference can read the
// options of the commands a runtime image leaves out (start, cluster) without importing them.
import type { ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** `--dataset ID`: the option the per-dataset commands share. */
export const DATASET_OPTION = { dataset: { type: 'string' } } as const;

/** A range of days worked through a few at a time (backfill, rerun --failed, reprocess): before and after --mode. */
const RANGE_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  concurrency: { type: 'string' },
} as const;
const RUN_OPTIONS = { wait: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, ...DATASET_OPTION } as const;
const BACKFILL_OPTIONS = { ...RANGE_OPTIONS, mode: { type: 'string' }, ...RUN_OPTIONS } as const;

/**
 * By command, or `command action` for the commands whose first argument is an action (`api-key create`,
 * `schedule create`); `simulate` reads its own (simulator/command.ts).
 */
export const COMMAND_OPTIONS = {
  start: {
    simulate: { type: 'boolean' },
    offline: { type: 'boolean' },
    'simulator-port': { type: 'string' },
    'temporal-port': { type: 'string' },
    'ui-port': { type: 'string' },
  },
  worker: { 'no-schedule': { type: 'boolean' }, offline: { type: 'boolean' } },
  migrate: {},
  backfill: { ...BACKFILL_OPTIONS, all: { type: 'boolean' } },
  rerun: { ...BACKFILL_OPTIONS, failed: { type: 'boolean' } },
  reprocess: { ...RANGE_OPTIONS, ...RUN_OPTIONS },
  archive: { verify: { type: 'boolean' } },
  restore: {
    from: { type: 'string' },
    'from-day': { type: 'string' },
    'to-day': { type: 'string' },
    merge: { type: 'boolean' },
    wait: { type: 'boolean' },
  },
  catalogue: { markdown: { type: 'boolean' }, json: { type: 'boolean' }, ...DATASET_OPTION },
  status: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, ...DATASET_OPTION },
  health: { json: { type: 'boolean' } },
  schedule: DATASET_OPTION,
  cluster: { port: { type: 'string' }, timeout: { type: 'string' } },
  api: {},
  urls: {},
  'api-key create': {
    name: { type: 'string' },
    dataset: { type: 'string', multiple: true },
    operator: { type: 'boolean' },
  },
  'api-key list': {},
  'api-key revoke': {},
  'api-key scope': { operator: { type: 'boolean' }, reader: { type: 'boolean' } },
} as const satisfies Record<string, Options>;
