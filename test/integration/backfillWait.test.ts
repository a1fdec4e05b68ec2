// `jao backfill --wait` survives Temporal going away: the backfill goes on, the CLI reconnects and reports to the
// end. Temporal is taken away from the CLI by cutting a TCP proxy between them (the worker keeps its own
// connection). Days 2025-10-01..2025-10-06 (no other test file uses them).
import { createServer, type Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { spawnJao, stopProcess } from '../helpers/processes';

const FROM = '2025-10-01';
const TO = '2025-10-06';
/** Longer than the client's own gRPC retries (about 15 s), which is all `--wait` survived before. */
const OUTAGE_MS = 25_000;

/** A TCP proxy that can drop every connection and refuse new ones for a while. */
async function cuttableProxy(target: string) {
  const [host, port] = target.split(':') as [string, string];
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) return client.destroy();
    const upstream = new Socket();
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', close);
      socket.on('close', close);
    }
    upstream.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    address: `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      cut = false;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

let h: PipelineHarness;

beforeAll(async () => {
  h = await createPipelineHarness('wait-outage', { faults: { latencyMs: 5_000 } });
  await h.startWorkers();
});
afterAll(async () => {
  await h?.close();
});

describe('backfill --wait', () => {
  it('reconnects after Temporal was away for longer than the client retries, and reports to the end', async () => {
    const proxy = await cuttableProxy(inject('temporalAddress'));
    const cli = spawnJao(
      ['backfill', '--from', FROM, '--to', TO, '--concurrency', '1', '--mode', 'all', '--wait'],
      {
        DATABASE_URL: h.db.url,
        TEMPORAL_ADDRESS: proxy.address,
        TEMPORAL_NAMESPACE: inject('temporalNamespace'),
        TEMPORAL_TASK_QUEUE: h.taskQueue,
      },
    );
    try {
      await cli.waitFor(`backfill workflow maxExchanges/backfill/${FROM}..${TO}/all`, 60_000);
      proxy.cut();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      expect(cli.child.exitCode).toBeNull();
      expect(cli.output()).toMatch(
        /Temporal unreachable \(.+\): waiting for it to come back, the workflow goes on/,
      );
      proxy.restore();

      expect(await cli.exited).toBe(0);
      expect(cli.output()).toContain('Temporal answers again');
      expect(cli.output()).toContain(
        `backfill maxExchanges ${FROM}..${TO} (all) finished: 6 days; complete 6`,
      );
      const days = await h.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jao.delivery_day WHERE status = 'complete' AND day BETWEEN $1 AND $2`,
        [FROM, TO],
      );
      expect(days.rows[0]!.n).toBe(6);
    } finally {
      await stopProcess(cli, 'SIGKILL');
      await proxy.close();
    }
  });
});
