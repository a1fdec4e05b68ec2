// The worker's start-up steps against Temporal (workers/startupSteps.ts): a server still starting is waited out with
// a line per wait, anything else ends start-up at once naming the step.
import { describe, expect, it } from 'vitest';
import { StartupAborted, StartupFailed, temporalStep } from '../../workers/startupSteps';

const QUICK = { patienceMs: 200, firstPauseMs: 5, maxPauseMs: 20 };

function unavailable(): Error {
  return Object.assign(new Error('14 UNAVAILABLE: Not enough hosts to serve the request'), { code: 14 });
}

/** A step that fails with each of `failures` in turn, then answers 'done'. */
function failingThen(failures: Error[]) {
  let calls = 0;
  const work = async () => {
    calls += 1;
    const failure = failures[calls - 1];
    if (failure) throw failure;
    return 'done';
  };
  return { work, calls: () => calls };
}

describe('a start-up step against Temporal', () => {
  it('waits out UNAVAILABLE with growing pauses, one line each, then goes on', async () => {
    const step = failingThen([unavailable(), unavailable()]);
    const lines: string[] = [];
    await expect(
      temporalStep('setting the rate limit of q', step.work, {
        signal: undefined,
        log: (line) => lines.push(line),
        patience: QUICK,
      }),
    ).resolves.toBe('done');
    expect(step.calls()).toBe(3);
    expect(lines).toEqual([
      expect.stringMatching(
        /^setting the rate limit of q: Temporal is not ready \(14 UNAVAILABLE: Not enough hosts to serve the request\); trying again in 0\.005 s \(0 s of 0\.2 s\)$/,
      ),
      expect.stringMatching(/trying again in 0\.01 s/),
    ]);
  });

  it('ends start-up at once on any other failure, naming the step', async () => {
    const step = failingThen([new Error('namespace not found')]);
    const failure = temporalStep('creating the schedule p', step.work, {
      signal: undefined,
      log: () => {},
      patience: QUICK,
    });
    await expect(failure).rejects.toThrow(StartupFailed);
    await expect(failure).rejects.toThrow('creating the schedule p: namespace not found');
    expect(step.calls()).toBe(1);
  });

  it('passes a configuration conflict through as it is', async () => {
    class Conflict extends Error {}
    const step = failingThen([new Conflict('another limit')]);
    await expect(
      temporalStep('setting the rate limit of q', step.work, {
        signal: undefined,
        log: () => {},
        patience: QUICK,
        passThrough: (error) => error instanceof Conflict,
      }),
    ).rejects.toBeInstanceOf(Conflict);
  });

  it('gives up once its patience is spent, with the last answer', async () => {
    const step = failingThen(Array.from({ length: 100 }, unavailable));
    await expect(
      temporalStep('setting the rate limit of q', step.work, {
        signal: undefined,
        log: () => {},
        patience: QUICK,
      }),
    ).rejects.toThrow(/^setting the rate limit of q: 14 UNAVAILABLE/);
    expect(step.calls()).toBeGreaterThan(3);
    expect(step.calls()).toBeLessThan(100);
  });

  it('stops waiting when the process is asked to stop', async () => {
    const step = failingThen(Array.from({ length: 100 }, unavailable));
    const stop = new AbortController();
    const waiting = temporalStep('setting the rate limit of q', step.work, {
      signal: stop.signal,
      log: () => stop.abort(),
      patience: { patienceMs: 60_000, firstPauseMs: 30_000, maxPauseMs: 30_000 },
    });
    await expect(waiting).rejects.toBeInstanceOf(StartupAborted);
    expect(step.calls()).toBe(1);
  });
});
