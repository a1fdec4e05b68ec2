// How to reach Temporal: the variables and TOML profiles the Temporal CLI reads (docs/howto/connect-temporal-cloud.md).
// A profile of the config file is the lower layer, the environment overrides it, and both are validated here so that
// a mistake is one line naming the variable. common/temporalConnect.ts turns the result into connections.
import { loadClientConfigProfile } from '@temporalio/envconfig';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1'));

/** Text that may be unset; empty counts as unset. */
export const optionalText = z
  .string()
  .optional()
  .transform((text) => (text ? text : undefined));

/** PEM text given inline (`…_DATA`): the line breaks may arrive escaped as `\n` from an env file. */
const pemData = optionalText.transform((text) => text?.replace(/\\n/g, '\n'));

// Each `.describe()` is the variable's line in docs/reference/settings.md (npm run docs:reference).
export const temporalConnectionShape = {
  TEMPORAL_API_KEY: optionalText.describe(
    'API key sent as `Authorization: Bearer …` (Temporal Cloud, or a server with an authorizer); implies TLS. Never logged.',
  ),
  TEMPORAL_TLS: flag.describe(
    'TLS to the frontend: true, or false to turn it off. Unset: on when an API key, a client certificate or a CA is given.',
  ),
  TEMPORAL_TLS_CLIENT_CERT_PATH: optionalText.describe(
    "mTLS: the client certificate (PEM file), with TEMPORAL_TLS_CLIENT_KEY_PATH. Read at each connection's start.",
  ),
  TEMPORAL_TLS_CLIENT_CERT_DATA: pemData.describe(
    'mTLS: the client certificate as PEM text, instead of a file.',
  ),
  TEMPORAL_TLS_CLIENT_KEY_PATH: optionalText.describe(
    "mTLS: the client certificate's private key (PEM file). Never logged.",
  ),
  TEMPORAL_TLS_CLIENT_KEY_DATA: pemData.describe(
    "mTLS: the client certificate's private key as PEM text, instead of a file. Never logged.",
  ),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: optionalText.describe(
    "The CA that signed the server's certificate (PEM file). Unset: the system's CAs.",
  ),
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: pemData.describe(
    "The CA that signed the server's certificate as PEM text, instead of a file.",
  ),
  TEMPORAL_TLS_SERVER_NAME: optionalText.describe(
    "The name the server's certificate must carry, when it differs from TEMPORAL_ADDRESS's host.",
  ),
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: flag.describe(
    'Not supported by the TypeScript SDK: only false is accepted. Set TEMPORAL_TLS_SERVER_NAME to the name the certificate carries.',
  ),
  TEMPORAL_PROFILE: optionalText.describe(
    'The profile of the Temporal config file to read (as `temporal --profile`). Unset: `default`, when the file has one.',
  ),
  TEMPORAL_CONFIG_FILE: optionalText.describe(
    "The Temporal config file (TOML, as `temporal config` writes it). Unset: the CLI's own, `temporalio/temporal.toml` in the user's config directory.",
  ),
  TEMPORAL_GRPC_META: z
    .record(z.string(), z.string())
    .optional()
    .meta({ variable: 'TEMPORAL_GRPC_META_<NAME>', accepts: 'a header value' })
    .describe(
      'gRPC metadata sent with every call, one variable per header: `TEMPORAL_GRPC_META_<NAME>=value` (`_` becomes `-`). Values never logged.',
    ),
};

export const GRPC_META_PREFIX = 'TEMPORAL_GRPC_META_';

/** What the variables and the profile say: the settings of common/config.ts that concern the connection. */
export type TemporalSettingsInput = { TEMPORAL_ADDRESS: string; TEMPORAL_NAMESPACE: string } & Partial<
  z.output<z.ZodObject<typeof temporalConnectionShape>>
>;

/** A PEM source: a file read when a connection starts (so a rotated file is picked up), or inline text. */
export type PemSource = { path: string; setting: string } | { data: string; setting: string };

