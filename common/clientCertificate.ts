// Whether the worker's TLS can use a client certificate. The worker connects through Temporal's Rust core (tonic,
// rustls with ring), which takes less than Node's OpenSSL, with which the CLI and the API connect: it refuses an
// X.509 v1 or v2 certificate, a critical extension it does not know, and keys other than ECDSA P-256/P-384, Ed25519
// and RSA of 2048 to 4096 bits. Checked before any connection (common/temporalConnect.ts), so that the CLI does not
// connect with a certificate that the worker then dies on. Node's X509Certificate gives neither the version nor the
// extensions' criticality: both are read from its DER here.
import type { KeyObject, X509Certificate } from 'node:crypto';

/** One DER element: its tag, and where its content starts and ends in the buffer. */
interface Element {
  tag: number;
  start: number;
  end: number;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BOOLEAN = 0x01;
const OBJECT_IDENTIFIER = 0x06;
/** TBSCertificate's `version [0] EXPLICIT` and `extensions [3] EXPLICIT`. */
const VERSION_TAG = 0xa0;
const EXTENSIONS_TAG = 0xa3;

class DerError extends Error {}

function element(der: Uint8Array, offset: number, limit = der.length): Element {
  if (offset + 2 > limit) throw new DerError('truncated');
  const tag = der[offset]!;
  const first = der[offset + 1]!;
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4 || start + octets > limit) throw new DerError('bad length');
    length = 0;
    for (let index = 0; index < octets; index++) length = length * 256 + der[start + index]!;
    start += octets;
  }
  if (start + length > limit) throw new DerError('truncated');
  return { tag, start, end: start + length };
}

function children(der: Uint8Array, parent: Element): Element[] {
  const found: Element[] = [];
  for (let offset = parent.start; offset < parent.end; ) {
    const child = element(der, offset, parent.end);
    found.push(child);
    offset = child.end;
  }
  return found;
}

function tagged(child: Element | undefined, tag: number): Element {
  if (!child || child.tag !== tag) throw new DerError(`expected tag ${tag}`);
  return child;
}

/** The elements of TBSCertificate. */
function tbsCertificate(der: Uint8Array): Element[] {
  const certificate = tagged(element(der, 0), SEQUENCE);
  const tbs = tagged(children(der, certificate)[0], SEQUENCE);
  return children(der, tbs);
}

/** The certificate's X.509 version: 1, 2 or 3 (`version` absent means v1). */
export function x509Version(der: Uint8Array): number {
  const first = tbsCertificate(der)[0];
  if (!first || first.tag !== VERSION_TAG) return 1;
  const version = tagged(children(der, first)[0], INTEGER);
  if (version.end - version.start !== 1) throw new DerError('bad version');
  return der[version.start]! + 1;
}

function objectIdentifier(der: Uint8Array, oid: Element): string {
  const arcs: number[] = [];
  let value = 0;
  for (let index = oid.start; index < oid.end; index++) {
    value = value * 128 + (der[index]! & 0x7f);
    if ((der[index]! & 0x80) === 0) {
      if (arcs.length === 0)
        arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

/** The object identifiers of the certificate's critical extensions. */
export function criticalExtensions(der: Uint8Array): string[] {
  const extensions = tbsCertificate(der).find((child) => child.tag === EXTENSIONS_TAG);
  if (!extensions) return [];
  const list = tagged(children(der, extensions)[0], SEQUENCE);
  return children(der, list).flatMap((extension) => {
    const [oid, second] = children(der, tagged(extension, SEQUENCE));
    const critical = second?.tag === BOOLEAN && der[second.start] !== 0;
    return critical ? [objectIdentifier(der, tagged(oid, OBJECT_IDENTIFIER))] : [];
  });
}

/** The critical extensions rustls's certificate parser (webpki) understands; any other critical one is refused. */
const UNDERSTOOD_CRITICAL = new Set([
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.30', // nameConstraints
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.37', // extKeyUsage
]);

const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.18': 'issuerAltName',
  '2.5.29.32': 'certificatePolicies',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.36': 'policyConstraints',
  '2.5.29.54': 'inhibitAnyPolicy',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
  '1.3.6.1.5.5.7.1.24': 'tlsfeature',
};

/** RSA moduli ring signs with (it refuses a smaller or larger key when the worker loads it). */
const RSA_BITS = { min: 2048, max: 4096 };
const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384' };

const KEYS_TAKEN = `an ECDSA P-256 or P-384, Ed25519, or RSA ${RSA_BITS.min}–${RSA_BITS.max}-bit key`;

/** The key's kind in words, when the worker's TLS cannot sign with it; null when it can. */
export function unusableKey(key: KeyObject): string | null {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'ed25519') return null;
  if (type === 'ec') {
    const curve = details.namedCurve ?? 'unknown curve';
    return curve in CURVES ? null : `an EC key on ${curve}`;
  }
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    return bits >= RSA_BITS.min && bits <= RSA_BITS.max ? null : `an RSA ${bits}-bit key`;
  }
  if (type === 'rsa-pss') return 'an RSA-PSS key';
  return `a key of type ${type ?? 'unknown'}`;
}

/**
 * Why the worker's TLS cannot use this client certificate, in one line naming its setting and the fix; null when
 * it can. `certificate` has been parsed by Node and matched with its key already.
 */
export function clientCertificateProblem(certificate: X509Certificate, setting: string): string | null {
  const refused = `the client certificate of ${setting}`;
  const rustls = "which the worker's TLS (rustls) does not take";
  let version: number;
  let critical: string[];
  try {
    version = x509Version(certificate.raw);
    critical = criticalExtensions(certificate.raw);
  } catch {
    return `${refused} is not a well-formed X.509 certificate (DER): re-issue it as an X.509 v3 certificate`;
  }
  if (version !== 3)
    return (
      `${refused} is an X.509 v${version} certificate, ${rustls}: re-issue it as an X.509 v3 certificate ` +
      '(openssl x509 -req makes v1 without -extfile: give it one with basicConstraints=CA:FALSE and ' +
      'extendedKeyUsage=clientAuth)'
    );
  const unknown = critical.filter((oid) => !UNDERSTOOD_CRITICAL.has(oid));
  if (unknown.length > 0)
    return (
      `${refused} has a critical ${unknown.map((oid) => EXTENSION_NAMES[oid] ?? oid).join(', ')} extension, ` +
      `${rustls}: re-issue it with that extension not critical, or without it`
    );
  const key = unusableKey(certificate.publicKey);
  if (key) return `${refused} has ${key}, ${rustls}: re-issue it with ${KEYS_TAKEN}`;
  return null;
}
