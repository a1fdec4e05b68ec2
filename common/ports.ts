// A TCP port on 127.0.0.1 that was free a moment ago: for servers a test or benchmark starts on its own ports, and for
// a port nothing listens on.
//
// The port is not one the OS hands out by itself. A port of the ephemeral range, released and then listened on a few
// seconds later, can meanwhile have become the local end of any outgoing connection on the machine (a database or
// gRPC client), and the listen then fails with EADDRINUSE. So ports come from below that range, from a slice of their
// own for each test worker (VITEST_POOL_ID) or process, taken in turn: two callers never race for the same port.
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

const LOWEST_PORT = 20_000;
const SLICES = 16;
const EPHEMERAL_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';

let nextInSlice: number | undefined;

/** The first port the OS may hand out on its own (Linux tells; elsewhere IANA's dynamic range). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync(EPHEMERAL_RANGE_FILE, 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 49_152;
  } catch {
    return 49_152;
  }
}

function sliceOf(): { first: number; size: number } | null {
  const size = Math.floor((ephemeralLow() - LOWEST_PORT) / SLICES);
  if (size < 64) return null;
  const owner = Number(process.env.VITEST_POOL_ID ?? process.pid);
  const index = (Number.isInteger(owner) ? owner : process.pid) % SLICES;
  return { first: LOWEST_PORT + index * size, size };
}

function listenOnce(port: number): Promise<number | null> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(address !== null && typeof address !== 'string' ? address.port : null));
    });
  });
}

/** Whether a listen on the port of 127.0.0.1 succeeds: nothing else listens there. */
export async function portIsFree(port: number): Promise<boolean> {
  return (await listenOnce(port)) !== null;
}

export async function freePort(): Promise<number> {
  const slice = sliceOf();
  if (slice !== null) {
    nextInSlice ??= Math.floor(Math.random() * slice.size);
    for (let tried = 0; tried < slice.size; tried += 1) {
      const port = slice.first + (nextInSlice % slice.size);
      nextInSlice += 1;
      if (await portIsFree(port)) return port;
    }
  }
  const port = await listenOnce(0);
  if (port === null) throw new Error('the OS gave no TCP port');
  return port;
}

/** What a TCP connection met: acceptance, or the failure's code and message (ETIMEDOUT past `timeoutMs`). */
export type TcpOutcome = { ok: true } | { ok: false; code: string; message: string };

export function tcpConnectOutcome(host: string, port: number, timeoutMs: number): Promise<TcpOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: TcpOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, code: 'ETIMEDOUT', message: 'timed out' }));
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, code: error.code ?? '', message: error.message }),
    );
  });
}

/** Whether something accepts a TCP connection on the port, within `timeoutMs`. */
export async function portAnswers(port: number, timeoutMs = 1000, host = '127.0.0.1'): Promise<boolean> {
  return (await tcpConnectOutcome(host, port, timeoutMs)).ok;
}