/** Everything a connection needs, resolved. Holds secrets: pass it to temporalConnect.ts, never to a log. */
export interface TemporalSettings {
  address: string;
  namespace: string;
  apiKey?: string;
  /** false or absent: plaintext; otherwise TLS with what is given (nothing: the system's CAs). */
  tls?: false | { serverName?: string; clientCert?: PemSource; clientKey?: PemSource; serverCa?: PemSource };
  metadata?: Record<string, string>;
}

export class TemporalSettingsError extends Error {
  override name = 'TemporalSettingsError';
}

/** The PEM settings given as a file (`<name>_PATH`) or as text (`<name>_DATA`). */
type PemSetting = 'TEMPORAL_TLS_CLIENT_CERT' | 'TEMPORAL_TLS_CLIENT_KEY' | 'TEMPORAL_TLS_SERVER_CA_CERT';

function pemSource(input: TemporalSettingsInput, name: PemSetting): PemSource | undefined {
  const path = input[`${name}_PATH`];
  const data = input[`${name}_DATA`];
  if (path && data)
    throw new TemporalSettingsError(`${name}_PATH and ${name}_DATA are both set: give one of them`);
  if (path) return { path, setting: `${name}_PATH` };
  if (data) return { data, setting: `${name}_DATA` };
  return undefined;
}

/** The connection's settings from the validated configuration; one line naming the variable when they disagree. */
export function temporalSettingsOf(input: TemporalSettingsInput): TemporalSettings {
  if (input.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION)
    throw new TemporalSettingsError(
      "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true is not supported by Temporal's TypeScript SDK: set " +
        "TEMPORAL_TLS_SERVER_NAME to a name the server's certificate carries instead",
    );
  const clientCert = pemSource(input, 'TEMPORAL_TLS_CLIENT_CERT');
  const clientKey = pemSource(input, 'TEMPORAL_TLS_CLIENT_KEY');
  if (clientCert && !clientKey)
    throw new TemporalSettingsError(
      `${clientCert.setting} is set without its key: set TEMPORAL_TLS_CLIENT_KEY_PATH (or _DATA) too`,
    );
  if (clientKey && !clientCert)
    throw new TemporalSettingsError(
      `${clientKey.setting} is set without its certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH (or _DATA) too`,
    );
  const serverCa = pemSource(input, 'TEMPORAL_TLS_SERVER_CA_CERT');
  const serverName = input.TEMPORAL_TLS_SERVER_NAME;
  const anyTlsSetting = Boolean(clientCert || serverCa || serverName);
  if (input.TEMPORAL_TLS === false && input.TEMPORAL_API_KEY)
    throw new TemporalSettingsError(
      'TEMPORAL_API_KEY is sent only over TLS, and TEMPORAL_TLS=false turns TLS off: unset one of them',
    );
  if (input.TEMPORAL_TLS === false && anyTlsSetting)
    throw new TemporalSettingsError(
      'TEMPORAL_TLS=false turns TLS off, but a certificate, CA or server name is set for it: unset one or the other',
    );
  const useTls = input.TEMPORAL_TLS ?? (anyTlsSetting || Boolean(input.TEMPORAL_API_KEY));
  const metadata = input.TEMPORAL_GRPC_META ?? {};
  if (input.TEMPORAL_API_KEY && Object.keys(metadata).some((key) => key.toLowerCase() === 'authorization'))
    throw new TemporalSettingsError(
      'TEMPORAL_API_KEY and TEMPORAL_GRPC_META_AUTHORIZATION both set the authorization header: give one of them',
    );
  return {
    address: input.TEMPORAL_ADDRESS,
    namespace: input.TEMPORAL_NAMESPACE,
    apiKey: input.TEMPORAL_API_KEY,
    tls: useTls ? { serverName, clientCert, clientKey, serverCa } : false,
    metadata,
  };
}

