// A front that requires a client certificate is named as such, whatever answers the handshake
// (common/temporalDiagnosis.ts): one that completes the handshake and answers each request with HTTP 400, as nginx
// with `ssl_verify_client on` does, and one that ends a TLS 1.2 handshake with an alert, as Envoy can. Both stand-ins
// are Node servers on 127.0.0.1 (test:temporal-auth runs nginx itself). Each other mistake the transport names (TLS
// off or on against the wrong server, the server's CA, its name and validity, nothing listening) against a stand-in
// of its own.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type TLSSocket, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config';
import { explainConnectFailure, readTlsMaterial } from '../../common/temporalConnect';
import { diagnoseTransport } from '../../common/temporalDiagnosis';
import { temporalSettingsOf } from '../../common/temporalSettings';
import {
  generateCertificates,
  makeClientCertificate,
  SERVER_EXTENSIONS,
  type TestCertificates,
} from '../helpers/certificates';

let certificates: TestCertificates;
let nginxLike: Http2SecureServer;
let nginxHttp1: HttpsServer;
let tls12: TlsServer;
const addressOf = (server: { address(): AddressInfo | string | null }) =>
  `127.0.0.1:${(server.address() as AddressInfo).port}`;

beforeAll(async () => {
  certificates = await generateCertificates(mkdtempSync(join(tmpdir(), 'jao-diagnosis-')));
  const serverTls = {
    cert: readFileSync(certificates.server.cert),
    key: readFileSync(certificates.server.key),
    ca: readFileSync(certificates.ca.cert),
    requestCert: true,
  };
  // nginx's answers to a request without the certificate it verifies, or with one it does not trust.
  nginxLike = createSecureServer({ ...serverTls, rejectUnauthorized: false }, (request, response) => {
    const socket = request.socket as TLSSocket;
    const presented = Object.keys(socket.getPeerCertificate()).length > 0;
    if (socket.authorized) return response.writeHead(200, { 'content-type': 'application/grpc' }).end();
    response.writeHead(400, { 'content-type': 'text/html' });
    response.end(
      `<html><head><title>400 ${presented ? 'The SSL certificate error' : 'No required SSL certificate was sent'}</title></head></html>`,
    );
  });
  // nginx without `http2` on its listen line: the same answer over HTTP/1.1.
  nginxHttp1 = createHttpsServer({ ...serverTls, rejectUnauthorized: false }, (request, response) => {
    const authorized = (request.socket as TLSSocket).authorized;
    response.writeHead(authorized ? 200 : 400, { 'content-type': 'text/html' });
    response.end(
      authorized ? 'ok' : '<html><head><title>400 No required SSL certificate was sent</title></head></html>',
    );
  });
  tls12 = createTlsServer({ ...serverTls, rejectUnauthorized: true, maxVersion: 'TLSv1.2' }, (socket) =>
    socket.end(),
  );
  tls12.on('tlsClientError', () => {});
  for (const server of [nginxLike, nginxHttp1, tls12])
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}, 60_000);

afterAll(async () => {
  for (const server of [nginxLike, nginxHttp1, tls12])
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (certificates) rmSync(certificates.dir, { recursive: true, force: true });
});

/** The transport's diagnosis of a connection made with `environment`'s settings. */
async function transport(environment: Record<string, string>) {
  const settings = temporalSettingsOf(loadConfig(environment));
  return diagnoseTransport(settings, readTlsMaterial(settings));
}

/** The reason given for `address`, its CA trusted, with `client`'s certificate when given. */
async function diagnosis(address: string, client?: { cert: string; key: string }): Promise<string | null> {
  const environment = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert,
    ...(client
      ? { TEMPORAL_TLS_CLIENT_CERT_PATH: client.cert, TEMPORAL_TLS_CLIENT_KEY_PATH: client.key }
      : {}),
  };
  return (await transport(environment))?.reason ?? null;
}

describe('a front that requires a client certificate', () => {
  it('is named from its HTTP 400 when it completes the handshake without one (nginx)', async () => {
    const address = addressOf(nginxLike);
    expect(await diagnosis(address)).toBe(
      `Temporal at ${address} (TEMPORAL_ADDRESS) requires a client certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH ` +
        'and TEMPORAL_TLS_CLIENT_KEY_PATH',
    );
    expect(await diagnosis(address, certificates.otherClient)).toBe(
      `Temporal at ${address} refused the client certificate of TEMPORAL_TLS_CLIENT_CERT_PATH: ` +
        'it is not signed by a CA the server trusts, or it is revoked',
    );
  });

  it('is named from its HTTP 400 over HTTP/1.1 too', async () => {
    const address = addressOf(nginxHttp1);
    expect(await diagnosis(address)).toBe(
      `Temporal at ${address} (TEMPORAL_ADDRESS) requires a client certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH ` +
        'and TEMPORAL_TLS_CLIENT_KEY_PATH',
    );
    expect(await diagnosis(address, certificates.client)).toBeNull();
  });

  it('blames nothing when the front takes the certificate (the cause lies above the transport)', async () => {
    expect(await diagnosis(addressOf(nginxLike), certificates.client)).toBeNull();
  });

  it('is named from the alert that ends a TLS 1.2 handshake', async () => {
    const address = addressOf(tls12);
    expect(await diagnosis(address)).toBe(
      `Temporal at ${address} (TEMPORAL_ADDRESS) requires a client certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH ` +
        'and TEMPORAL_TLS_CLIENT_KEY_PATH',
    );
    expect(await diagnosis(address, certificates.otherClient)).toMatch(
      /refused the client certificate of TEMPORAL_TLS_CLIENT_CERT_PATH/,
    );
  });
});

