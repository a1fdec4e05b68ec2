// Every connection to Temporal, the worker's (NativeConnection) and the clients' (Connection), is built here from
// one set of settings (common/temporalSettings.ts) through @temporalio/envconfig, so that the worker, the CLI, the
// API and the control code connect alike. A failure is one line naming the setting, never a secret.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ConnectionOptions, isGrpcServiceError } from '@temporalio/client';
import { clientCertificateProblem } from './clientCertificate';
import { ConfigError } from './config';
import { redactSecrets } from './redact';
import { diagnoseTransport, type TlsMaterial, type TransportDiagnosis } from './temporalDiagnosis';
import type { PemSource, TemporalSettings } from './temporalSettings';

/** A setting Temporal or its transport refused: the person who set it fixes it (exit 2). */
export class TemporalSettingRefused extends ConfigError {
  override name = 'TemporalSettingRefused';
}

/** Temporal could not be reached, or answered otherwise than the settings explain. */
export class TemporalUnreachable extends Error {
  override name = 'TemporalUnreachable';
}

export type TemporalConnectError = TemporalSettingRefused | TemporalUnreachable;

/** What both kinds of connection take: address, TLS (read from its files now; absent: plaintext), API key and metadata. */
export interface ConnectOptions {
  address: string;
  tls?: Exclude<NonNullable<ConnectionOptions['tls']>, boolean>;
  apiKey?: string;
  metadata: Record<string, string>;
}

function readPem(source: PemSource): Buffer {
  if ('data' in source) return Buffer.from(source.data);
  try {
    return readFileSync(source.path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new TemporalSettingRefused(`${source.setting}=${source.path} cannot be read: ${why}`);
  }
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function certificateOf(pem: Uint8Array, source: PemSource, what: string, now: Date): X509Certificate {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new TemporalSettingRefused(`${source.setting} does not hold a PEM certificate (${what})`);
  }
  if (new Date(certificate.validTo) < now)
    throw new TemporalSettingRefused(
      `the ${what} of ${source.setting} expired on ${day(new Date(certificate.validTo))}: renew it`,
    );
  if (new Date(certificate.validFrom) > now)
    throw new TemporalSettingRefused(
      `the ${what} of ${source.setting} is not valid before ${day(new Date(certificate.validFrom))}`,
    );
  return certificate;
}

/**
 * The TLS material, read from its files at this moment (a rotated certificate is taken by the next connection)
 * and checked before any connection: a certificate that expired, a key that is not the certificate's, or a
 * certificate the worker's TLS cannot use (common/clientCertificate.ts) is named here rather than as a failed
 * handshake, and alike for every connection: the CLI does not connect with what the worker then dies on.
 */
export function readTlsMaterial(settings: TemporalSettings, now = new Date()): TlsMaterial | null {
  if (!settings.tls) return null;
  const { clientCert, clientKey, serverCa, serverName } = settings.tls;
  const material: TlsMaterial = serverName ? { serverNameOverride: serverName } : {};
  if (serverCa) {
    material.serverRootCACertificate = readPem(serverCa);
    certificateOf(material.serverRootCACertificate, serverCa, 'server CA certificate', now);
  }
  if (clientCert && clientKey) {
    const crt = readPem(clientCert);
    const pem = readPem(clientKey);
    material.clientCertPair = { crt, key: pem };
    const certificate = certificateOf(crt, clientCert, 'client certificate', now);
    let key: ReturnType<typeof createPrivateKey>;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new TemporalSettingRefused(`${clientKey.setting} does not hold a PEM private key`);
    }
    if (!certificate.checkPrivateKey(key))
      throw new TemporalSettingRefused(
        `the key of ${clientKey.setting} is not the key of the certificate of ${clientCert.setting}`,
      );
    const unusable = clientCertificateProblem(certificate, clientCert.setting);
    if (unusable) throw new TemporalSettingRefused(unusable);
  }
  return material;
}

/** The options both connections take: the material as their TLS (null: plaintext), the API key and the metadata. */
export function connectOptionsOf(settings: TemporalSettings, material: TlsMaterial | null): ConnectOptions {
  return {
    address: settings.address,
    ...(material ? { tls: material } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    metadata: settings.metadata ?? {},
  };
}

const NOT_FOUND = 5;
const PERMISSION_DENIED = 7;
const UNAUTHENTICATED = 16;

function grpcFailure(error: unknown): { code: number; details: string } | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 6; depth++) {
    if (isGrpcServiceError(current))
      return { code: current.code, details: current.details ?? current.message };
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'number' && code > 0 && code <= 16) return { code, details: current.message };
    current = current.cause;
  }
  return null;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}

/** The error's first line and its cause's, which says why (the SDK's "Failed to connect" names no reason). */
function withCause(error: unknown): string {
  const line = firstLine(error);
  const cause = error instanceof Error && error.cause !== undefined ? firstLine(error.cause) : '';
  return cause && !line.includes(cause) ? `${line} (${cause})` : line;
}

const secretsOf = (settings: TemporalSettings) => [
  settings.apiKey,
  ...Object.values(settings.metadata ?? {}),
];

/** A fault the transport's diagnosis found: nothing answers (unreachable), or a setting to change (refused). */
function transportFailure(transport: TransportDiagnosis, settings: TemporalSettings): TemporalConnectError {
  const reason = redactSecrets(transport.reason, secretsOf(settings));
  return transport.unreachable ? new TemporalUnreachable(reason) : new TemporalSettingRefused(reason);
}

