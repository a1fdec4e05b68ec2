// Starts a Temporal dev server (with the project's search attributes) for tests and the local stack.
import { TypedSearchAttributes } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from '../common/ports';
import { SEARCH_ATTRIBUTES } from '../common/searchAttributes';
import { spawnDevServer } from './devServerProcess';
import { ensureTemporalCli } from './temporalCli';

export interface DevServerOptions {
  ip?: string;
  port?: number;
  /** Serve the Web UI on this port; no UI when absent. */
  uiPort?: number;
  /** Persist state in this SQLite file; in memory when absent. */
  dbFilename?: string;
  namespace?: string;
  /** Server dynamic config, e.g. { 'matching.longPollExpirationInterval': '5s' } (tests). */
  dynamicConfig?: Record<string, string | number | boolean>;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

/**
 * What deploy/temporal/dynamicconfig.yaml sets for the cluster and compose, where the dev server needs it too
 * (docs/cluster.md: "Temporal server settings"):
 * - the priority-aware matcher, without which the server dispatches the fetch queue in arrival order and live
 *   fetches wait behind every queued backfill fetch (task priority is ignored);
 * - one partition per task queue: the fetch queue's rate limit is split evenly over its partitions, and a
 *   partition with no fetch waiting wastes its share (a backfill then used 60–70 % of its budget).
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, string | number | boolean> = {
  'matching.longPollExpirationInterval': '30s',
  'matching.useNewMatcher': true,
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
};

/** How long a dev server may take to answer: a new SQLite state on a loaded machine takes seconds. */
export const DEV_SERVER_STARTUP_TIMEOUT_MS = 120_000;

/**
 * A dev server's SQLite file in write-ahead-log mode, synced at checkpoints: by default every commit of its one
 * connection synced a rollback journal and the file, so on a busy machine its writes queued behind each other until
 * callers gave up ("context canceled") and workflow tasks waited on their completion for seconds (TMPRL1104). A
 * crash of the server loses nothing; a power cut may lose the last commits, never the file.
 */
const SQLITE_FILE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

function sqliteFileArgs(options: DevServerOptions): string[] {
  if (!options.dbFilename) return [];
  return [
    '--db-filename',
    options.dbFilename,
    ...SQLITE_FILE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
  ];
}

/** What the SDK's launcher sets on every dev server it starts: no call home, workflow updates on. */
const SDK_DEV_SERVER_CONFIG: Record<string, boolean> = {
  'frontend.enableServerVersionCheck': false,
  'frontend.enableUpdateWorkflowExecution': true,
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': true,
};

/** The project's dynamic config and the caller's, after `first` (the SDK's, where no SDK launcher adds it). */
function dynamicConfigArgs(options: DevServerOptions, first: Record<string, boolean> = {}): string[] {
  return Object.entries({ ...first, ...DEV_SERVER_DYNAMIC_CONFIG, ...options.dynamicConfig }).flatMap(
    ([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`],
  );
}

function devServerArgs(options: DevServerOptions, ip: string, port: number, namespace: string): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--log-format',
    'json',
    '--log-level',
    'error',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...sqliteFileArgs(options),
    ...SEARCH_ATTRIBUTES.flatMap(({ name, type }) => [
      '--search-attribute',
      `${name}=${TypedSearchAttributes.toMetadataType(type)}`,
    ]),
    ...dynamicConfigArgs(options, SDK_DEV_SERVER_CONFIG),
  ];
}

/** Without a CLI of our own, the SDK downloads one and runs it (with its fixed 5 s to listen). */
async function startDownloadedDevServer(options: DevServerOptions, ip: string, namespace: string) {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip,
      namespace,
      ...(options.port ? { port: options.port } : {}),
      ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : { ui: false }),
      searchAttributes: SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'error' },
      extraArgs: [...sqliteFileArgs(options), ...dynamicConfigArgs(options)],
    },
  });
  return { address: env.address, stop: () => env.teardown() };
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = ensureTemporalCli(process.env, options.log);
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const uiUrl = options.uiPort ? `http://${ip}:${options.uiPort}` : null;
  if (!cli) return { ...(await startDownloadedDevServer(options, ip, namespace)), namespace, uiUrl };
  const port = options.port ?? (await freePort());
  const server = await spawnDevServer({
    cliPath: cli.path,
    args: devServerArgs(options, ip, port, namespace),
    host: ip,
    port,
    startupTimeoutMs: DEV_SERVER_STARTUP_TIMEOUT_MS,
    log: options.log ?? (() => {}),
  });
  return { address: `${ip}:${port}`, namespace, uiUrl, stop: () => server.stop() };
}
