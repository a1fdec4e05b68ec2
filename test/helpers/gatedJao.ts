// A gate in front of the JAO simulator: while it is closed, requests wait at the gate until the test opens it, so a
// fetch stays in flight for exactly as long as a scenario needs (not for a latency that must outlast the machine's
// slowest moment). Open, it passes every request and its answer on unchanged.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JaoGate {
  /** Give this as JAO's base URL. */
  origin: string;
  /** Requests waiting at the closed gate. */
  waiting(): number;
  /** From now on requests wait (until open()). */
  close(): void;
  /** Lets the waiting requests through, and every later one. */
  open(): void;
  /** Lets the request that has waited longest through; the gate stays closed. */
  passOne(): void;
  stop(): Promise<void>;
}

/** Headers not passed on: the body is passed on whole and decoded. */
const HOP_HEADERS = new Set([
  'connection',
  'content-encoding',
  'content-length',
  'keep-alive',
  'transfer-encoding',
]);

export async function startJaoGate(target: string): Promise<JaoGate> {
  let closed = false;
  let waiters: (() => void)[] = [];
  const pass = async (request: IncomingMessage, response: ServerResponse) => {
    if (closed) {
      await new Promise<void>((resolve) => waiters.push(resolve));
      // A client that gave up while it waited (its request timed out) never reaches JAO.
      if (response.destroyed) return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === 'string' && !HOP_HEADERS.has(name) && name !== 'host') headers[name] = value;
    const answer = await fetch(new URL(request.url ?? '/', target), { method: request.method, headers });
    const body = Buffer.from(await answer.arrayBuffer());
    const answerHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!HOP_HEADERS.has(name)) answerHeaders[name] = value;
    });
    response.writeHead(answer.status, answerHeaders).end(body);
  };
  const server = createServer((request, response) => {
    pass(request, response).catch((error: unknown) => {
      response.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const open = () => {
    closed = false;
    for (const resolve of waiters) resolve();
    waiters = [];
  };
  return {
    origin: `http://127.0.0.1:${port}`,
    waiting: () => waiters.length,
    close: () => {
      closed = true;
    },
    open,
    passOne: () => {
      const first = waiters.shift();
      if (!first) throw new Error('no request waits at the gate');
      first();
    },
    stop: async () => {
      open();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
