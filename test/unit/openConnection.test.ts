// A client connection that is slow to open is told apart from one that cannot open (common/temporalConnect.ts):
// past `diagnoseAfterMs` the transport is diagnosed beside the opening, so a refused address fails then, while a
// Temporal that takes the connection and answers late (a loaded machine) is waited for. The opening here is a
// stand-in that answers when the test says; the addresses are real sockets on 127.0.0.1.
import { type AddressInfo, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config';
import { openConnection, TemporalUnreachable } from '../../common/temporalConnect';
import { temporalSettingsOf } from '../../common/temporalSettings';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A listener that takes TCP and ends the connection at its first bytes: there, but speaking no TLS. */
async function listening(): Promise<string> {
  const server = createServer((socket) => socket.on('data', () => socket.destroy()));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An address where nothing listens: a port just given up. */
async function refused(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}

const settingsAt = (address: string) => temporalSettingsOf(loadConfig({ TEMPORAL_ADDRESS: address }));

/** A connection that opens after `delayMs`, and records its close. */
function openingAfter(delayMs: number) {
  const state = { closed: false, opened: false };
  const connection = {
    workflowService: { describeNamespace: async () => ({}) },
    close: async () => {
      state.closed = true;
    },
  };
  const open = () =>
    new Promise<typeof connection>((resolve) =>
      setTimeout(() => {
        state.opened = true;
        resolve(connection);
      }, delayMs),
    );
  return { state, connection, open };
}

describe('a client connection past its diagnosis time', () => {
  it('is waited for when Temporal is there and answers late', async () => {
    const { state, connection, open } = openingAfter(400);
    const opened = await openConnection(settingsAt(await listening()), open, { diagnoseAfterMs: 20 });
    expect(opened).toBe(connection);
    expect(state.closed).toBe(false);
  });

  it('fails at once, before the opening ends, when nothing listens at the address', async () => {
    const address = await refused();
    const { state, open } = openingAfter(1_000);
    const failure = await openConnection(settingsAt(address), open, { diagnoseAfterMs: 20 }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TemporalUnreachable);
    expect((failure as Error).message).toBe(
      `nothing listens at ${address} (TEMPORAL_ADDRESS): connection refused`,
    );
    expect(state.opened).toBe(false);
    // A connection that opens after it was given up is closed, not left holding the process.
    await expect.poll(() => state.closed, { timeout: 10_000 }).toBe(true);
  });

  it('keeps the one line of a failed opening when the transport finds nothing to blame', async () => {
    const address = await listening();
    const open = () =>
      new Promise<never>((_resolve, reject) =>
        setTimeout(() => reject(new Error('Failed to connect to Temporal server')), 300),
      );
    await expect(openConnection(settingsAt(address), open, { diagnoseAfterMs: 20 })).rejects.toThrow(
      `Temporal at ${address} (TEMPORAL_ADDRESS) does not answer: Failed to connect to Temporal server`,
    );
  });
});
