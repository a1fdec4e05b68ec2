// The `jao` command line's help: `jao --help`, `jao <command> --help` (cli/main.ts) and docs/reference/cli.md
// (npm run docs:reference) print it from here.
import { DATASETS } from '../domain/datasets';
import { DEFAULT_DATASET } from '../domain/datasets/compat';
import { API_KEY_HELP } from './commands/apiKey';

export const USAGE = `usage: jao <command> [options]

commands:
  start [--simulate | --offline]      the local stack: Temporal dev server + Web UI, database, worker, schedule (--offline: no request to JAO, no schedule, no initial backfill)
  worker [--offline]                  run the pipeline's worker (migrates and ensures the schedule first; --offline: no request to JAO, no schedule)
  migrate                             apply database migrations
  backfill --from D --to D [--concurrency N] [--mode missing|failed|all] [--wait] [--dry-run] [--dataset ID]
  backfill --dry-run --all [--mode missing|failed|all]   plan every dataset's whole history within JAO's budget: requests and duration per dataset
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
  urls                                the addresses of the running jao start: status page with its key, API, Web UI, …
  api                                 the HTTP API (API_HOST:API_PORT, default 127.0.0.1:3000) as jao_reader
  api-key create --name N [--dataset D …] [--operator] | list | revoke ID | scope ID --operator|--reader
                                      keys of the API (a new key is printed once; --operator: it may start runs)

Days are delivery days (Europe/Amsterdam) written YYYY-MM-DD. --dataset names a dataset by its id or region/endpoint
(${DATASETS.join(', ')}; default ${DEFAULT_DATASET}). Configuration comes from the environment (docs/reference/settings.md).`;

/** The usage lines of one command, and the note on days, datasets and configuration (USAGE's last paragraph). */
export function commandUsage(name: string): string {
  const lines = USAGE.split('\n');
  const note = lines.slice(lines.lastIndexOf('') + 1);
  if (name === 'api-key') return [API_KEY_HELP, '', ...note].join('\n');
  const own = lines.filter((line) => line.startsWith(`  ${name} `) || line === `  ${name}`);
  return [`usage: jao ${name} [options]`, '', ...own, '', ...note].join('\n');
}
