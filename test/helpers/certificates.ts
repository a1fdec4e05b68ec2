// The certificates and keys of the TLS tests, made with openssl in a directory of the run's own (never committed):
// a CA and what it signs (the server's certificate for 127.0.0.1 and localhost, a client certificate, an expired
// one, an X.509 v1 one), a second CA with a client certificate of its own, and a key that belongs to no certificate.
// makeClientCertificate makes others (another key type, other extensions) for the checks of a certificate's use.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths of a certificate (PEM) and its private key (PKCS#8 PEM). */
export interface CertificatePair {
  cert: string;
  key: string;
}

export interface TestCertificates {
  dir: string;
  /** Signs the server's certificate and the client certificates the server trusts. */
  ca: CertificatePair;
  /** CN=localhost, SAN IP:127.0.0.1 and DNS:localhost, serverAuth. */
  server: CertificatePair;
  /** Signed by `ca`, clientAuth. */
  client: CertificatePair;
  /** A CA the server does not know. */
  otherCa: CertificatePair;
  /** Signed by `otherCa`. */
  otherClient: CertificatePair;
  /** Signed by `ca`, valid from two days ago until yesterday. */
  expiredClient: CertificatePair;
  /** Signed by `ca`, X.509 v1 (no extensions): Node's TLS takes it, the worker's (rustls) does not. */
  v1Client: CertificatePair;
  /** A private key that belongs to no certificate here (for `client.cert`, a key that does not match). */
  strayKey: string;
}

const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const VALID_DAYS = '2';

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
}

async function makeCa(dir: string, name: string, subject: string): Promise<CertificatePair> {
  const pair = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  await openssl(dir, [
    'req',
    '-x509',
    ...KEY_ARGS,
    '-keyout',
    pair.key,
    '-out',
    pair.cert,
    '-days',
    VALID_DAYS,
    '-subj',
    subject,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return pair;
}

/** openssl's `ca` (the one that takes explicit dates) with a database of its own in `dir`. */
function caConfig(dir: string): string {
  const path = join(dir, 'ca.cnf');
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    path,
    [
      '[ ca ]',
      'default_ca = test_ca',
      '[ test_ca ]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir',
      'serial = $dir/serial',
      'default_md = sha256',
      'policy = any_name',
      'unique_subject = no',
      '[ any_name ]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  return path;
}

function utcStamp(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

interface LeafOptions {
  dir: string;
  name: string;
  subject: string;
  /** None: an X.509 v1 certificate (`openssl x509 -req` without -extfile). */
  extensions: string[];
  signer: CertificatePair;
  /** openssl req's key options; an EC P-256 key when absent. */
  keyArgs?: string[];
  /** Explicit validity (openssl `ca`); `VALID_DAYS` from now when absent. */
  validity?: { from: Date; to: Date };
}

async function makeLeaf(options: LeafOptions): Promise<CertificatePair> {
  const { dir, name, signer } = options;
  const pair = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const extensions = join(dir, `${name}.ext`);
  writeFileSync(extensions, `${options.extensions.join('\n')}\n`);
  await openssl(dir, [
    'req',
    '-new',
    ...(options.keyArgs ?? KEY_ARGS),
    '-keyout',
    pair.key,
    '-out',
    csr,
    '-subj',
    options.subject,
  ]);
  if (options.validity) {
    await openssl(dir, [
      'ca',
      '-batch',
      '-notext',
      '-config',
      caConfig(dir),
      '-cert',
      signer.cert,
      '-keyfile',
      signer.key,
      '-in',
      csr,
      '-out',
      pair.cert,
      '-startdate',
      utcStamp(options.validity.from),
      '-enddate',
      utcStamp(options.validity.to),
      '-extfile',
      extensions,
    ]);
  } else {
    await openssl(dir, [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      signer.cert,
      '-CAkey',
      signer.key,
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      VALID_DAYS,
      '-out',
      pair.cert,
      ...(options.extensions.length > 0 ? ['-extfile', extensions] : []),
    ]);
  }
  return pair;
}

const CLIENT_EXTENSIONS = [
  'basicConstraints=CA:FALSE',
  'keyUsage=digitalSignature',
  'extendedKeyUsage=clientAuth',
];

/** Every certificate and key of the tests, written into `dir` (which the caller removes). */
export async function generateCertificates(dir: string): Promise<TestCertificates> {
  const [ca, otherCa] = await Promise.all([
    makeCa(dir, 'ca', '/CN=jao-scraper test CA'),
    makeCa(dir, 'other-ca', '/CN=jao-scraper unrelated CA'),
  ]);
  const day = 24 * 3600_000;
  const now = Date.now();
  const [server, client, otherClient, expiredClient, v1Client] = await Promise.all([
    makeLeaf({
      dir,
      name: 'server',
      subject: '/CN=localhost',
      extensions: SERVER_EXTENSIONS,
      signer: ca,
    }),
    makeLeaf({ dir, name: 'client', subject: '/CN=jao-worker', extensions: CLIENT_EXTENSIONS, signer: ca }),
    makeLeaf({
      dir,
      name: 'other-client',
      subject: '/CN=jao-worker',
      extensions: CLIENT_EXTENSIONS,
      signer: otherCa,
    }),
    makeLeaf({
      dir,
      name: 'expired-client',
      subject: '/CN=jao-worker',
      extensions: CLIENT_EXTENSIONS,
      signer: ca,
      validity: { from: new Date(now - 2 * day), to: new Date(now - day) },
    }),
    makeLeaf({ dir, name: 'v1-client', subject: '/CN=jao-worker', extensions: [], signer: ca }),
    openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'stray.key']),
  ]);
  return {
    dir,
    ca,
    server,
    client,
    otherCa,
    otherClient,
    expiredClient,
    v1Client,
    strayKey: join(dir, 'stray.key'),
  };
}

/**
 * A client certificate signed by `signer`, with the key openssl's `req` makes from `keyArgs` (e.g. `['-newkey',
 * 'ed25519', '-nodes']`), the given extensions (none: X.509 v1) and validity, written into `dir` as
 * `<name>.pem`/`.key`.
 */
export function makeClientCertificate(
  dir: string,
  name: string,
  signer: CertificatePair,
  options: { keyArgs?: string[]; extensions?: string[]; validity?: { from: Date; to: Date } } = {},
): Promise<CertificatePair> {
  return makeLeaf({
    dir,
    name,
    subject: '/CN=jao-worker',
    extensions: options.extensions ?? CLIENT_EXTENSIONS,
    signer,
    ...(options.keyArgs ? { keyArgs: options.keyArgs } : {}),
    ...(options.validity ? { validity: options.validity } : {}),
  });
}

/** The extensions of `TestCertificates.server`: a server certificate for 127.0.0.1 and localhost. */
export const SERVER_EXTENSIONS = [
  'basicConstraints=CA:FALSE',
  'keyUsage=digitalSignature,keyEncipherment',
  'extendedKeyUsage=serverAuth',
  'subjectAltName=IP:127.0.0.1,DNS:localhost',
];

/** The base64 body lines of every private key in the set: no process output may contain any of them. */
export function privateKeyMarkers(certificates: TestCertificates): string[] {
  const keys = [
    certificates.ca.key,
    certificates.server.key,
    certificates.client.key,
    certificates.otherCa.key,
    certificates.otherClient.key,
    certificates.expiredClient.key,
    certificates.v1Client.key,
    certificates.strayKey,
  ];
  return keys.flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.length >= 40 && !line.startsWith('-----')),
  );
}