describe('a Temporal that takes the connection and does not answer the first call', () => {
  it("is one line with the SDK's words and the call's reason, which they leave out", async () => {
    const { createServer } = await import('node:net');
    // It takes TCP and speaks no TLS: the transport's diagnosis finds nothing to blame.
    const silent = createServer((socket) => socket.on('data', () => socket.destroy()));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const address = addressOf(silent);
      const settings = temporalSettingsOf(loadConfig({ TEMPORAL_ADDRESS: address }));
      const sdkError = new Error('Failed to connect to Temporal server', {
        cause: new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 10.001s'),
      });
      const explained = await explainConnectFailure(sdkError, settings, null);
      expect(explained.message).toBe(
        `Temporal at ${address} (TEMPORAL_ADDRESS) does not answer: Failed to connect to Temporal server ` +
          '(4 DEADLINE_EXCEEDED: Deadline exceeded after 10.001s)',
      );
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe("each mistake in the connection's security, named by the transport", () => {
  // A Temporal behind TLS that asks for no client certificate, and a server on TCP that speaks no TLS.
  let tlsOnly: Http2SecureServer;
  let plaintext: import('node:net').Server;
  beforeAll(async () => {
    const { createServer } = await import('node:net');
    tlsOnly = createSecureServer(
      { cert: readFileSync(certificates.server.cert), key: readFileSync(certificates.server.key) },
      (_request, response) => response.writeHead(200, { 'content-type': 'application/grpc' }).end(),
    );
    plaintext = createServer((socket) =>
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')),
    );
    for (const server of [tlsOnly, plaintext])
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  });
  afterAll(async () => {
    for (const server of [tlsOnly, plaintext])
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('TLS off against a server that takes TLS only', async () => {
    const address = addressOf(tlsOnly);
    expect(await transport({ TEMPORAL_ADDRESS: address })).toEqual({
      reason:
        `Temporal at ${address} takes TLS only, and TLS is off: set TEMPORAL_TLS=true ` +
        '(with TEMPORAL_TLS_SERVER_CA_CERT_PATH when its CA is not a system CA)',
      unreachable: false,
    });
  });

  it("the server's CA not given, or another CA given", async () => {
    const address = addressOf(tlsOnly);
    expect((await transport({ TEMPORAL_ADDRESS: address, TEMPORAL_TLS: 'true' }))?.reason).toBe(
      `the certificate of Temporal at ${address} is signed by a CA this machine does not trust: ` +
        'set TEMPORAL_TLS_SERVER_CA_CERT_PATH to that CA',
    );
    const otherCa = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.otherCa.cert,
    };
    expect((await transport(otherCa))?.reason).toBe(
      `the certificate of Temporal at ${address} is not signed by the CA of TEMPORAL_TLS_SERVER_CA_CERT_PATH`,
    );
  });

  it('a server name the certificate does not carry', async () => {
    const address = addressOf(tlsOnly);
    const environment = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.example',
    };
    expect((await transport(environment))?.reason).toBe(
      `the certificate of Temporal at ${address} does not name temporal.example: ` +
        'set TEMPORAL_TLS_SERVER_NAME to a name it carries',
    );
  });

  it("the server's certificate expired", async () => {
    const day = 24 * 3600_000;
    const expired = await makeClientCertificate(certificates.dir, 'expired-server', certificates.ca, {
      extensions: SERVER_EXTENSIONS,
      validity: { from: new Date(Date.now() - 2 * day), to: new Date(Date.now() - day) },
    });
    const server = createSecureServer({ cert: readFileSync(expired.cert), key: readFileSync(expired.key) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const address = addressOf(server);
      const environment = {
        TEMPORAL_ADDRESS: address,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert,
      };
      expect((await transport(environment))?.reason).toBe(
        `the certificate of Temporal at ${address} has expired (CERT_HAS_EXPIRED)`,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('blames nothing once every setting is right', async () => {
    const address = addressOf(tlsOnly);
    const environment = { TEMPORAL_ADDRESS: address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert };
    expect(await transport(environment)).toBeNull();
  });

  it('TLS on against a server that speaks no TLS', async () => {
    const address = addressOf(plaintext);
    expect(await transport({ TEMPORAL_ADDRESS: address, TEMPORAL_TLS: 'true' })).toEqual({
      reason: `Temporal at ${address} does not speak TLS: set TEMPORAL_TLS=false, or check TEMPORAL_ADDRESS`,
      unreachable: false,
    });
  });

  it('nothing listening: unreachable, not a setting', async () => {
    const { createServer } = await import('node:net');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const address = addressOf(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await transport({ TEMPORAL_ADDRESS: address })).toEqual({
      reason: `nothing listens at ${address} (TEMPORAL_ADDRESS): connection refused`,
      unreachable: true,
    });
  });
});
