// A client certificate that the worker's TLS (rustls) cannot use is refused before any connection, in one line naming
// its variable and the fix (common/clientCertificate.ts through common/temporalConnect.ts readTlsMaterial): Node's
// OpenSSL, with which the CLI connects, takes each of these, so without the check the CLI connects and the worker
// dies on a Rust error.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCertificateProblem, criticalExtensions, x509Version } from '../../common/clientCertificate';
import { loadConfig } from '../../common/config';
import { readTlsMaterial, TemporalSettingRefused } from '../../common/temporalConnect';
import { temporalSettingsOf } from '../../common/temporalSettings';
import {
  type CertificatePair,
  generateCertificates,
  makeClientCertificate,
  type TestCertificates,
} from '../helpers/certificates';

let certificates: TestCertificates;
let dir: string;
let p521: CertificatePair;
let rsa1024: CertificatePair;
let rsa2048: CertificatePair;
let ed25519: CertificatePair;
let criticalPolicies: CertificatePair;
let criticalKeyUsage: CertificatePair;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jao-client-certificate-'));
  certificates = await generateCertificates(dir);
  const { ca } = certificates;
  [p521, rsa1024, rsa2048, ed25519, criticalPolicies, criticalKeyUsage] = await Promise.all([
    makeClientCertificate(dir, 'p521', ca, {
      keyArgs: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521', '-nodes'],
    }),
    makeClientCertificate(dir, 'rsa1024', ca, { keyArgs: ['-newkey', 'rsa:1024', '-nodes'] }),
    makeClientCertificate(dir, 'rsa2048', ca, { keyArgs: ['-newkey', 'rsa:2048', '-nodes'] }),
    makeClientCertificate(dir, 'ed25519', ca, { keyArgs: ['-newkey', 'ed25519', '-nodes'] }),
    makeClientCertificate(dir, 'policies', ca, {
      extensions: ['basicConstraints=CA:FALSE', 'certificatePolicies=critical,1.2.3.4'],
    }),
    makeClientCertificate(dir, 'key-usage', ca, {
      extensions: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature'],
    }),
  ]);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What readTlsMaterial says of a client certificate and its key given as files: its line, or 'accepted'. */
function refusal(pair: CertificatePair): string {
  const settings = temporalSettingsOf(
    loadConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: pair.cert, TEMPORAL_TLS_CLIENT_KEY_PATH: pair.key }),
  );
  try {
    readTlsMaterial(settings);
  } catch (error) {
    if (error instanceof TemporalSettingRefused) return error.message;
    throw error;
  }
  return 'accepted';
}

const der = (pair: CertificatePair) => new X509Certificate(readFileSync(pair.cert)).raw;

describe('the X.509 version and critical extensions, read from the DER', () => {
  it('reads v3 where the version is given and v1 where it is absent', () => {
    expect(x509Version(der(certificates.client))).toBe(3);
    expect(x509Version(der(certificates.v1Client))).toBe(1);
    expect(new X509Certificate(readFileSync(certificates.v1Client.cert)).subject).toBe('CN=jao-worker');
  });

  it('lists the critical extensions by object identifier', () => {
    expect(criticalExtensions(der(certificates.client))).toEqual([]);
    expect(criticalExtensions(der(certificates.v1Client))).toEqual([]);
    expect(criticalExtensions(der(criticalPolicies))).toEqual(['2.5.29.32']);
    expect(criticalExtensions(der(criticalKeyUsage))).toEqual(['2.5.29.19', '2.5.29.15']);
  });

  it('reads v2 from the version field (a v3 certificate with its version rewritten)', () => {
    const v2 = Buffer.from(der(certificates.client));
    // Certificate and TBSCertificate headers, then [0] EXPLICIT { INTEGER 2 }: a0 03 02 01 02
    const at = v2.indexOf(Buffer.from([0xa0, 0x03, 0x02, 0x01, 0x02]));
    expect(at).toBeGreaterThan(0);
    v2[at + 4] = 1;
    expect(x509Version(v2)).toBe(2);
    const certificate = new X509Certificate(v2);
    expect(clientCertificateProblem(certificate, 'TEMPORAL_TLS_CLIENT_CERT_DATA')).toMatch(
      /^the client certificate of TEMPORAL_TLS_CLIENT_CERT_DATA is an X\.509 v2 certificate, which the worker's TLS \(rustls\) does not take: re-issue it as an X\.509 v3 certificate/,
    );
  });

  it('throws on DER that is cut short, rather than reading past it', () => {
    const whole = der(certificates.client);
    expect(() => x509Version(whole.subarray(0, 20))).toThrow();
    expect(() => criticalExtensions(whole.subarray(0, whole.length - 40))).toThrow();
  });
});

