// The Temporal server `jao cluster` runs (1.32.2 on PostgreSQL, deploy/temporal/config/cluster.yaml), started by a
// test on 127.0.0.1 with free ports and databases of its own, its frontend behind TLS in one of two modes:
//
//   mtls    the frontend demands a client certificate signed by the test's CA (`requireClientAuth`);
//   apiKey  the frontend has a server certificate only, and the JWT authorizer (the default authorizer and claim
//           mapper) checks `Authorization: Bearer <token>` against the key set of an ApiKeyIssuer.
//
// cluster.yaml is used as it is: the TLS settings are an overlay the server merges over it (`--zone`, which loads
// config/cluster_<zone>.yaml after config/cluster.yaml). All services run in one process. The system worker reaches
// the frontend through an internal-frontend (plaintext, never authorized), as Temporal advises where an authorizer
// is set; clients only ever see the TLS frontend.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { stringify } from 'yaml';
import { freePort } from '../../common/ports';
import { createTemporalDatabases, setUpSchemas } from '../../devstack/cluster/databases';
import { ensureNamespace } from '../../devstack/cluster/namespace';
import {
  CLUSTER_SERVICES,
  type ClusterPorts,
  type ClusterService,
  DYNAMIC_CONFIG_FILE,
  SERVER_CONFIG_DIR,
  SERVER_CONFIG_ENV,
  serverEnvironment,
  TEMPORAL_DEPLOY_DIR,
  type TemporalDatabases,
  temporalDatabases,
} from '../../devstack/cluster/settings';
import { ensureTemporalServer } from '../../devstack/temporalServer';
import type { TestCertificates } from '../helpers/certificates';
import { databaseUrlFor, dropDatabase } from '../helpers/postgres';
import { type ApiKeyIssuer, SYSTEM_NAMESPACE } from './apiKeys';

export type AuthMode = 'mtls' | 'apiKey';

/** The overlay's name: config/cluster_tls.yaml. */
const ZONE = 'tls';
/** The name the server's certificate is issued to (besides IP 127.0.0.1). */
export const SERVER_NAME = 'localhost';
const NAMESPACE_RETENTION_DAYS = 1;
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * The cluster's dynamic config plus two settings for a test that registers a namespace and its search attributes
 * and uses them at once: every service reads search attributes afresh and reloads namespaces every second
 * (deploy/temporal/dynamicconfig.yaml leaves both at their production defaults on purpose).
 */
const TEST_DYNAMIC_CONFIG = {
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true, constraints: {} }],
  'system.namespaceCacheRefreshInterval': [{ value: '1s', constraints: {} }],
};

export interface TemporalAuthServerOptions {
  certificates: TestCertificates;
  /** A PostgreSQL URL with the right to create databases; the server's two are created here and dropped by stop(). */
  adminDatabaseUrl: string;
  /** Registered with the project's search attributes. */
  namespace: string;
  /** Where the server's configuration and log go (the caller removes it). */
  workDir: string;
  log?: (line: string) => void;
}

export interface ApiKeyServerOptions extends TemporalAuthServerOptions {
  issuer: ApiKeyIssuer;
}

/** Tokens of the API-key mode, each a JWT the server accepts. */
export interface ApiKeys {
  /** `temporal-system:admin`: everything, on every namespace. */
  system: string;
  /** `<namespace>:admin`: may manage the namespace's search attributes. */
  namespaceAdmin: string;
  /**
   * `<namespace>:write`: workflows, schedules and workers, but not AddSearchAttributes (admin). The default
   * authorizer lets it call UpdateTaskQueueConfig (a write call).
   */
  writer: string;
  /** `<namespace>:read`: read-only calls. */
  reader: string;
}

export interface TemporalAuthServer {
  mode: AuthMode;
  /** `127.0.0.1:<port>` of the TLS frontend. */
  address: string;
  namespace: string;
  /** The server's log (stdout and stderr). */
  logFile: string;
  /** Options of a Connection with every right: the valid client certificate (mtls), the system key (apiKey). */
  adminConnectionOptions: ConnectionOptions;
  /** apiKey mode only. */
  apiKeys: ApiKeys | null;
  /** SIGTERM (SIGKILL after 30 s), then drops its databases. */
  stop(): Promise<void>;
}

