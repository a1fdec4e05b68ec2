// A TLS front for the run's plaintext dev server, as a load balancer or Temporal's own frontend would be: real TLS
// (and mTLS when asked) on 127.0.0.1, every byte passed to the dev server behind it.

import { readFileSync } from 'node:fs';
import { type AddressInfo, connect } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';

export interface TlsProxy {
  address: string;
  close(): Promise<void>;
}

export async function startTlsProxy(options: {
  target: string;
  cert: string;
  key: string;
  /** mTLS: the CA client certificates must be signed by. */
  clientCa?: string;
}): Promise<TlsProxy> {
  const [host, port] = [
    options.target.slice(0, options.target.lastIndexOf(':')),
    Number(options.target.split(':').pop()),
  ];
  const sockets = new Set<TLSSocket>();
  const server = createServer(
    {
      cert: readFileSync(options.cert),
      key: readFileSync(options.key),
      ALPNProtocols: ['h2'],
      ...(options.clientCa
        ? { ca: readFileSync(options.clientCa), requestCert: true, rejectUnauthorized: true }
        : {}),
    },
    (socket) => {
      sockets.add(socket);
      const upstream = connect({ host, port });
      socket.pipe(upstream).pipe(socket);
      const end = () => {
        socket.destroy();
        upstream.destroy();
        sockets.delete(socket);
      };
      socket.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    },
  );
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: listening } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${listening}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
