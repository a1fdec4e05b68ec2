import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import './context';
import { ensureTestRuntime } from './runtime';

export interface TemporalTestContext {
  client: Client;
  connection: Connection;
  workerConnection: NativeConnection;
  namespace: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** A namespace of the file's own (test/helpers/namespace.ts); default: the run's. */
  namespace?: string;
  /** A dev server of the file's own (one with the Web UI); default: the run's. */
  address?: string;
}

/** Client and worker connections to the run's dev server. */
export async function connectTemporal(options: ConnectOptions = {}): Promise<TemporalTestContext> {
  const namespace = options.namespace ?? inject('temporalNamespace');
  await ensureTestRuntime();
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