/** TLS with the test's CA, and the client certificate when given: the options a client of the server needs. */
export function tlsOptions(
  certificates: TestCertificates,
  client?: { cert: string; key: string },
): NonNullable<Exclude<ConnectionOptions['tls'], boolean>> {
  return {
    serverRootCACertificate: readFileSync(certificates.ca.cert),
    ...(client ? { clientCertPair: { crt: readFileSync(client.cert), key: readFileSync(client.key) } } : {}),
  };
}

/** The frontend demands a client certificate signed by `certificates.ca`; no authorizer. */
export function startMtlsServer(options: TemporalAuthServerOptions): Promise<TemporalAuthServer> {
  return startServer('mtls', options, null);
}

/** The frontend has a server certificate only; the JWT authorizer checks every call against `issuer`'s keys. */
export function startApiKeyServer(options: ApiKeyServerOptions): Promise<TemporalAuthServer> {
  return startServer('apiKey', options, options.issuer);
}

interface ServerPorts extends ClusterPorts {
  internalFrontend: { grpc: number; membership: number; http: number };
}

async function pickPorts(): Promise<ServerPorts> {
  const services = {} as Record<ClusterService, { grpc: number; membership: number }>;
  for (const service of CLUSTER_SERVICES) {
    services[service] = { grpc: await freePort(), membership: await freePort() };
  }
  return {
    services,
    frontendHttp: await freePort(),
    internalFrontend: { grpc: await freePort(), membership: await freePort(), http: await freePort() },
  };
}

function overlay(
  mode: AuthMode,
  certificates: TestCertificates,
  ports: ServerPorts,
  issuer: ApiKeyIssuer | null,
): string {
  const server =
    mode === 'mtls'
      ? {
          certFile: certificates.server.cert,
          keyFile: certificates.server.key,
          requireClientAuth: true,
          clientCaFiles: [certificates.ca.cert],
        }
      : { certFile: certificates.server.cert, keyFile: certificates.server.key };
  const global: Record<string, unknown> = { tls: { frontend: { server } } };
  if (issuer) {
    global.authorization = {
      jwtKeyProvider: { keySourceURIs: [issuer.jwksUrl], refreshInterval: '1m' },
      permissionsClaimName: 'permissions',
      authorizer: 'default',
      claimMapper: 'default',
    };
  }
  return stringify({
    global,
    services: {
      'internal-frontend': {
        rpc: {
          grpcPort: ports.internalFrontend.grpc,
          membershipPort: ports.internalFrontend.membership,
          httpPort: ports.internalFrontend.http,
          bindOnIP: '127.0.0.1',
        },
      },
    },
  });
}

function logTail(path: string, lines = 8): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once the frontend answers GetSystemInfo over TLS (a call every authorizer allows). */
async function waitForFrontend(
  child: ChildProcess,
  logFile: string,
  connectionOptions: ConnectionOptions,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `temporal-server exited at start-up (${child.exitCode ?? child.signalCode}); end of ${logFile}:\n${logTail(logFile)}`,
      );
    }
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ ...connectionOptions, connectTimeout: 2_000 });
      return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      await connection?.close().catch(() => {});
    }
    await sleep(250);
  }
  throw new Error(
    `the TLS frontend did not answer within ${START_TIMEOUT_MS / 1000} s (${lastError}); see ${logFile}`,
  );
}

function stopChild(child: ChildProcess, closed: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  return closed.then(() => clearTimeout(timer));
}

