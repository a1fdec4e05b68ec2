// `jao start --simulate` runs the simulator in a thread of its own (simulator/thread.ts): it answers over
// HTTP as the in-process one does, stops with the stack, and a thread that cannot start says why. One thread
// serves every case (a thread loads the simulator's modules anew: most of this file's time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/server';
import { type SimulatorThread, startSimulatorThread } from '../../simulator/thread';

describe('the simulator thread', () => {
  const stopped: string[] = [];
  let thread: SimulatorThread;
  const maxExchangesUrl = () =>
    `${thread.origin}/core/api/data/maxExchanges?FromUtc=2026-11-01T23:00:00.000Z&ToUtc=2026-11-02T23:00:00.000Z`;

  beforeAll(async () => {
    thread = await startSimulatorThread(
      { port: 0, publicationTime: '00:00', flowBasedDomainShare: 0.2 },
      (reason) => stopped.push(reason),
    );
  });
  afterAll(async () => {
    await thread?.close();
  });

  it('serves JAO answers from its own thread', async () => {
    const answer = (await (await fetch(maxExchangesUrl())).json()) as {
      data: Array<Record<string, unknown>>;
    };
    expect(answer.data).toHaveLength(24);
    expect(Object.keys(answer.data[0]!)).toContain('border_DE_FR');
  });

  it('serves the smaller flow-based domain asked for', async () => {
    const probe = async (origin: string) => {
      const url = `${origin}/core/api/data/finalComputation?FromUtc=2026-11-01T23:00:00Z&ToUtc=2026-11-02T23:00:00Z&Take=0`;
      return ((await (await fetch(url)).json()) as { totalRows: number }).totalRows;
    };
    const small = await startSimulator({ publicationTime: '00:00', flowBasedDomainShare: 0.2 });
    const full = await startSimulator({ publicationTime: '00:00' });
    try {
      const rows = await probe(thread.origin);
      expect(rows).toBe(await probe(small.origin));
      expect(rows).toBeLessThan((await probe(full.origin)) * 0.4);
    } finally {
      await small.close();
      await full.close();
    }
  });

  it('refuses to start another with the reason when its port is taken', async () => {
    const port = Number(new URL(thread.origin).port);
    await expect(startSimulatorThread({ port, publicationTime: '00:00' }, () => {})).rejects.toThrow(
      /the simulator did not start: .*EADDRINUSE/,
    );
  });

  it('stops when closed, without a reason to report', async () => {
    await thread.close();
    await expect(fetch(maxExchangesUrl())).rejects.toThrow();
    expect(stopped).toEqual([]);
  });
});
