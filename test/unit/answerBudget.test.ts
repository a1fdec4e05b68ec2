import { describe, expect, it } from 'vitest';
import { AnswerBudget, answerBudgetBytesFor } from '../../activities/answerBudget';

const MB = 1_000_000;

/** A step that runs until it is told to end, saying when it started. */
function step() {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  const state = { started: false, end };
  const work = async () => {
    state.started = true;
    await ended;
  };
  return { state, work };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the answer budget of a process', () => {
  it('lets a second large answer wait until the first is done, and small ones pass beside it', async () => {
    const budget = new AnswerBudget(22 * MB);
    const first = step();
    const second = step();
    const small = step();
    const running = [
      budget.hold(17 * MB, first.work),
      budget.hold(17 * MB, second.work),
      budget.hold(0.1 * MB, small.work),
    ];
    await settled();
    expect([first.state.started, second.state.started, small.state.started]).toEqual([true, false, true]);
    expect(budget.waitingSteps).toBe(1);

    first.state.end();
    await settled();
    expect(second.state.started).toBe(true);
    small.state.end();
    second.state.end();
    await Promise.all(running);
    expect(budget.heldBytes).toBe(0);
  });

  it('grants a small waiting answer that fits before a large one waiting longer, which runs once there is room', async () => {
    const budget = new AnswerBudget(10 * MB);
    const first = step();
    const second = step();
    const large = step();
    const small = step();
    const running = [
      budget.hold(5 * MB, first.work),
      budget.hold(4 * MB, second.work),
      budget.hold(9 * MB, large.work),
      budget.hold(3 * MB, small.work),
    ];
    await settled();
    expect(budget.waitingSteps).toBe(2);

    second.state.end();
    await settled();
    expect([large.state.started, small.state.started]).toEqual([false, true]);
    expect(budget.waitingSteps).toBe(1);
    first.state.end();
    small.state.end();
    await settled();
    expect(large.state.started).toBe(true);
    large.state.end();
    await Promise.all(running);
    expect(budget.heldBytes).toBe(0);
  });

  it('runs an answer larger than the whole budget alone', async () => {
    const budget = new AnswerBudget(10 * MB);
    const huge = step();
    const small = step();
    const running = [budget.hold(40 * MB, huge.work), budget.hold(1, small.work)];
    await settled();
    expect([huge.state.started, small.state.started]).toEqual([true, false]);
    huge.state.end();
    await settled();
    expect(small.state.started).toBe(true);
    small.state.end();
    await Promise.all(running);
  });

  it('frees what a failed step held', async () => {
    const budget = new AnswerBudget(10 * MB);
    await expect(
      budget.hold(10 * MB, async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(budget.heldBytes).toBe(0);
    await expect(budget.hold(10 * MB, async () => 'ran')).resolves.toBe('ran');
  });

  it('gives up a wait when the step is cancelled, and never runs it', async () => {
    const budget = new AnswerBudget(10 * MB);
    const holder = step();
    const held = budget.hold(10 * MB, holder.work);
    const cancel = new AbortController();
    let ran = false;
    const waiting = budget.hold(
      5 * MB,
      async () => {
        ran = true;
      },
      cancel.signal,
    );
    await settled();
    cancel.abort(new Error('activity cancelled'));
    await expect(waiting).rejects.toThrow('activity cancelled');
    expect(budget.waitingSteps).toBe(0);
    holder.state.end();
    await held;
    expect(ran).toBe(false);
    expect(budget.heldBytes).toBe(0);
  });

  it('fits one Nordic quarter-hour day (16.9 MB) at a time in the deployed 256 MB heap, and many in a large one', () => {
    // V8's heap limit under --max-old-space-size=256 on Node 24
    const deployed = answerBudgetBytesFor(448 * 1024 * 1024);
    expect(deployed).toBeGreaterThan(16.9 * MB);
    expect(deployed).toBeLessThan(2 * 16.9 * MB);
    expect(answerBudgetBytesFor(4096 * 1024 * 1024)).toBeGreaterThan(10 * 16.9 * MB);
  });
});