async function startServer(
  mode: AuthMode,
  options: TemporalAuthServerOptions,
  issuer: ApiKeyIssuer | null,
): Promise<TemporalAuthServer> {
  const log = options.log ?? (() => {});
  const { certificates, namespace, workDir } = options;
  const binaries = await ensureTemporalServer(process.env, log);

  const name = `jao_temporal_${mode.toLowerCase()}_${randomBytes(3).toString('hex')}`;
  const databases: TemporalDatabases = temporalDatabases({
    DATABASE_URL: options.adminDatabaseUrl,
    TEMPORAL_DATABASE_URL: databaseUrlFor(options.adminDatabaseUrl, name),
  });
  const dropDatabases = async () => {
    const admin = databaseUrlFor(options.adminDatabaseUrl, 'postgres');
    for (const database of [databases.main, databases.visibility]) await dropDatabase(admin, database);
  };
  let child: ChildProcess | undefined;
  let closed: Promise<unknown> = Promise.resolve();
  try {
    await createTemporalDatabases(databases);
    await setUpSchemas(binaries.sqlTool.path, databases);

    const ports = await pickPorts();
    const configDir = join(workDir, SERVER_CONFIG_DIR);
    mkdirSync(configDir, { recursive: true });
    const base = `${SERVER_CONFIG_ENV}.yaml`;
    symlinkSync(join(TEMPORAL_DEPLOY_DIR, SERVER_CONFIG_DIR, base), join(configDir, base));
    writeFileSync(
      join(configDir, `${SERVER_CONFIG_ENV}_${ZONE}.yaml`),
      overlay(mode, certificates, ports, issuer),
    );
    const dynamicConfig = join(workDir, 'dynamicconfig.yaml');
    writeFileSync(
      dynamicConfig,
      `${readFileSync(DYNAMIC_CONFIG_FILE, 'utf8')}\n${stringify(TEST_DYNAMIC_CONFIG)}`,
    );

    const logFile = join(workDir, 'temporal-server.log');
    const out = openSync(logFile, 'a');
    const services = ['frontend', 'internal-frontend', 'history', 'matching', 'worker'];
    child = spawn(
      binaries.server.path,
      [
        '--root',
        workDir,
        '--config',
        SERVER_CONFIG_DIR,
        '--env',
        SERVER_CONFIG_ENV,
        '--zone',
        ZONE,
        ...(mode === 'mtls' ? ['--allow-no-auth'] : []),
        'start',
        ...services.flatMap((service) => ['--service', service]),
      ],
      {
        cwd: workDir,
        stdio: ['ignore', out, out],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? workDir,
          ...serverEnvironment(databases, ports, 'warn'),
          DYNAMIC_CONFIG_FILE_PATH: dynamicConfig,
        },
      },
    );
    closeSync(out);
    const running = child;
    closed = new Promise((resolve) => running.once('close', resolve));

    const address = `127.0.0.1:${ports.services.frontend.grpc}`;
    const apiKeys: ApiKeys | null = issuer
      ? {
          system: issuer.sign({ sub: 'jao-test-system', permissions: [`${SYSTEM_NAMESPACE}:admin`] }),
          namespaceAdmin: issuer.sign({ sub: 'jao-test-admin', permissions: [`${namespace}:admin`] }),
          writer: issuer.sign({ sub: 'jao-test-writer', permissions: [`${namespace}:write`] }),
          reader: issuer.sign({ sub: 'jao-test-reader', permissions: [`${namespace}:read`] }),
        }
      : null;
    const adminConnectionOptions: ConnectionOptions = {
      address,
      tls: tlsOptions(certificates, mode === 'mtls' ? certificates.client : undefined),
      ...(apiKeys ? { apiKey: apiKeys.system } : {}),
    };
    await waitForFrontend(running, logFile, adminConnectionOptions);
    log(`Temporal server (${mode}) answers at ${address} over TLS; log ${logFile}`);

    const connection = await Connection.connect(adminConnectionOptions);
    try {
      const report = await ensureNamespace(connection, namespace, NAMESPACE_RETENTION_DAYS);
      log(
        `namespace ${namespace} ${report.registered ? 'registered' : 'present'}, search attributes added: ${report.searchAttributesAdded.join(', ') || 'none'}`,
      );
    } finally {
      await connection.close();
    }

    return {
      mode,
      address,
      namespace,
      logFile,
      adminConnectionOptions,
      apiKeys,
      stop: async () => {
        await stopChild(running, closed);
        await dropDatabases();
      },
    };
  } catch (error) {
    if (child) await stopChild(child, closed);
    await dropDatabases().catch(() => {});
    throw error;
  }
}
