import { describe, expect, it } from 'vitest';
import { keyReaderOf } from '../../domain/seriesKeys';
import {
  CORE_KEY_SET,
  EXTENDED_KEY_SET,
  jaoDateTime,
  keyHash,
  keySetForDay,
  MAX_VALUE_MW,
  MIN_VALUE_MW,
  rowIdAt,
  rowJson,
  valueAt,
} from '../../simulator/values';

const MTU = Date.parse('2026-04-20T00:00:00Z');

const borderKeys = keyReaderOf('border_{FROM}_{TO}');

describe('simulated values', () => {
  it('has the 132 Core keys and about 150 after the key-set change, all well formed', () => {
    expect(CORE_KEY_SET.keys).toHaveLength(132);
    expect(CORE_KEY_SET.keys.slice(0, 3)).toEqual(['border_AT_BE', 'border_AT_CZ', 'border_AT_DE']);
    expect(CORE_KEY_SET.keys.at(-1)).toBe('border_SK_SI');
    expect(EXTENDED_KEY_SET.keys).toHaveLength(156);
    expect(EXTENDED_KEY_SET.keys.filter((key) => CORE_KEY_SET.keys.includes(key))).toHaveLength(132);
    expect([...CORE_KEY_SET.keys, ...EXTENDED_KEY_SET.keys].every((key) => borderKeys.read(key).ok)).toBe(
      true,
    );
    expect(keySetForDay('2026-05-31', '2026-06-01')).toBe(CORE_KEY_SET);
    expect(keySetForDay('2026-06-01', '2026-06-01')).toBe(EXTENDED_KEY_SET);
  });

  it('is deterministic, integer and in range', () => {
    const hash = keyHash('border_AT_BE');
    expect(valueAt(hash, MTU, 0)).toBe(valueAt(keyHash('border_AT_BE'), MTU, 0));
    const values = new Set<number>();
    for (const key of CORE_KEY_SET.keys) {
      for (let hour = 0; hour < 48; hour++) {
        const value = valueAt(keyHash(key), MTU + hour * 3_600_000, 0);
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(MIN_VALUE_MW);
        expect(value).toBeLessThanOrEqual(MAX_VALUE_MW);
        values.add(value);
      }
    }
    expect(values.size).toBeGreaterThan(3000);
  });

  it('changes every value at each revision', () => {
    for (const key of CORE_KEY_SET.keys) {
      const hash = keyHash(key);
      for (let revision = 1; revision <= 5; revision++) {
        expect(valueAt(hash, MTU, revision)).not.toBe(valueAt(hash, MTU, revision - 1));
      }
    }
  });

  it('writes rows like JAO', () => {
    expect(rowIdAt(MTU)).toBe(34_059);
    expect(rowIdAt(MTU + 47 * 3_600_000)).toBe(34_106);
    expect(jaoDateTime(MTU)).toBe('2026-04-20T00:00:00Z');
    const row = rowJson(CORE_KEY_SET, MTU, 0);
    expect(row.startsWith('{"id":34059,"dateTimeUtc":"2026-04-20T00:00:00Z","border_AT_BE":')).toBe(true);
    const parsed = JSON.parse(row) as Record<string, unknown>;
    expect(Object.keys(parsed)).toHaveLength(134);
    expect(parsed.border_AT_BE).toBe(valueAt(keyHash('border_AT_BE'), MTU, 0));
    expect(row).toMatch(/"border_SK_SI":\d+\.0000000000\}$/);
  });
});