/** Who to blame when the server refuses the caller: the API key, other credentials, or none given. */
function credentialsRefused(settings: TemporalSettings, details: string, stage: ConnectStage): string {
  const at = `Temporal at ${settings.address}`;
  const clientCert = settings.tls ? settings.tls.clientCert : undefined;
  // Let in, but not to this namespace: a key or certificate scoped to another one, or a misspelt namespace.
  if (stage === 'namespace' && (settings.apiKey || clientCert))
    return (
      `${at} does not let the ${settings.apiKey ? 'API key of TEMPORAL_API_KEY' : 'client certificate'} use ` +
      `namespace ${settings.namespace} (TEMPORAL_NAMESPACE): check the namespace, or the key's role on it (${details})`
    );
  if (settings.apiKey) return `${at} refused the API key of TEMPORAL_API_KEY (${details})`;
  if (Object.keys(settings.metadata ?? {}).some((key) => key.toLowerCase() === 'authorization'))
    return `${at} refused the authorization of TEMPORAL_GRPC_META_AUTHORIZATION (${details})`;
  if (clientCert) return `${at} does not let the client certificate of ${clientCert.setting} in (${details})`;
  return `${at} requires credentials: set TEMPORAL_API_KEY, or a client certificate (TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH) (${details})`;
}

/** Where a connection failed: opening it, or its first call, which asks for the namespace. */
export type ConnectStage = 'connect' | 'namespace';

/**
 * One line saying why a connection (or its first call) failed, naming the setting to change; the error to throw.
 * Secrets are masked, whatever the server echoed.
 */
export async function explainConnectFailure(
  error: unknown,
  settings: TemporalSettings,
  material: TlsMaterial | null,
  stage: ConnectStage = 'connect',
): Promise<TemporalConnectError> {
  const clean = (line: string) => redactSecrets(line, secretsOf(settings));
  if (error instanceof TemporalSettingRefused) return error;
  const failure = grpcFailure(error);
  if (failure && (failure.code === UNAUTHENTICATED || failure.code === PERMISSION_DENIED))
    return new TemporalSettingRefused(clean(credentialsRefused(settings, failure.details, stage)));
  // The native connection's errors carry the server's words but not always its code.
  if (
    (failure?.code === NOT_FOUND && /namespace/i.test(failure.details)) ||
    /Namespace .* is not found/.test(firstLine(error))
  )
    return new TemporalSettingRefused(
      clean(
        `namespace ${settings.namespace} (TEMPORAL_NAMESPACE) does not exist on Temporal at ${settings.address}`,
      ),
    );
  const transport = await diagnoseTransport(settings, material).catch(() => null);
  if (transport) return transportFailure(transport, settings);
  return new TemporalUnreachable(
    clean(`Temporal at ${settings.address} (TEMPORAL_ADDRESS) does not answer: ${withCause(error)}`),
  );
}

/** What both kinds of connection offer that opening one needs: the namespace asked for, and a close. */
interface OpenedConnection {
  workflowService: { describeNamespace(request: { namespace: string }): Promise<unknown> };
  close(): Promise<void>;
}

type Opening<C> = { connection: C } | { error: unknown; stage: ConnectStage };

/**
 * Opens a connection of either kind with the settings' options and asks for its namespace: a connection that
 * cannot reach it is closed again, and the failure thrown as its one line (explainConnectFailure).
 *
 * With `diagnoseAfterMs`, a connection still opening by then has its transport diagnosed beside it: a fault found
 * there (nothing listens, TLS refused) fails it at once, while a server that is there but slow to answer (a loaded
 * machine) keeps the whole of the open's own deadline.
 */
export async function openConnection<C extends OpenedConnection>(
  settings: TemporalSettings,
  open: (options: ConnectOptions) => Promise<C>,
  { diagnoseAfterMs }: { diagnoseAfterMs?: number } = {},
): Promise<C> {
  const material = readTlsMaterial(settings);
  const options = connectOptionsOf(settings, material);
  const opening = (async (): Promise<Opening<C>> => {
    let connection: C | undefined;
    let stage: ConnectStage = 'connect';
    try {
      connection = await open(options);
      stage = 'namespace';
      await connection.workflowService.describeNamespace({ namespace: settings.namespace });
      return { connection };
    } catch (error) {
      await connection?.close().catch(() => {});
      return { error, stage };
    }
  })();
  const outcome =
    diagnoseAfterMs === undefined
      ? await opening
      : await Promise.race([opening, transportFaultAfter(diagnoseAfterMs, settings, material, opening)]);
  if ('connection' in outcome) return outcome.connection;
  if (outcome.error instanceof TemporalUnreachable || outcome.error instanceof TemporalSettingRefused) {
    // Given up for a transport fault: a connection that opens after all is closed, not left holding the process.
    void opening.then((late) => ('connection' in late ? late.connection.close() : undefined)).catch(() => {});
    throw outcome.error;
  }
  throw await explainConnectFailure(outcome.error, settings, material, outcome.stage);
}

/** Settles only with a transport fault found after `delayMs` while the connection is still opening. */
function transportFaultAfter<C>(
  delayMs: number,
  settings: TemporalSettings,
  material: TlsMaterial | null,
  opening: Promise<Opening<C>>,
): Promise<Opening<C>> {
  return new Promise((resolve) => {
    let settled = false;
    void opening.finally(() => {
      settled = true;
      clearTimeout(timer);
    });
    const timer = setTimeout(async () => {
      const transport = await diagnoseTransport(settings, material).catch(() => null);
      if (!settled && transport) resolve({ error: transportFailure(transport, settings), stage: 'connect' });
    }, delayMs);
  });
}
