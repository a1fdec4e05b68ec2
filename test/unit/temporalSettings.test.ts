// The Temporal connection's settings: the CLI's variables and profiles, validated into one line per mistake, and the
// TLS material checked before any connection (common/temporalSettings.ts, common/temporalConnect.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretsOf, secretsOfEnvironment } from '../../common/config';
import { redactSecrets } from '../../common/redact';
import { connectOptionsOf, readTlsMaterial, TemporalSettingRefused } from '../../common/temporalConnect';
import {
  describeTemporalSecurity,
  temporalProfileVariables,
  temporalSettingsOf,
} from '../../common/temporalSettings';
import { generateCertificates, type TestCertificates } from '../helpers/certificates';

function problem(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return 'accepted';
}

let certificates: TestCertificates;
let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jao-temporal-settings-'));
  certificates = await generateCertificates(dir);
  writeFileSync(file('garbage.pem'), 'not a certificate\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Temporal connection settings', () => {
  it('keeps plaintext with only an address and a namespace', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_NAMESPACE: 'desk' });
    const settings = temporalSettingsOf(config);
    expect(settings).toMatchObject({ address: 'temporal.internal:7233', namespace: 'desk', tls: false });
    expect(describeTemporalSecurity(settings)).toBe('plaintext');
  });

  it('turns TLS on for an API key, as Temporal Cloud requires, and never describes the key', () => {
    const key = 'cloud-api-key-0123456789';
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233',
      TEMPORAL_NAMESPACE: 'desk.a1b2c',
      TEMPORAL_API_KEY: key,
    });
    const settings = temporalSettingsOf(config);
    expect(settings.tls).toEqual({});
    expect(describeTemporalSecurity(settings)).toBe('TLS, API key');
    expect(connectOptionsOf(settings, readTlsMaterial(settings))).toMatchObject({ apiKey: key, tls: {} });
    expect(secretsOf(config)).toContain(key);
    expect(redactSecrets(`refused ${key}`, secretsOf(config))).not.toContain(key);
  });

  it('refuses each contradiction in one line naming the variables', () => {
    expect(problem({ TEMPORAL_API_KEY: 'a-long-key', TEMPORAL_TLS: 'false' })).toBe(
      'TEMPORAL_API_KEY is sent only over TLS, and TEMPORAL_TLS=false turns TLS off: unset one of them',
    );
    expect(problem({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/c.pem' })).toMatch(
      /^TEMPORAL_TLS_CLIENT_CERT_PATH is set without its key/,
    );
    expect(problem({ TEMPORAL_TLS_CLIENT_KEY_DATA: 'k' })).toMatch(
      /^TEMPORAL_TLS_CLIENT_KEY_DATA is set without its certificate/,
    );
    expect(
      problem({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/ca.pem', TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'pem' }),
    ).toBe(
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH and TEMPORAL_TLS_SERVER_CA_CERT_DATA are both set: give one of them',
    );
    expect(problem({ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true' })).toMatch(
      /^TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true is not supported/,
    );
    expect(problem({ TEMPORAL_TLS: 'yes' })).toBe(
      'invalid configuration: TEMPORAL_TLS: expected true or false',
    );
    expect(problem({ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'false' })).toBe('accepted');
  });

  it('reads gRPC metadata as the CLI does, and counts its values as secrets', () => {
    const config = loadConfig({ TEMPORAL_GRPC_META_X_DESK_TOKEN: 'desk-token-value' });
    expect(temporalSettingsOf(config).metadata).toEqual({ 'x-desk-token': 'desk-token-value' });
    expect(secretsOf(config)).toContain('desk-token-value');
  });

  it("reads a profile of the Temporal CLI's config file, which the environment overrides", () => {
    writeFileSync(
      file('temporal.toml'),
      [
        '[profile.default]',
        'address = "localhost:7233"',
        '[profile.cloud]',
        'address = "desk.a1b2c.tmprl.cloud:7233"',
        'namespace = "desk.a1b2c"',
        '[profile.cloud.tls]',
        `client_cert_path = "${certificates.client.cert}"`,
        `client_key_path = "${certificates.client.key}"`,
        '[profile.cloud.grpc_meta]',
        'x-desk = "blue"',
      ].join('\n'),
    );
    const base = { TEMPORAL_CONFIG_FILE: file('temporal.toml') };
    expect(loadConfig(base).TEMPORAL_ADDRESS).toBe('localhost:7233');
    const cloud = temporalSettingsOf(loadConfig({ ...base, TEMPORAL_PROFILE: 'cloud' }));
    expect(cloud).toMatchObject({
      address: 'desk.a1b2c.tmprl.cloud:7233',
      namespace: 'desk.a1b2c',
      tls: { clientCert: { path: certificates.client.cert }, clientKey: { path: certificates.client.key } },
      metadata: { 'x-desk': 'blue' },
    });
    expect(describeTemporalSecurity(cloud)).toBe('TLS, client certificate');
    const overridden = loadConfig({ ...base, TEMPORAL_PROFILE: 'cloud', TEMPORAL_NAMESPACE: 'other.a1b2c' });
    expect(overridden.TEMPORAL_NAMESPACE).toBe('other.a1b2c');
    expect(problem({ ...base, TEMPORAL_PROFILE: 'prod' })).toBe(
      `TEMPORAL_PROFILE=prod: ${file('temporal.toml')} has no such profile`,
    );
    writeFileSync(file('broken.toml'), '[profile.default\naddress = 1');
    expect(problem({ TEMPORAL_CONFIG_FILE: file('broken.toml') })).toMatch(
      /^TEMPORAL_CONFIG_FILE: .*broken\.toml cannot be read as a Temporal config: /,
    );
  });
});

describe("a profile's API key", () => {
  const key = 'profile-api-key-0123456789';

  it('is set as TEMPORAL_API_KEY, turns TLS on, counts as a secret and gives way to the environment', () => {
    writeFileSync(
      file('keyed.toml'),
      [
        '[profile.default]',
        'address = "desk.a1b2c.tmprl.cloud:7233"',
        'namespace = "desk.a1b2c"',
        `api_key = "${key}"`,
      ].join('\n'),
    );
    const env = { TEMPORAL_CONFIG_FILE: file('keyed.toml') };
    expect(temporalProfileVariables(env)).toEqual({
      TEMPORAL_ADDRESS: 'desk.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'desk.a1b2c',
      TEMPORAL_API_KEY: key,
    });
    const config = loadConfig(env);
    const settings = temporalSettingsOf(config);
    expect(settings).toMatchObject({ apiKey: key, tls: {} });
    expect(describeTemporalSecurity(settings)).toBe('TLS, API key');
    expect(connectOptionsOf(settings, readTlsMaterial(settings))).toMatchObject({ apiKey: key, tls: {} });
    expect(secretsOf(config)).toContain(key);
    // A command's last line is redacted with these, before the configuration is validated (cli/main.ts).
    expect(secretsOfEnvironment(env)).toContain(key);
    expect(secretsOfEnvironment({ ...env, TEMPORAL_PROFILE: 'absent' })).toEqual([]);
    expect(loadConfig({ ...env, TEMPORAL_API_KEY: 'environment-api-key-987' }).TEMPORAL_API_KEY).toBe(
      'environment-api-key-987',
    );
  });

  it('is not printed when the file cannot be read, though the parser quotes the line that holds it', () => {
    writeFileSync(file('keyed-broken.toml'), ['[profile.default]', `api_key = "${key}" x`].join('\n'));
    const refused = problem({ TEMPORAL_CONFIG_FILE: file('keyed-broken.toml') });
    expect(refused).toMatch(
      /^TEMPORAL_CONFIG_FILE: .*keyed-broken\.toml cannot be read as a Temporal config: \S/,
    );
    expect(refused).not.toContain(key);
  });
});

describe('TLS material, checked before connecting', () => {
  const refusal = (env: NodeJS.ProcessEnv, now = new Date()): string => {
    try {
      readTlsMaterial(temporalSettingsOf(loadConfig(env)), now);
    } catch (error) {
      if (error instanceof TemporalSettingRefused) return error.message;
      throw error;
    }
    return 'accepted';
  };
  const mtls = () => ({
    TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.client.cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.client.key,
  });

  it('accepts a certificate with its own key', () => {
    expect(refusal(mtls())).toBe('accepted');
  });

  it('names a key that is not the certificate’s', () => {
    expect(refusal({ ...mtls(), TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.strayKey })).toBe(
      'the key of TEMPORAL_TLS_CLIENT_KEY_PATH is not the key of the certificate of TEMPORAL_TLS_CLIENT_CERT_PATH',
    );
  });

  it('names an expired certificate, and the day it expired', () => {
    const expired = {
      TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.expiredClient.cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.expiredClient.key,
    };
    expect(refusal(expired)).toMatch(
      /^the client certificate of TEMPORAL_TLS_CLIENT_CERT_PATH expired on \d{4}-\d\d-\d\d: renew it$/,
    );
  });

  it('names a file that is missing or is not PEM, and never prints a key', () => {
    expect(refusal({ ...mtls(), TEMPORAL_TLS_CLIENT_CERT_PATH: file('absent.pem') })).toBe(
      `TEMPORAL_TLS_CLIENT_CERT_PATH=${file('absent.pem')} cannot be read: no such file`,
    );
    expect(refusal({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('garbage.pem') })).toBe(
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH does not hold a PEM certificate (server CA certificate)',
    );
    const keyText = readFileSync(certificates.client.key, 'utf8');
    const line = refusal({
      ...mtls(),
      TEMPORAL_TLS_CLIENT_KEY_PATH: undefined,
      TEMPORAL_TLS_CLIENT_KEY_DATA: 'garbage',
    });
    expect(line).toBe('TEMPORAL_TLS_CLIENT_KEY_DATA does not hold a PEM private key');
    expect(redactSecrets(`echoed ${keyText.trim()}`)).toBe('echoed [redacted]');
  });
});