describe('a client certificate the worker cannot use, refused before connecting', () => {
  it('refuses an X.509 v1 certificate, naming the variable and how to re-issue it', () => {
    expect(refusal(certificates.v1Client)).toBe(
      'the client certificate of TEMPORAL_TLS_CLIENT_CERT_PATH is an X.509 v1 certificate, which the ' +
        "worker's TLS (rustls) does not take: re-issue it as an X.509 v3 certificate (openssl x509 -req makes v1 " +
        'without -extfile: give it one with basicConstraints=CA:FALSE and extendedKeyUsage=clientAuth)',
    );
  });

  it('names the _DATA variable when the certificate is given inline', () => {
    const settings = temporalSettingsOf(
      loadConfig({
        TEMPORAL_TLS_CLIENT_CERT_DATA: readFileSync(certificates.v1Client.cert, 'utf8'),
        TEMPORAL_TLS_CLIENT_KEY_DATA: readFileSync(certificates.v1Client.key, 'utf8'),
      }),
    );
    expect(() => readTlsMaterial(settings)).toThrow(
      /^the client certificate of TEMPORAL_TLS_CLIENT_CERT_DATA is an X\.509 v1 certificate/,
    );
  });

  it('refuses a critical extension rustls does not know, and takes the ones it does', () => {
    expect(refusal(criticalPolicies)).toBe(
      'the client certificate of TEMPORAL_TLS_CLIENT_CERT_PATH has a critical certificatePolicies extension, ' +
        "which the worker's TLS (rustls) does not take: re-issue it with that extension not critical, or without it",
    );
    expect(refusal(criticalKeyUsage)).toBe('accepted');
  });

  it('refuses a key type or size ring cannot sign with, and takes those it can', () => {
    const takes = 'an ECDSA P-256 or P-384, Ed25519, or RSA 2048–4096-bit key';
    expect(refusal(p521)).toBe(
      'the client certificate of TEMPORAL_TLS_CLIENT_CERT_PATH has an EC key on secp521r1, which the ' +
        `worker's TLS (rustls) does not take: re-issue it with ${takes}`,
    );
    expect(refusal(rsa1024)).toMatch(
      /has an RSA 1024-bit key, which the worker's TLS \(rustls\) does not take/,
    );
    expect(refusal(rsa2048)).toBe('accepted');
    expect(refusal(ed25519)).toBe('accepted');
    expect(refusal(certificates.client)).toBe('accepted');
  });

  it('names a file that holds no certificate', () => {
    writeFileSync(join(dir, 'not-a-certificate.pem'), readFileSync(certificates.client.key));
    const line = refusal({ cert: join(dir, 'not-a-certificate.pem'), key: certificates.client.key });
    expect(line).toBe('TEMPORAL_TLS_CLIENT_CERT_PATH does not hold a PEM certificate (client certificate)');
  });

  it('checks the key matches first, and never prints a key', () => {
    const line = refusal({ cert: certificates.v1Client.cert, key: certificates.strayKey });
    expect(line).toBe(
      'the key of TEMPORAL_TLS_CLIENT_KEY_PATH is not the key of the certificate of TEMPORAL_TLS_CLIENT_CERT_PATH',
    );
    for (const pair of [certificates.v1Client, p521, rsa1024, criticalPolicies]) {
      const keyLines = readFileSync(pair.key, 'utf8')
        .split('\n')
        .filter((text) => text.length >= 40 && !text.startsWith('-----'));
      const said = refusal(pair);
      expect(said).not.toMatch(/PRIVATE KEY/);
      for (const keyLine of keyLines) expect(said).not.toContain(keyLine);
    }
  });

  it('gives a line for a certificate Node parses but whose DER the reader cannot follow', () => {
    const certificate = new X509Certificate(readFileSync(certificates.client.cert));
    const broken = Object.create(certificate, { raw: { value: Buffer.from([0x30, 0x03, 0x02]) } });
    expect(clientCertificateProblem(broken, 'TEMPORAL_TLS_CLIENT_CERT_PATH')).toBe(
      'the client certificate of TEMPORAL_TLS_CLIENT_CERT_PATH is not a well-formed X.509 certificate (DER): ' +
        're-issue it as an X.509 v3 certificate',
    );
  });
});