/** How the connection is secured, for a log line: no secret, no file content. */
export function describeTemporalSecurity(settings: TemporalSettings): string {
  if (!settings.tls) return settings.apiKey ? 'API key without TLS' : 'plaintext';
  const parts = ['TLS'];
  if (settings.tls.clientCert) parts.push('client certificate');
  if (settings.apiKey) parts.push('API key');
  if (settings.tls.serverCa) parts.push(`CA from ${settings.tls.serverCa.setting}`);
  if (settings.tls.serverName) parts.push(`server name ${settings.tls.serverName}`);
  return parts.join(', ');
}

/** The secrets among the settings, for redaction: the API key, inline private keys and metadata values. */
export function temporalSecretsOf(input: Partial<TemporalSettingsInput>): string[] {
  return [
    input.TEMPORAL_API_KEY,
    input.TEMPORAL_TLS_CLIENT_KEY_DATA,
    ...Object.values(input.TEMPORAL_GRPC_META ?? {}),
  ].filter((secret): secret is string => Boolean(secret));
}

/** `TEMPORAL_GRPC_META_<NAME>` variables as the CLI reads them: the header name lower-cased, `_` turned into `-`. */
export function grpcMetaFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(GRPC_META_PREFIX) || !value) continue;
    metadata[name.slice(GRPC_META_PREFIX.length).toLowerCase().replace(/_/g, '-')] = value;
  }
  return metadata;
}

/**
 * The selected profile of the Temporal config file (TEMPORAL_CONFIG_FILE, or the CLI's own file), read by
 * @temporalio/envconfig and named by the variables that override it. Empty when there is no file.
 */
export function temporalProfileVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const overrideEnvVars = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  let profile: ReturnType<typeof loadClientConfigProfile>;
  try {
    profile = loadClientConfigProfile({
      disableEnv: true,
      overrideEnvVars,
      ...(env.TEMPORAL_PROFILE ? { profile: env.TEMPORAL_PROFILE } : {}),
    });
  } catch (error) {
    const file = env.TEMPORAL_CONFIG_FILE ?? "the Temporal CLI's config file";
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    if (/not found in config data/.test(why))
      throw new TemporalSettingsError(
        `TEMPORAL_PROFILE=${env.TEMPORAL_PROFILE}: ${file} has no such profile`,
      );
    throw new TemporalSettingsError(
      `TEMPORAL_CONFIG_FILE: ${file} cannot be read as a Temporal config: ${why}`,
    );
  }
  const variables: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => {
    if (value) variables[name] = value;
  };
  const setSource = (name: string, source: { path: string } | { data: string | Uint8Array } | undefined) => {
    if (!source) return;
    if ('path' in source) set(`${name}_PATH`, source.path);
    else
      set(
        `${name}_DATA`,
        typeof source.data === 'string' ? source.data : Buffer.from(source.data).toString(),
      );
  };
  set('TEMPORAL_ADDRESS', profile.address);
  set('TEMPORAL_NAMESPACE', profile.namespace);
  set('TEMPORAL_API_KEY', profile.apiKey);
  if (profile.tls) {
    if (profile.tls.disabled !== undefined) set('TEMPORAL_TLS', String(!profile.tls.disabled));
    set('TEMPORAL_TLS_SERVER_NAME', profile.tls.serverName);
    setSource('TEMPORAL_TLS_CLIENT_CERT', profile.tls.clientCert);
    setSource('TEMPORAL_TLS_CLIENT_KEY', profile.tls.clientKey);
    setSource('TEMPORAL_TLS_SERVER_CA_CERT', profile.tls.serverCACert);
  }
  for (const [header, value] of Object.entries(profile.grpcMeta ?? {})) {
    set(`${GRPC_META_PREFIX}${header.toUpperCase().replace(/-/g, '_')}`, value);
  }
  return variables;
}
