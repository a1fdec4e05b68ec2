// The data version a cached values answer is checked against: every caller gets a read begun after it arrived, and
// callers arriving together share one.
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CurrentDataVersion } from '../../api/snapshot';

/** A pool whose reads of the data version end when the test says, each answering with its own number of days. */
function controlledPool() {
  const pending: ((days: number) => void)[] = [];
  let started = 0;
  const pool = {
    query: () => {
      started += 1;
      return new Promise((resolve) => {
        pending.push((days) =>
          resolve({ rows: [{ days, attempts: '0', last_write_at: null, now: new Date(0) }] }),
        );
      });
    },
  } as unknown as pg.Pool;
  return {
    pool,
    started: () => started,
    /** Ends the oldest read still running, answering `days`. */
    finish: async (days: number) => {
      pending.shift()!(days);
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

const daysOf = async (read: Promise<{ tag: string }>) => Number((await read).tag.split('.')[0]);

describe('CurrentDataVersion', () => {
  it('starts a read for the first caller', async () => {
    const db = controlledPool();
    const version = new CurrentDataVersion(db.pool);
    const first = version.read();
    expect(db.started()).toBe(1);
    await db.finish(1);
    expect(await daysOf(first)).toBe(1);
  });

  it('makes callers arriving during a read wait for one read begun after them, shared', async () => {
    const db = controlledPool();
    const version = new CurrentDataVersion(db.pool);
    const first = version.read();
    const second = version.read();
    const third = version.read();
    // The running read began before the second and third arrived: they do not take its answer.
    expect(db.started()).toBe(1);
    await db.finish(1);
    expect(await daysOf(first)).toBe(1);
    expect(db.started()).toBe(2);
    // One arriving now is after the second read began: it waits for a third.
    const fourth = version.read();
    await db.finish(2);
    expect(await daysOf(second)).toBe(2);
    expect(await daysOf(third)).toBe(2);
    expect(db.started()).toBe(3);
    await db.finish(3);
    expect(await daysOf(fourth)).toBe(3);
  });

  it('starts afresh once every read has ended', async () => {
    const db = controlledPool();
    const version = new CurrentDataVersion(db.pool);
    const first = version.read();
    await db.finish(1);
    await first;
    const later = version.read();
    expect(db.started()).toBe(2);
    await db.finish(5);
    expect(await daysOf(later)).toBe(5);
  });
});
