import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import type { Config } from './config';
import { openConnection, TemporalUnreachable } from './temporalConnect';
import { type TemporalSettings, type TemporalSettingsInput, temporalSettingsOf } from './temporalSettings';

// grpc-js names the TLS server by the address's host, and Node warns on stderr when that is an IP address (an
// mTLS server on 127.0.0.1, say): a warning per process on a line the user did not ask for. Only that one is dropped.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const code =
    typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: unknown }).code : rest[1];
  if (code === 'DEP0123') return;
  (emitWarning as (warning: string | Error, ...more: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

export interface TemporalClient {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

/** The configuration's Temporal settings (common/temporalSettings.ts), or settings already resolved. */
export type TemporalTarget = TemporalSettingsInput | TemporalSettings;

export function settingsOf(target: TemporalTarget): TemporalSettings {
  return 'address' in target ? target : temporalSettingsOf(target);
}

/**
 * How long a client connection may take to open and answer its first call: a live Temporal on a loaded machine can
 * take seconds to answer.
 */
export const CLIENT_CONNECT_TIMEOUT_MS = 30_000;

/**
 * A client connection still opening after this has its transport diagnosed beside it: a refused address or a TLS
 * mistake is reported then, not at the deadline (common/temporalConnect.ts).
 */
export const CLIENT_DIAGNOSE_AFTER_MS = 2_000;

/**
 * A client connection (CLI, API, control code) on the settings, its namespace checked: any failure is one line
 * naming the setting (TemporalSettingRefused) or saying Temporal does not answer (TemporalUnreachable).
 */
export function connectTemporal(
  target: TemporalTarget,
  options: { connectTimeoutMs?: number } = {},
): Promise<Connection> {
  const connectTimeout = options.connectTimeoutMs ?? CLIENT_CONNECT_TIMEOUT_MS;
  return openConnection(
    settingsOf(target),
    (connectOptions) => Connection.connect({ ...connectOptions, connectTimeout }),
    { diagnoseAfterMs: Math.min(CLIENT_DIAGNOSE_AFTER_MS, connectTimeout) },
  );
}

export async function connectClient(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'> & TemporalSettingsInput,
): Promise<TemporalClient> {
  const connection = await connectTemporal(config);
  return {
    client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    connection,
    close: () => connection.close(),
  };
}

/** `use` with a client connection, closed once `use` settles. */
export async function withTemporal<T>(
  config: Parameters<typeof connectClient>[0],
  use: (temporal: TemporalClient) => Promise<T>,
): Promise<T> {
  const temporal = await connectClient(config);
  try {
    return await use(temporal);
  } finally {
    await temporal.close();
  }
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
    if (current instanceof TemporalUnreachable) return true;
    if (isGrpcServiceError(current) && UNREACHABLE_CODES.has(current.code)) return true;
    current = current.cause;
  }
  return false;
}
