// Why a connection to Temporal failed, in one line naming the setting to change. The SDK's own words rarely say it
// ("Failed to connect before the deadline"), so after a failed connection this asks the transport itself: TCP, then
// the TLS handshake with the same CA, client certificate and server name, then what the server answered.
import { connect as tcpConnect } from 'node:net';
import { checkServerIdentity, type TLSSocket, connect as tlsConnect } from 'node:tls';
import type { TemporalSettings } from './temporalSettings';

/** The PEM texts of a connection's TLS settings, as read for it (common/temporalConnect.ts). */
export interface TlsMaterial {
  serverName?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

const DIAGNOSIS_TIMEOUT_MS = 3_000;

/** host and port of TEMPORAL_ADDRESS (`host:port`, `[v6]:port`). */
export function splitAddress(address: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address.trim());
  if (!match) return { host: address, port: 7233 };
  return { host: match[1]!, port: Number(match[2]) };
}

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(':');

type Probe<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

function tcpProbe(host: string, port: number): Promise<Probe<null>> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (result: Probe<null>) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(DIAGNOSIS_TIMEOUT_MS, () =>
      done({ ok: false, code: 'ETIMEDOUT', message: 'timed out' }),
    );
    socket.once('connect', () => done({ ok: true, value: null }));
    socket.once('error', (error) => done({ ok: false, code: errorCode(error), message: error.message }));
  });
}

interface HandshakeOutcome {
  authorizationError: string | null;
  /** What the server did after the handshake: 'data' (it spoke), or the error that ended the connection. */
  after: { code: string; message: string } | 'data' | 'closed';
}

/** A TLS handshake as the SDK would make it, then a short wait for the server's first bytes (HTTP/2 settings). */
function tlsProbe(
  host: string,
  port: number,
  material: TlsMaterial | null,
): Promise<Probe<HandshakeOutcome>> {
  return new Promise((resolve) => {
    const serverName = material?.serverName ?? (isIp(host) ? undefined : host);
    const socket: TLSSocket = tlsConnect({
      host,
      port,
      ALPNProtocols: ['h2'],
      rejectUnauthorized: false,
      ...(serverName ? { servername: serverName } : {}),
      ...(material?.ca ? { ca: material.ca } : {}),
      ...(material?.cert ? { cert: material.cert } : {}),
      ...(material?.key ? { key: material.key } : {}),
    });
    let secure = false;
    let authorizationError: string | null = null;
    const done = (result: Probe<HandshakeOutcome>) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      if (secure) done({ ok: true, value: { authorizationError, after: 'data' } });
      else done({ ok: false, code: 'ETIMEDOUT', message: 'no TLS answer' });
    }, DIAGNOSIS_TIMEOUT_MS);
    socket.once('secureConnect', () => {
      secure = true;
      authorizationError = socket.authorized ? null : String(socket.authorizationError ?? 'unauthorized');
      // The probe accepts any certificate so that it can say why; the name check the SDK makes is done here.
      const nameError = socket.authorized
        ? checkServerIdentity(serverName ?? host, socket.getPeerCertificate())
        : undefined;
      if (nameError) authorizationError = errorCode(nameError) || 'ERR_TLS_CERT_ALTNAME_INVALID';
      if (authorizationError) return done({ ok: true, value: { authorizationError, after: 'data' } });
      // The HTTP/2 client preface: a server that refuses the client's certificate says so now (TLS 1.3 alerts
      // come after the handshake); one that accepts it answers with its settings.
      socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00');
    });
    socket.once('data', () => done({ ok: true, value: { authorizationError, after: 'data' } }));
    socket.once('error', (error) => {
      const failure = { code: errorCode(error), message: error.message };
      done(secure ? { ok: true, value: { authorizationError, after: failure } } : { ok: false, ...failure });
    });
    socket.once('close', () => {
      if (secure) done({ ok: true, value: { authorizationError, after: 'closed' } });
      else done({ ok: false, code: 'ECONNRESET', message: 'closed during the TLS handshake' });
    });
  });
}

const UNTRUSTED_ISSUER = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

const notTls = (code: string, message: string) =>
  /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|RECORD_LAYER_FAILURE|HTTP_REQUEST/i.test(
    `${code} ${message}`,
  ) || code === 'ECONNRESET';

