// A TLS gRPC proxy in front of a TLS Temporal frontend that refuses chosen methods with PERMISSION_DENIED, as a
// platform that manages the namespace does, and passes every other call through untouched (headers, the API key,
// messages, trailers). Temporal's default authorizer cannot refuse UpdateTaskQueueConfig to a key that may run
// workflows (both need the `write` role), so a test that proves the worker copes with that refusal puts this in front
// of the API-key server of test/temporalAuth/server.ts.

import { readFileSync } from 'node:fs';
import {
  type ClientHttp2Session,
  connect,
  constants,
  createSecureServer,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Session,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TestCertificates } from '../helpers/certificates';
import { SERVER_NAME } from './server';

/** Full gRPC method names, e.g. `temporal.api.workflowservice.v1.WorkflowService/UpdateTaskQueueConfig`. */
export const UPDATE_TASK_QUEUE_CONFIG =
  'temporal.api.workflowservice.v1.WorkflowService/UpdateTaskQueueConfig';
export const ADD_SEARCH_ATTRIBUTES = 'temporal.api.operatorservice.v1.OperatorService/AddSearchAttributes';

const GRPC_PERMISSION_DENIED = '7';
/** Hop-by-hop and pseudo headers that the proxy sets itself. */
const OWN_HEADERS = new Set([':status', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

export interface RefusingProxyOptions {
  /** `127.0.0.1:<port>` of the TLS frontend (server certificate signed by `certificates.ca`). */
  target: string;
  certificates: TestCertificates;
  /** Methods answered PERMISSION_DENIED without reaching the server. */
  refuse: string[];
}

export interface RefusingProxy {
  /** `127.0.0.1:<port>`, TLS with the server certificate of `certificates` (the same CA as the target). */
  address: string;
  /** How many calls of each refused method were refused. */
  refused(): Record<string, number>;
  close(): Promise<void>;
}

function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !OWN_HEADERS.has(name)));
}

export async function startRefusingProxy(options: RefusingProxyOptions): Promise<RefusingProxy> {
  const { certificates } = options;
  const refusedCounts: Record<string, number> = Object.fromEntries(
    options.refuse.map((method) => [method, 0]),
  );
  const ca = readFileSync(certificates.ca.cert);
  // A session the server ends (GOAWAY: its connection age limit, a restart) takes no new streams: the next call
  // opens another one.
  let upstream: ClientHttp2Session | null = null;
  const upstreamSession = (): ClientHttp2Session => {
    if (upstream && !upstream.closed && !upstream.destroyed) return upstream;
    const session = connect(`https://${options.target}`, { ca, servername: SERVER_NAME });
    const forget = () => {
      if (upstream === session) upstream = null;
    };
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    upstream = session;
    return session;
  };
  const server = createSecureServer({
    cert: readFileSync(certificates.server.cert),
    key: readFileSync(certificates.server.key),
    ALPNProtocols: ['h2'],
  });
  // server.close() waits for every client session to end: close() ends them itself
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {});
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    const method = String(headers[constants.HTTP2_HEADER_PATH] ?? '').replace(/^\//, '');
    if (method in refusedCounts) {
      refusedCounts[method]! += 1;
      stream.resume();
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': GRPC_PERMISSION_DENIED,
          'grpc-message': 'Request unauthorized.',
        },
        { endStream: true },
      );
      return;
    }
    const request = upstreamSession().request(forwardable(headers));
    request.on('error', () => stream.close(constants.NGHTTP2_INTERNAL_ERROR));
    stream.pipe(request);
    let trailers: OutgoingHttpHeaders = {};
    request.on('response', (responseHeaders, flags) => {
      // a trailers-only answer (an error) ends the stream with its headers
      const endStream = (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0;
      // The client may have gone (a long poll cancelled at shutdown) or been answered: the answer has nowhere to go.
      if (stream.headersSent || stream.destroyed || stream.closed) return;
      stream.respond(
        { ...forwardable(responseHeaders), ':status': responseHeaders[':status'] ?? 200 },
        endStream ? { endStream: true } : { waitForTrailers: true },
      );
    });
    request.on('trailers', (received) => {
      trailers = forwardable(received);
    });
    stream.on('wantTrailers', () => {
      if (!stream.destroyed && !stream.closed) stream.sendTrailers(trailers);
    });
    request.on('data', (chunk: Buffer) => {
      if (!stream.destroyed && !stream.writableEnded) stream.write(chunk);
    });
    request.on('end', () => {
      if (!stream.destroyed && !stream.writableEnded) stream.end();
    });
    stream.on('close', () => {
      if (!request.destroyed) request.close(constants.NGHTTP2_CANCEL);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    refused: () => ({ ...refusedCounts }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.destroy();
      upstream?.destroy();
      await closed;
    },
  };
}
