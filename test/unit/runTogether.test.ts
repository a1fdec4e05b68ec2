// Sibling workers (workers/runTogether.ts): one failing shuts the others down, and the whole ends with that failure.
import { describe, expect, it } from 'vitest';
import { runTogether, type Sibling, SiblingFailed } from '../../workers/runTogether';

/** A sibling that runs until shut down (then drains for `drainMs`), or until fail() is called. */
function sibling(name: string, drainMs = 20) {
  let settle: { resolve(): void; reject(error: Error): void } | undefined;
  const events: string[] = [];
  const member: Sibling & { events: string[]; fail(error: Error): void; stop(): void } = {
    name,
    events,
    run() {
      events.push('run');
      return new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
    },
    shutdown() {
      events.push('shutdown');
      setTimeout(() => {
        events.push('stopped');
        settle?.resolve();
      }, drainMs);
    },
    fail(error) {
      events.push('failed');
      settle?.reject(error);
    },
    stop() {
      events.push('stopped');
      settle?.resolve();
    },
  };
  return member;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('runTogether', () => {
  it('shuts the other sibling down when one fails, and rejects with that failure once both stopped', async () => {
    const workflows = sibling('the workflow worker', 30);
    const fetches = sibling('the fetch worker');
    const running = runTogether([workflows, fetches]).then(
      () => null,
      (error: unknown) => error,
    );
    await tick();
    const cause = new Error('poll failed: PermissionDenied');
    fetches.fail(cause);
    const failure = await running;
    expect(failure).toBeInstanceOf(SiblingFailed);
    expect(failure).toMatchObject({
      message: 'the fetch worker failed: poll failed: PermissionDenied',
      cause,
    });
    // The failure is reported only after the workflow worker has drained.
    expect(workflows.events).toEqual(['run', 'shutdown', 'stopped']);
    expect(fetches.events).toEqual(['run', 'failed']);
  });

  it('reports the first failure when the other sibling fails too while stopping', async () => {
    const workflows = sibling('the workflow worker');
    const fetches = sibling('the fetch worker');
    workflows.shutdown = () => {
      workflows.events.push('shutdown');
      workflows.fail(new Error('second'));
    };
    const running = runTogether([workflows, fetches]).catch((error: unknown) => error);
    await tick();
    fetches.fail(new Error('first'));
    expect(await running).toMatchObject({ message: 'the fetch worker failed: first' });
    expect(fetches.events).toEqual(['run', 'failed']);
  });

  it('leaves the others running when one stops without failing, and resolves when all have stopped', async () => {
    const workflows = sibling('the workflow worker');
    const fetches = sibling('the fetch worker');
    let done = false;
    const running = runTogether([workflows, fetches]).then(() => {
      done = true;
    });
    await tick();
    workflows.stop();
    await tick();
    expect({ done, fetches: fetches.events }).toEqual({ done: false, fetches: ['run'] });
    fetches.stop();
    await running;
    expect(done).toBe(true);
  });
});
