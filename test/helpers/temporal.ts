import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';
import './context';

export interface TemporalTestContext {
  client: Client;
  connection: Connection;
  workerConnection: NativeConnection;
  namespace: string;
  close(): Promise<void>;
}

let runtimeInstalled = false;

export interface ConnectOptions {
  /** Serve the runtime's Prometheus metrics (the pipeline's own included) at this address, e.g. `127.0.0.1:9999`. */
  metricsBindAddress?: string;
  /** A namespace of the file's own (test/helpers/namespace.ts); default: the run's. */
  namespace?: string;
  /** A dev server of the file's own (one with the Web UI); default: the run's. */
  address?: string;
}

/**
 * The SDK's runtime with the tests' logger, once per file: before anything else starts one (a dev server of the
 * file's own does).
 */
export function installTestRuntime(metricsBindAddress?: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    ...(metricsBindAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsBindAddress } } } }
      : {}),
  });
}

/** Client and worker connections to the run's dev server. */
export async function connectTemporal(options: ConnectOptions = {}): Promise<TemporalTestContext> {
  const namespace = options.namespace ?? inject('temporalNamespace');
  installTestRuntime(options.metricsBindAddress);
  const address = options.address ?? inject('temporalAddress');
  const connection = await Connection.connect({ address });
  const workerConnection = await NativeConnection.connect({ address });
  return {
    client: new Client({ connection, namespace }),
    connection,
    workerConnection,
    namespace,
    async close() {
      await connection.close();
      await workerConnection.close();
    },
  };
}

/** A task queue no other test uses, so parallel test files never steal each other's tasks. */
export function uniqueTaskQueue(label: string): string {
  return `test-${label}-${randomBytes(4).toString('hex')}`;
}
