// The charts' time axis (page/client/mtuAxis.ts): every expected MTU of the range on the market's clock, at the
// dataset's resolution of each day, a gap (null) wherever nothing is stored, whole days and single MTUs alike, and
// the end of the last MTU so that its step is drawn.
import { describe, expect, it } from 'vitest';
import { addDays, dayStartMs } from '../../domain/calendar';
import { alignOnMtus, expectedMtus, loneIndices, resolutionOf } from '../../page/client/mtuAxis';

const hourly = () => 60;
const seconds = (iso: string) => Date.parse(iso) / 1000;
const midnight = (day: string) => dayStartMs(day) / 1000;

describe('the expected MTUs of a range', () => {
  it('counts 24, 25 and 23 hours on the market clock, and ends at the midnight after the last day', () => {
    expect(expectedMtus('2024-10-26', '2024-10-26', hourly).starts).toHaveLength(24);
    expect(expectedMtus('2024-10-27', '2024-10-27', hourly).starts).toHaveLength(25);
    expect(expectedMtus('2025-03-30', '2025-03-30', hourly).starts).toHaveLength(23);
    const axis = expectedMtus('2025-03-29', '2025-03-30', hourly);
    expect(axis.starts[0]).toBe(seconds('2025-03-28T23:00:00Z'));
    expect(axis.starts.at(-1)).toBe(seconds('2025-03-30T21:00:00Z'));
    expect(axis.end).toBe(seconds('2025-03-30T22:00:00Z'));
  });

  it("follows the dataset's declared resolution per day: hourly, then quarter-hours from 2025-10-01", () => {
    const resolution = resolutionOf('nordicMaxExchanges');
    expect([resolution('2025-09-30'), resolution('2025-10-01')]).toEqual([60, 15]);
    const axis = expectedMtus('2025-09-30', '2025-10-01', resolution);
    expect(axis.starts).toHaveLength(24 + 96);
    expect(axis.starts[25]! - axis.starts[24]!).toBe(900);
    expect(axis.starts[24]! - axis.starts[23]!).toBe(3600);
    // A dataset the page does not know: the fallback.
    expect(resolutionOf('somethingElse', 15)('2025-01-01')).toBe(15);
  });
});

describe('lines aligned on the expected MTUs', () => {
  it('puts null on every day never stored: eight missing days between two stored days are a gap, not a line', () => {
    const first = '2026-10-17';
    const last = addDays(first, 9);
    const axis = expectedMtus(first, last, hourly);
    const values = new Map<number, number>();
    for (const day of [first, last])
      for (let hour = 0; hour < 24; hour++) values.set(midnight(day) + hour * 3600, 3300);
    const [xs, line] = alignOnMtus(axis, [{ values }]);
    // Every hour of the ten days (the 25-hour 2026-10-25 among them), then the end of the last.
    expect(xs).toHaveLength(24 * 10 + 1 + 1);
    expect(xs.at(-1)).toBe(midnight(addDays(last, 1)));
    const gap = line!.slice(24, -25);
    expect(gap).toHaveLength(8 * 24 + 1);
    expect(gap.every((value) => value === null)).toBe(true);
    expect(line!.slice(0, 24).every((value) => value === 3300)).toBe(true);
    expect(line!.slice(-25, -1).every((value) => value === 3300)).toBe(true);
    expect(line!.at(-1)).toBeNull();
  });

  it('puts null at a single missing MTU, and keeps a value stored off the expected MTUs', () => {
    const day = '2026-01-05';
    const axis = expectedMtus(day, day, hourly);
    const values = new Map(axis.starts.map((x, index) => [x, index]));
    values.delete(axis.starts[5]!);
    // A quarter-hour stored on an hourly day (drift): drawn where it is, never dropped.
    const quarter = axis.starts[7]! + 900;
    values.set(quarter, 99);
    const [xs, line] = alignOnMtus(axis, [{ values }]);
    expect(xs).toHaveLength(24 + 1 + 1);
    expect(line![5]).toBeNull();
    expect(line![4]).toBe(4);
    expect(xs[8]).toBe(quarter);
    expect(line![8]).toBe(99);
  });

  it('aligns several lines on the same MTUs', () => {
    const day = '2026-01-05';
    const axis = expectedMtus(day, day, hourly);
    const t0 = axis.starts[0]!;
    const [xs, a, b] = alignOnMtus(axis, [
      { values: new Map([[t0 + 3600, 5]]) },
      { values: new Map([[t0, 1]]) },
    ]);
    expect(xs).toEqual([...axis.starts, axis.end]);
    expect(a!.slice(0, 3)).toEqual([null, 5, null]);
    expect(b!.slice(0, 3)).toEqual([1, null, null]);
  });

  it('finds the values with no neighbour: a lone hour, at either end too', () => {
    expect(loneIndices([1, null, 3, null, null, 6, 7, null, 9])).toEqual([0, 2, 8]);
    expect(loneIndices([null, 2, null])).toEqual([1]);
    expect(loneIndices([1, 2, 3])).toEqual([]);
  });
});