export interface TransportDiagnosis {
  reason: string;
  /** Nothing answered at the address: it may be down, or the address is wrong. Otherwise a setting is wrong. */
  unreachable: boolean;
}

const unreachable = (reason: string): TransportDiagnosis => ({ reason, unreachable: true });

/** The transport's reason for a failed connection, or null when TCP and TLS both work (the cause lies above). */
export async function diagnoseTransport(
  settings: TemporalSettings,
  material: TlsMaterial | null,
): Promise<TransportDiagnosis | null> {
  const diagnosis = await diagnoseSecurity(settings, material);
  return typeof diagnosis === 'string' ? { reason: diagnosis, unreachable: false } : diagnosis;
}

async function diagnoseSecurity(
  settings: TemporalSettings,
  material: TlsMaterial | null,
): Promise<string | TransportDiagnosis | null> {
  const { address } = settings;
  const { host, port } = splitAddress(address);
  const tcp = await tcpProbe(host, port);
  if (!tcp.ok) {
    if (tcp.code === 'ECONNREFUSED')
      return unreachable(`nothing listens at ${address} (TEMPORAL_ADDRESS): connection refused`);
    if (tcp.code === 'ENOTFOUND' || tcp.code === 'EAI_AGAIN')
      return unreachable(`the host of TEMPORAL_ADDRESS=${address} is not known (${tcp.code})`);
    if (tcp.code === 'ETIMEDOUT')
      return unreachable(
        `${address} (TEMPORAL_ADDRESS) does not answer within ${DIAGNOSIS_TIMEOUT_MS / 1000} s`,
      );
    return unreachable(`${address} (TEMPORAL_ADDRESS) cannot be reached: ${tcp.message}`);
  }
  if (!settings.tls) {
    const probe = await tlsProbe(host, port, null);
    if (probe.ok)
      return (
        `Temporal at ${address} takes TLS only, and TLS is off: set TEMPORAL_TLS=true ` +
        '(with TEMPORAL_TLS_SERVER_CA_CERT_PATH when its CA is not a system CA)'
      );
    return null;
  }
  const probe = await tlsProbe(host, port, material);
  if (!probe.ok) {
    if (notTls(probe.code, probe.message))
      return `Temporal at ${address} does not speak TLS: set TEMPORAL_TLS=false, or check TEMPORAL_ADDRESS`;
    return `the TLS handshake with ${address} failed (TEMPORAL_TLS): ${probe.code || probe.message}`;
  }
  const { authorizationError, after } = probe.value;
  if (authorizationError) {
    const caSetting = settings.tls.serverCa?.setting;
    if (UNTRUSTED_ISSUER.has(authorizationError))
      return caSetting
        ? `the certificate of Temporal at ${address} is not signed by the CA of ${caSetting}`
        : `the certificate of Temporal at ${address} is signed by a CA this machine does not trust: ` +
            'set TEMPORAL_TLS_SERVER_CA_CERT_PATH to that CA';
    if (authorizationError === 'CERT_HAS_EXPIRED')
      return `the certificate of Temporal at ${address} has expired (${authorizationError})`;
    if (authorizationError.startsWith('ERR_TLS_CERT_ALTNAME') || authorizationError.includes('altname'))
      return (
        `the certificate of Temporal at ${address} does not name ${settings.tls.serverName ?? host}: ` +
        'set TEMPORAL_TLS_SERVER_NAME to a name it carries'
      );
    return `the certificate of Temporal at ${address} is not accepted: ${authorizationError}`;
  }
  if (after === 'data') return null;
  const refusal = after === 'closed' ? 'closed' : `${after.code} ${after.message}`;
  const clientCert = settings.tls.clientCert;
  // Closed right after the handshake, before any HTTP/2 frame: the server did not accept who we are.
  if (clientCert)
    return (
      `Temporal at ${address} refused the client certificate of ${clientCert.setting}: ` +
      'it is not signed by a CA the server trusts, or it is revoked'
    );
  if (/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|closed|ECONNRESET/i.test(refusal))
    return (
      `Temporal at ${address} requires a client certificate (mTLS): set TEMPORAL_TLS_CLIENT_CERT_PATH and ` +
      'TEMPORAL_TLS_CLIENT_KEY_PATH'
    );
  return null;
}
