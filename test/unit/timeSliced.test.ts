import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runTimeSliced } from '../../db/lanes/timeSliced';
import { runToEnd, type Steps } from '../../domain/steps';

function* counted(log: string[], steps: number): Steps<number> {
  for (let k = 1; k <= steps; k++) {
    log.push(`step ${k}`);
    yield;
  }
  return steps;
}

describe('work run in slices', () => {
  it('gives the event loop back between slices: what waits for it runs before the work ends', async () => {
    const log: string[] = [];
    const other = nextTurn().then(() => log.push('other'));
    // A slice of 0 ms ends after every step.
    expect(await runTimeSliced(counted(log, 3), 0)).toBe(3);
    await other;
    expect(log).toEqual(['step 1', 'other', 'step 2', 'step 3']);
  });

  it('holds the thread for the whole work when a slice outlasts it', async () => {
    const log: string[] = [];
    const other = nextTurn().then(() => log.push('other'));
    expect(await runTimeSliced(counted(log, 3), 60_000)).toBe(3);
    await other;
    expect(log).toEqual(['step 1', 'step 2', 'step 3', 'other']);
  });

  it('runs to its end at once with runToEnd', () => {
    const log: string[] = [];
    expect(runToEnd(counted(log, 2))).toBe(2);
    expect(log).toEqual(['step 1', 'step 2']);
  });
});
