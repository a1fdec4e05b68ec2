import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import type { Config } from './config';

export interface TemporalClient {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

export async function connectClient(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>,
): Promise<TemporalClient> {
  const connection = await Connection.connect({
    address: config.TEMPORAL_ADDRESS,
    connectTimeout: '5 seconds',
  });
  return {
    client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    connection,
    close: () => connection.close(),
  };
}

/** gRPC codes of a server that is away (restarting, unreachable, overloaded) rather than refusing the call. */
const UNREACHABLE_CODES = new Set([
  2, // UNKNOWN: a connection reset mid-call
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  14, // UNAVAILABLE
]);

/** Whether `error` (or a cause of it) says Temporal could not be reached: worth waiting and asking again. */
export function isTemporalUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (isGrpcServiceError(current) && UNREACHABLE_CODES.has(current.code)) return true;
    current = current.cause;
  }
  return false;
}
