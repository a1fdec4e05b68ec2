// A front that requires a client certificate is named as such, whatever answers the handshake
// (common/temporalDiagnosis.ts): one that completes the handshake and answers each request with HTTP 400, as nginx
// with `ssl_verify_client on` does, and one that ends a TLS 1.2 handshake with an alert, as Envoy can. Both stand-ins
// are Node servers on 127.0.0.1 (test:temporal-auth runs nginx itself).
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
import { generateCertificates, type TestCertificates } from '../helpers/certificates';

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

async function diagnosis(address: string, client?: { cert: string; key: string }): Promise<string | null> {
  const settings = temporalSettingsOf(
    loadConfig({
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert,
      ...(client
        ? { TEMPORAL_TLS_CLIENT_CERT_PATH: client.cert, TEMPORAL_TLS_CLIENT_KEY_PATH: client.key }
        : {}),
    }),
  );
  return (await diagnoseTransport(settings, readTlsMaterial(settings)))?.reason ?? null;
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
