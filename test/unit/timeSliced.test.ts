import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTimeSliced, slicedWorkCancelledBy } from '../../db/lanes/timeSliced';
import { runToEnd, type Steps } from '../../domain/steps';

/** Counts the turns of the event loop while a test runs: what a waiting callback would see. */
let turns = 0;
let ticking = true;
async function tick(): Promise<void> {
  while (ticking) {
    await nextTurn();
    turns += 1;
  }
}

beforeEach(() => {
  turns = 0;
  ticking = true;
  void tick();
});
afterEach(() => {
  ticking = false;
});

/** `count` steps, each noting the work's name and the turn of the loop it ran in. */
function* noted(log: string[], name: string, count: number): Steps<number> {
  for (let k = 1; k <= count; k++) {
    log.push(`${name}${k}@${turns}`);
    yield;
  }
  return count;
}

const turnsOf = (log: string[]) => log.map((entry) => Number(entry.split('@')[1]));

describe('work run in slices', () => {
  it('gives the event loop back between slices: each step of 0 ms slices runs in a turn of its own', async () => {
    const log: string[] = [];
    expect(await runTimeSliced(noted(log, 'a', 4), 0)).toBe(4);
    const seen = turnsOf(log);
    expect(new Set(seen).size).toBe(4);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
  });

  it('runs every step in one turn when a slice outlasts the work', async () => {
    const log: string[] = [];
    expect(await runTimeSliced(noted(log, 'a', 4), 60_000)).toBe(4);
    expect(new Set(turnsOf(log)).size).toBe(1);
  });

  it('runs two works one after the other, in the order they came, with a turn between them', async () => {
    const log: string[] = [];
    const [a, b] = await Promise.all([
      runTimeSliced(noted(log, 'a', 3), 0),
      runTimeSliced(noted(log, 'b', 3), 60_000),
    ]);
    expect([a, b]).toEqual([3, 3]);
    expect(log.map((entry) => entry.split('@')[0])).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
    const seen = turnsOf(log);
    expect(seen[3]).toBeGreaterThan(seen[2]!);
  });

  it('starts the next work when one before it failed', async () => {
    function* failing(): Steps<number> {
      yield;
      throw new Error('unreadable');
    }
    const failed = runTimeSliced(failing(), 0);
    const next = runTimeSliced(noted([], 'b', 2), 0);
    await expect(failed).rejects.toThrow('unreadable');
    expect(await next).toBe(2);
  });

  it('runs to its end at once with runToEnd', () => {
    const log: string[] = [];
    expect(runToEnd(noted(log, 'a', 2))).toBe(2);
    expect(new Set(turnsOf(log)).size).toBe(1);
  });
});

describe('sliced work of a cancelled activity', () => {
  it("stops at its next slice with the signal's reason", async () => {
    const log: string[] = [];
    const activity = new AbortController();
    function* cancelledMidway(): Steps<number> {
      for (let k = 1; k <= 4; k++) {
        log.push(`a${k}`);
        if (k === 2) activity.abort(new Error('activity cancelled'));
        yield;
      }
      return 4;
    }
    const run = slicedWorkCancelledBy(activity.signal, () => runTimeSliced(cancelledMidway(), 0));
    await expect(run).rejects.toThrow('activity cancelled');
    expect(log).toEqual(['a1', 'a2']);
  });

  it('leaves the queue at once, its steps never run, and the work after it runs', async () => {
    const log: string[] = [];
    const first = runTimeSliced(noted(log, 'a', 3), 0);
    const activity = new AbortController();
    const queued = slicedWorkCancelledBy(activity.signal, () => runTimeSliced(noted(log, 'b', 3), 0));
    const after = runTimeSliced(noted(log, 'c', 1), 0);
    activity.abort(new Error('activity cancelled'));
    await expect(queued).rejects.toThrow('activity cancelled');
    expect([await first, await after]).toEqual([3, 1]);
    expect(log.map((entry) => entry.split('@')[0])).toEqual(['a1', 'a2', 'a3', 'c1']);
  });

  it('runs to its end when its activity is not cancelled', async () => {
    const activity = new AbortController();
    expect(await slicedWorkCancelledBy(activity.signal, () => runTimeSliced(noted([], 'a', 3), 0))).toBe(3);
  });
});
