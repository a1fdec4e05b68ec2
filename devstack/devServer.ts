// Starts a Temporal dev server (with the project's search attributes) for tests and the local stack.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../common/searchAttributes';
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
  env: TestWorkflowEnvironment;
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

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = ensureTemporalCli(process.env, options.log);
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' },
      ip,
      namespace,
      ...(options.port ? { port: options.port } : {}),
      ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : { ui: false }),
      ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
      searchAttributes: SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'error' },
      extraArgs: Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...options.dynamicConfig }).flatMap(
        ([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`],
      ),
    },
  });
  const address = env.address;
  return {
    address,
    namespace,
    uiUrl: options.uiPort ? `http://${ip}:${options.uiPort}` : null,
    env,
    stop: () => env.teardown(),
  };
}
