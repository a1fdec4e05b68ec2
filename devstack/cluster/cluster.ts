// A Temporal cluster on this machine: the real server on PostgreSQL, one process per service (`jao cluster`).
import { Connection } from '@temporalio/client';
import type { Config } from '../../common/config';
import { portAnswers } from '../../common/ports';
import { ensureTemporalServer, TEMPORAL_SERVER_VERSION } from '../temporalServer';
import { createTemporalDatabases, type SchemaReport, setUpSchemas } from './databases';
import { ClusterError } from './errors';
import { ensureNamespace, type NamespaceReport, retryWhileSettling } from './namespace';
import { readinessPort, type StopOutcome, startService, stopService } from './services';
import {
  allPorts,
  CLUSTER_SERVICES,
  type ClusterService,
  clusterPorts,
  DEFAULT_FRONTEND_PORT,
  NAMESPACE_RETENTION_DAYS,
  serverEnvironment,
  temporalDatabases,
} from './settings';
import {
  type ClusterLayout,
  type ClusterState,
  clusterLayout,
  clusterStateSchema,
  readClusterState,
  type ServiceProcess,
  serviceProcesses,
  writeClusterState,
} from './state';

type Log = (line: string) => void;
type ClusterConfig = Pick<
  Config,
  'DATABASE_URL' | 'TEMPORAL_DATABASE_URL' | 'TEMPORAL_NAMESPACE' | 'JAO_DATA_DIR' | 'LOG_LEVEL'
>;

export const frontendAddress = (state: Pick<ClusterState, 'frontendPort'>) =>
  `127.0.0.1:${state.frontendPort}`;

export interface FrontendAnswer {
  serverVersion: string;
}

/** The frontend's own answer (GetSystemInfo), or null when it does not answer within the timeout. */
export async function frontendAnswers(address: string, timeoutMs = 3_000): Promise<FrontendAnswer | null> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    const info = await connection.withDeadline(Date.now() + timeoutMs, () =>
      connection!.workflowService.getSystemInfo({}),
    );
    return { serverVersion: info.serverVersion ?? 'unknown' };
  } catch {
    return null;
  } finally {
    await connection?.close().catch(() => {});
  }
}

/** Starts one service with the settings recorded by `up` (and the password from the environment). */
export async function startClusterService(
  config: ClusterConfig,
  state: ClusterState,
  service: ClusterService,
): Promise<number> {
  const layout = clusterLayout(config.JAO_DATA_DIR);
  const ports = clusterPorts(state.frontendPort);
  const { password } = temporalDatabases(config);
  return startService(service, {
    serverPath: state.serverPath,
    layout,
    ports,
    environment: serverEnvironment({ ...state.databases, password }, ports, serverLogLevel(config.LOG_LEVEL)),
  });
}

/** Temporal logs every shard and membership change at info: LOG_LEVEL=info gives the services warnings and errors. */
const serverLogLevel = (level: Config['LOG_LEVEL']) => (level === 'info' ? 'warn' : level);

export interface ClusterUpOptions {
  frontendPort?: number;
  log?: Log;
}

export interface ClusterUpReport {
  state: ClusterState;
  createdDatabases: string[];
  schemas: SchemaReport[];
  started: ClusterService[];
  alreadyRunning: ClusterService[];
  namespace: NamespaceReport;
}

