// What the status page's boxes take (page/client/marketTime.ts typedDayProblem, keyShape.ts): a day typed YYYY-MM-DD within the dataset's
// days, and an API key in the address, named malformed (cut short, too long, not a key) rather than dropped.
import { describe, expect, it } from 'vitest';
import { isKeyShaped, keyShapeProblem } from '../../page/client/keyShape';
import { typedDayProblem } from '../../page/client/marketTime';

describe('a day typed in a box of the page', () => {
  it('takes YYYY-MM-DD within the bounds, and says why anything else is not a day', () => {
    expect(typedDayProblem('2026-10-17', '2022-06-09', '2026-11-27')).toBeNull();
    expect(typedDayProblem(' 2026-10-17 ')).toBeNull();
    expect(typedDayProblem('10/17/2026')).toBe('"10/17/2026" is not a date in the form YYYY-MM-DD.');
    expect(typedDayProblem('2026-02-30')).toBe('2026-02-30 is not a day of the calendar.');
    expect(typedDayProblem('2022-06-08', '2022-06-09')).toBe(
      "2022-06-08 is before 2022-06-09, the dataset's first day.",
    );
    expect(typedDayProblem('2026-11-28', undefined, '2026-11-27')).toBe(
      '2026-11-28 is after 2026-11-27 (tomorrow): no day after it is published.',
    );
  });
});

describe('an API key in the address', () => {
  const key = `jao_${'a1_-'.repeat(10)}xyz`;

  it("has a key's form: jao_ and 43 characters of base64url", () => {
    expect(isKeyShaped(key)).toBe(true);
    expect(keyShapeProblem(key)).toBeNull();
  });

  it('names what is wrong with one that is not', () => {
    expect(keyShapeProblem(key.slice(0, 20))).toBe(
      'is cut short: 16 characters after jao_ where a key has 43',
    );
    expect(keyShapeProblem(`${key}Q`)).toBe('is too long: 44 characters after jao_ where a key has 43');
    expect(keyShapeProblem('abc')).toBe('does not start with jao_');
    expect(keyShapeProblem('')).toBe('is empty');
    expect(keyShapeProblem(`jao_${'a'.repeat(42)}=`)).toMatch(/^has characters a key never holds/);
  });
});
