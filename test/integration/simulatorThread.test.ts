// `jao start --simulate` runs the simulator in a thread of its own (simulator/thread.ts): it answers over
// HTTP as the in-process one does, stops with the stack, and a thread that cannot start says why.
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/server';
import { startSimulatorThread } from '../../simulator/thread';

describe('the simulator thread', () => {
  it('serves JAO answers from its own thread and stops when closed', async () => {
    const stopped: string[] = [];
    const simulator = await startSimulatorThread({ port: 0, publicationTime: '00:00' }, (reason) =>
      stopped.push(reason),
    );
    const url = `${simulator.origin}/core/api/data/maxExchanges?FromUtc=2026-11-01T23:00:00.000Z&ToUtc=2026-11-02T23:00:00.000Z`;
    const answer = (await (await fetch(url)).json()) as { data: Array<Record<string, unknown>> };
    expect(answer.data).toHaveLength(24);
    expect(Object.keys(answer.data[0]!)).toContain('border_DE_FR');
    await simulator.close();
    await expect(fetch(url)).rejects.toThrow();
    expect(stopped).toEqual([]);
  });

  it('serves the smaller flow-based domain asked for from its thread', async () => {
    const probe = async (origin: string) => {
      const url = `${origin}/core/api/data/finalComputation?FromUtc=2026-11-01T23:00:00Z&ToUtc=2026-11-02T23:00:00Z&Take=0`;
      return ((await (await fetch(url)).json()) as { totalRows: number }).totalRows;
    };
    const thread = await startSimulatorThread(
      { port: 0, publicationTime: '00:00', flowBasedDomainShare: 0.2 },
      () => {},
    );
    const small = await startSimulator({ publicationTime: '00:00', flowBasedDomainShare: 0.2 });
    const full = await startSimulator({ publicationTime: '00:00' });
    try {
      const rows = await probe(thread.origin);
      expect(rows).toBe(await probe(small.origin));
      expect(rows).toBeLessThan((await probe(full.origin)) * 0.4);
    } finally {
      await thread.close();
      await small.close();
      await full.close();
    }
  });

  it('refuses to start with the reason when its port is taken', async () => {
    const first = await startSimulatorThread({ port: 0, publicationTime: '00:00' }, () => {});
    const port = Number(new URL(first.origin).port);
    try {
      await expect(startSimulatorThread({ port, publicationTime: '00:00' }, () => {})).rejects.toThrow(
        /the simulator did not start: .*EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });
});
