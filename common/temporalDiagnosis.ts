// Why a connection to Temporal failed, in one line naming the setting to change. The SDK's own words rarely say it
// ("Failed to connect before the deadline"), so after a failed connection this asks the transport itself: TCP, then
// the TLS handshake with the same CA, client certificate and server name, then what the server answered: to the
// HTTP/2 preface, and to a request. A front (nginx, Envoy, an ingress) that requires a client certificate does not
// always refuse the handshake as the Temporal server does: nginx completes it and answers each request with HTTP 400
// ("No required SSL certificate was sent"), so the request's answer is read too.
import { connect as http2Connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { checkServerIdentity, type TLSSocket, connect as tlsConnect } from 'node:tls';
import type { TLSConfig } from '@temporalio/client';
import { tcpConnectOutcome } from './ports';
import type { TemporalSettings } from './temporalSettings';

/** A connection's TLS, its PEM texts as read for it (common/temporalConnect.ts): what the SDK's connections take. */
export type TlsMaterial = TLSConfig;

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

interface HandshakeOutcome {
  authorizationError: string | null;
  /** The protocol the server chose (ALPN): 'h2' for a gRPC frontend or front. */
  alpn: string | false;
  /** What the server did after the handshake: 'data' (it spoke), or the error that ended the connection. */
  after: { code: string; message: string } | 'data' | 'closed';
}

/** The TLS options of every probe: those of the connection, but any server certificate accepted (to say why). */
function probeTlsOptions(host: string, port: number, material: TlsMaterial | null) {
  const serverName = material?.serverNameOverride ?? (isIp(host) ? undefined : host);
  const certPair = material?.clientCertPair;
  return {
    host,
    port,
    ALPNProtocols: ['h2', 'http/1.1'],
    rejectUnauthorized: false,
    ...(serverName ? { servername: serverName } : {}),
    ...(material?.serverRootCACertificate ? { ca: Buffer.from(material.serverRootCACertificate) } : {}),
    ...(certPair ? { cert: Buffer.from(certPair.crt), key: Buffer.from(certPair.key) } : {}),
  };
}

/** A TLS handshake as the SDK would make it, then a short wait for the server's first bytes (HTTP/2 settings). */
function tlsProbe(
  host: string,
  port: number,
  material: TlsMaterial | null,
): Promise<Probe<HandshakeOutcome>> {
  return new Promise((resolve) => {
    const options = probeTlsOptions(host, port, material);
    const socket: TLSSocket = tlsConnect(options);
    let secure = false;
    let authorizationError: string | null = null;
    let alpn: string | false = false;
    const done = (result: Probe<HandshakeOutcome>) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    /** After the handshake, what the server did then; before it, why the handshake did not end. */
    const ended = (after: HandshakeOutcome['after'], failure: { code: string; message: string }) =>
      done(secure ? { ok: true, value: { authorizationError, alpn, after } } : { ok: false, ...failure });
    const timer = setTimeout(
      () => ended('data', { code: 'ETIMEDOUT', message: 'no TLS answer' }),
      DIAGNOSIS_TIMEOUT_MS,
    );
    socket.once('secureConnect', () => {
      secure = true;
      alpn = socket.alpnProtocol ?? false;
      authorizationError = socket.authorized ? null : String(socket.authorizationError ?? 'unauthorized');
      // The probe accepts any certificate so that it can say why; the name check the SDK makes is done here.
      const nameError = socket.authorized
        ? checkServerIdentity(options.servername ?? host, socket.getPeerCertificate())
        : undefined;
      if (nameError) authorizationError = errorCode(nameError) || 'ERR_TLS_CERT_ALTNAME_INVALID';
      if (authorizationError) return done({ ok: true, value: { authorizationError, alpn, after: 'data' } });
      // The HTTP/2 client preface: a server that refuses the client's certificate says so now (TLS 1.3 alerts
      // come after the handshake); one that accepts it answers with its settings.
      socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00');
    });
    socket.once('data', () => done({ ok: true, value: { authorizationError, alpn, after: 'data' } }));
    socket.once('error', (error) => {
      const failure = { code: errorCode(error), message: error.message };
      ended(failure, failure);
    });
    socket.once('close', () =>
      ended('closed', { code: 'ECONNRESET', message: 'closed during the TLS handshake' }),
    );
  });
}

/** What a server answered to a request: its HTTP status and the start of its body. */
interface HttpAnswer {
  status: number;
  body: string;
}

const BODY_LIMIT = 2_048;

/**
 * A gRPC health check over HTTP/2 (or a GET / over HTTP/1.1 where the server chose it), with the connection's TLS
 * settings: a Temporal frontend answers it with gRPC; a front that wants another certificate answers with an HTTP
 * error. Null when no answer came.
 */
function httpProbe(
  host: string,
  port: number,
  material: TlsMaterial | null,
  alpn: string | false,
): Promise<HttpAnswer | null> {
  return new Promise((resolve) => {
    const options = probeTlsOptions(host, port, material);
    const cleanups: (() => void)[] = [];
    const done = (answer: HttpAnswer | null) => {
      clearTimeout(timer);
      for (const cleanup of cleanups) cleanup();
      resolve(answer);
    };
    const timer = setTimeout(() => done(null), DIAGNOSIS_TIMEOUT_MS);
    const collect = (status: number, stream: NodeJS.ReadableStream) => {
      let body = '';
      stream.on('data', (chunk: Buffer | string) => {
        body += chunk.toString();
        if (body.length >= BODY_LIMIT) done({ status, body: body.slice(0, BODY_LIMIT) });
      });
      stream.on('end', () => done({ status, body }));
      stream.on('error', () => done({ status, body }));
    };
    if (alpn === 'h2') {
      const authority = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
      const session = http2Connect(authority, { ...options, ALPNProtocols: ['h2'] });
      cleanups.push(() => session.destroy());
      session.on('error', () => done(null));
      const stream = session.request({
        ':method': 'POST',
        ':path': '/grpc.health.v1.Health/Check',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      stream.on('error', () => done(null));
      stream.on('response', (headers) => collect(Number(headers[':status'] ?? 0), stream));
      stream.end(Buffer.alloc(5)); // an empty message: no compression flag, length 0
      return;
    }
    const { ALPNProtocols: _h2First, ...http1 } = options;
    const request = httpsRequest({ ...http1, method: 'GET', path: '/', agent: false });
    cleanups.push(() => request.destroy());
    request.on('error', () => done(null));
    request.on('response', (response) => collect(response.statusCode ?? 0, response));
    request.end();
  });
}

/** An HTTP answer that says the client's certificate is missing or refused (nginx: 400, or its 495 and 496). */
const refusesCertificate = (answer: HttpAnswer | null) =>
  answer !== null &&
  (answer.status === 495 ||
    answer.status === 496 ||
    (answer.status === 400 && /certificate/i.test(answer.body)));

/** TLS alerts a server sends when it wants a client certificate it did not get, or does not accept the one it got. */
const CERTIFICATE_ALERT =
  /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|alert number (116|40|42|43|46|48)\b/i;

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
  const tcp = await tcpConnectOutcome(host, port, DIAGNOSIS_TIMEOUT_MS);
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
  const clientCert = settings.tls.clientCert;
  const certificateRefused = () =>
    clientCert
      ? `Temporal at ${address} refused the client certificate of ${clientCert.setting}: ` +
        'it is not signed by a CA the server trusts, or it is revoked'
      : `Temporal at ${address} (TEMPORAL_ADDRESS) requires a client certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH ` +
        'and TEMPORAL_TLS_CLIENT_KEY_PATH';
  if (!probe.ok) {
    // TLS 1.2: a server that wants a client certificate ends the handshake itself with an alert.
    if (CERTIFICATE_ALERT.test(`${probe.code} ${probe.message}`)) return certificateRefused();
    // Some close the connection without an alert when they refuse the certificate given: without it, the same
    // server then asks for one (an alert), or lets the handshake through.
    if (clientCert && material) {
      const bare = await tlsProbe(host, port, { ...material, clientCertPair: undefined });
      if (bare.ok || CERTIFICATE_ALERT.test(`${bare.code} ${bare.message}`)) return certificateRefused();
    }
    if (notTls(probe.code, probe.message))
      return `Temporal at ${address} does not speak TLS: set TEMPORAL_TLS=false, or check TEMPORAL_ADDRESS`;
    return `the TLS handshake with ${address} failed (TEMPORAL_TLS): ${probe.code || probe.message}`;
  }
  const { authorizationError, alpn, after } = probe.value;
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
  if (after === 'data') {
    // The server speaks: a front may still refuse every request for want of the right client certificate.
    return refusesCertificate(await httpProbe(host, port, material, alpn)) ? certificateRefused() : null;
  }
  const refusal = after === 'closed' ? 'closed' : `${after.code} ${after.message}`;
  // Closed right after the handshake, before any HTTP/2 frame: the server did not accept who we are (TLS 1.3 sends
  // its alert only once the client's side of the handshake is done).
  const refused = clientCert || CERTIFICATE_ALERT.test(refusal) || /closed|ECONNRESET/i.test(refusal);
  return refused ? certificateRefused() : null;
}
