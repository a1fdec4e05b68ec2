import { describe, expect, it } from 'vitest';
import { inLanes } from '../../common/lanes';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('inLanes', () => {
  it('works every item, at most `lanes` at a time', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await inLanes([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      done.push(item);
      running -= 1;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('after the first failure takes no other item, and throws it once every lane has stopped', async () => {
    const started: number[] = [];
    let running = 0;
    const run = inLanes([1, 2, 3, 4, 5, 6], 2, async (item) => {
      started.push(item);
      running += 1;
      await tick();
      running -= 1;
      if (item === 2) throw new Error('day 2 failed');
    });
    await expect(run).rejects.toThrow('day 2 failed');
    expect(running).toBe(0);
    expect(started).toEqual([1, 2, 3]);
  });
});
