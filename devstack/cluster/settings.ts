// What a native Temporal cluster runs with: its services, their ports, its databases, and the variables that
// deploy/temporal/config/cluster.yaml reads (the names the auto-setup image of docker-compose.yml reads too).
import { join, resolve } from 'node:path';
import type { Config } from '../../common/config';

/** Started in this order, stopped in the reverse one. */
export const CLUSTER_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

/** Frontend gRPC port: next to the dev server's 7233 (`jao start`), never the same. */
export const DEFAULT_FRONTEND_PORT = 7333;

export const TEMPORAL_DEPLOY_DIR = resolve(__dirname, '..', '..', 'deploy', 'temporal');
/** `temporal-server --root TEMPORAL_DEPLOY_DIR --config config --env cluster` reads config/cluster.yaml. */
export const SERVER_CONFIG_DIR = 'config';
export const SERVER_CONFIG_ENV = 'cluster';
export const DYNAMIC_CONFIG_FILE = join(TEMPORAL_DEPLOY_DIR, 'dynamicconfig.yaml');
/** Also written in cluster.yaml and docker-compose.yml (a unit test keeps the three equal): fixed forever. */
export const NUM_HISTORY_SHARDS = 4;
/** Retention of closed workflows in the namespace `jao cluster up` registers. */
export const NAMESPACE_RETENTION_DAYS = 30;

export interface ServicePorts {
  grpc: number;
  membership: number;
}

export interface ClusterPorts {
  services: Record<ClusterService, ServicePorts>;
  frontendHttp: number;
}

const GRPC_OFFSET: Record<ClusterService, number> = { frontend: 0, history: 1, matching: 2, worker: 6 };
const MEMBERSHIP_OFFSET = 100;
const HTTP_OFFSET = 10;

/** Temporal's usual layout (frontend, +1 history, +2 matching, +6 worker) around the frontend's port. */
export function clusterPorts(frontendPort: number): ClusterPorts {
  const services = Object.fromEntries(
    Object.entries(GRPC_OFFSET).map(([service, offset]) => {
      const grpc = frontendPort + offset;
      return [service, { grpc, membership: grpc + MEMBERSHIP_OFFSET }];
    }),
  ) as Record<ClusterService, ServicePorts>;
  return { services, frontendHttp: frontendPort + HTTP_OFFSET };
}

export function allPorts(ports: ClusterPorts): { port: number; use: string }[] {
  return [
    ...CLUSTER_SERVICES.flatMap((service) => [
      { port: ports.services[service].grpc, use: `${service} gRPC` },
      { port: ports.services[service].membership, use: `${service} membership` },
    ]),
    { port: ports.frontendHttp, use: 'frontend HTTP' },
  ];
}

export interface TemporalDatabases {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Persistence (executions, history, task queues). */
  main: string;
  visibility: string;
}

export const DEFAULT_TEMPORAL_DATABASE = 'temporal';

/**
 * TEMPORAL_DATABASE_URL when set, else the server of DATABASE_URL with the database `temporal`; the visibility
 * database is the same name with `_visibility` appended.
 */
export function temporalDatabases(
  config: Pick<Config, 'DATABASE_URL' | 'TEMPORAL_DATABASE_URL'>,
): TemporalDatabases {
  const url = new URL(config.TEMPORAL_DATABASE_URL ?? config.DATABASE_URL);
  const main = config.TEMPORAL_DATABASE_URL
    ? decodeURIComponent(url.pathname.replace(/^\//, '')) || DEFAULT_TEMPORAL_DATABASE
    : DEFAULT_TEMPORAL_DATABASE;
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password),
    main,
    visibility: `${main}_visibility`,
  };
}

/** A postgres:// URL of one of the cluster's databases (for checks and admin work; never printed with a password). */
export function databaseUrl(databases: TemporalDatabases, database: string): string {
  const url = new URL('postgres://localhost');
  url.hostname = databases.host;
  url.port = String(databases.port);
  url.username = databases.user;
  url.password = databases.password;
  url.pathname = `/${database}`;
  return url.toString();
}

/** The variables cluster.yaml reads, for a server process on this host. */
export function serverEnvironment(
  databases: TemporalDatabases,
  ports: ClusterPorts,
  logLevel: string,
): Record<string, string> {
  const { services } = ports;
  return {
    LOG_LEVEL: logLevel,
    POSTGRES_SEEDS: databases.host,
    DB_PORT: String(databases.port),
    POSTGRES_USER: databases.user,
    POSTGRES_PWD: databases.password,
    DBNAME: databases.main,
    VISIBILITY_DBNAME: databases.visibility,
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(services.frontend.grpc),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(services.frontend.membership),
    HISTORY_GRPC_PORT: String(services.history.grpc),
    HISTORY_MEMBERSHIP_PORT: String(services.history.membership),
    MATCHING_GRPC_PORT: String(services.matching.grpc),
    MATCHING_MEMBERSHIP_PORT: String(services.matching.membership),
    WORKER_GRPC_PORT: String(services.worker.grpc),
    WORKER_MEMBERSHIP_PORT: String(services.worker.membership),
    DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG_FILE,
  };
}