export async function clusterUp(
  config: ClusterConfig,
  options: ClusterUpOptions = {},
): Promise<ClusterUpReport> {
  const log = options.log ?? (() => {});
  const layout = clusterLayout(config.JAO_DATA_DIR);
  const previous = readClusterState(layout);
  const running = serviceProcesses(layout).filter((service) => service.running);
  const frontendPort = options.frontendPort ?? previous?.frontendPort ?? DEFAULT_FRONTEND_PORT;
  if (running.length > 0 && previous && previous.frontendPort !== frontendPort) {
    throw new ClusterError(
      `the cluster runs with frontend port ${previous.frontendPort}; run \`jao cluster down\` before changing it`,
    );
  }

  const ports = clusterPorts(frontendPort);
  const runningNames = new Set(running.map((service) => service.service));
  const toStart = CLUSTER_SERVICES.filter((service) => !runningNames.has(service));
  // before anything is written: a port in use stops `up` with nothing changed
  await refuseTakenPorts(ports, toStart);

  const binaries = await ensureTemporalServer(process.env, log);
  const databases = temporalDatabases(config);
  const createdDatabases = await createTemporalDatabases(databases);
  if (createdDatabases.length) log(`databases created: ${createdDatabases.join(', ')}`);
  const schemas = await setUpSchemas(binaries.sqlTool.path, databases);
  log(`schemas up to date: ${schemas.map((s) => `${s.database} ${s.version ?? '?'}`).join(', ')}`);

  const state: ClusterState = {
    serverVersion: TEMPORAL_SERVER_VERSION.replace(/^v/, ''),
    serverPath: running.length > 0 && previous ? previous.serverPath : binaries.server.path,
    frontendPort,
    namespace: config.TEMPORAL_NAMESPACE,
    // the state's schema keeps every setting but the password (never written to the state file)
    databases: clusterStateSchema.shape.databases.parse(databases),
    upAt: new Date().toISOString(),
  };
  writeClusterState(layout, state);

  const started: ClusterService[] = [];
  for (const service of CLUSTER_SERVICES) {
    if (runningNames.has(service)) {
      log(`${service} already running`);
      continue;
    }
    const pid = await startClusterService(config, state, service);
    log(`${service} started (pid ${pid}, port ${readinessPort(ports, service)})`);
    started.push(service);
  }

  const address = frontendAddress(state);
  await retryWhileSettling(`the frontend at ${address} does not answer`, async () => {
    if (!(await frontendAnswers(address))) throw new Error('no answer');
  });
  const connection = await Connection.connect({ address });
  try {
    const namespace = await ensureNamespace(connection, config.TEMPORAL_NAMESPACE, NAMESPACE_RETENTION_DAYS);
    return {
      state,
      createdDatabases,
      schemas,
      started,
      alreadyRunning: CLUSTER_SERVICES.filter((service) => runningNames.has(service)),
      namespace,
    };
  } finally {
    await connection.close();
  }
}

async function refuseTakenPorts(
  ports: ReturnType<typeof clusterPorts>,
  toStart: ClusterService[],
): Promise<void> {
  const wanted = allPorts(ports).filter(({ use }) => toStart.some((service) => use.startsWith(service)));
  for (const { port, use } of wanted) {
    if (await portAnswers(port, 300)) {
      throw new ClusterError(
        `port ${port} (${use}) is taken by another process; stop it or choose another --port`,
      );
    }
  }
}

export interface ClusterDownReport {
  outcomes: { service: ClusterService; outcome: StopOutcome }[];
}

/** Stops every service, the frontend's clients first and history last. */
export async function clusterDown(
  config: Pick<ClusterConfig, 'JAO_DATA_DIR'>,
  options: { timeoutMs?: number; log?: Log } = {},
): Promise<ClusterDownReport> {
  const layout = clusterLayout(config.JAO_DATA_DIR);
  const outcomes: ClusterDownReport['outcomes'] = [];
  for (const service of [...CLUSTER_SERVICES].reverse()) {
    const outcome = await stopService(layout, service, options.timeoutMs);
    options.log?.(`${service} ${outcome}`);
    outcomes.push({ service, outcome });
  }
  return { outcomes };
}

export interface ClusterStatus {
  layout: ClusterLayout;
  state: ClusterState | null;
  services: ServiceProcess[];
  frontend: FrontendAnswer | null;
}

export async function clusterStatus(config: Pick<ClusterConfig, 'JAO_DATA_DIR'>): Promise<ClusterStatus> {
  const layout = clusterLayout(config.JAO_DATA_DIR);
  const state = readClusterState(layout);
  const services = serviceProcesses(layout);
  const frontend = state ? await frontendAnswers(frontendAddress(state)) : null;
  return { layout, state, services, frontend };
}

export { ClusterError };
