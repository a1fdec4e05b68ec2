// db/namedStatement.ts: named parameters compiled once into `$n`, values passed by name.
import { describe, expect, it } from 'vitest';
import { namedStatement } from '../../db/namedStatement';

describe('namedStatement', () => {
  const statement = namedStatement<{ dataset: string; day: string; txTime: Date | null }>(
    'test.named',
    `SELECT :dataset, :day::date, COALESCE(:txTime::timestamptz, now()), '12:30'::time, x::text
      WHERE dataset = :dataset`,
  );

  it('numbers each distinct name once, in order of first use, and leaves casts and colons in literals alone', () => {
    expect(statement.text).toBe(
      `SELECT $1, $2::date, COALESCE($3::timestamptz, now()), '12:30'::time, x::text
      WHERE dataset = $1`,
    );
    expect(statement.parameters).toEqual(['dataset', 'day', 'txTime']);
  });

  it('passes values by name, whatever the order of the object', () => {
    expect(statement.valuesOf({ txTime: null, day: '2026-01-01', dataset: 'maxExchanges' })).toEqual([
      'maxExchanges',
      '2026-01-01',
      null,
    ]);
  });

  it('refuses a call without a value for a name', () => {
    const partial = { dataset: 'maxExchanges', day: '2026-01-01' } as unknown as Parameters<
      typeof statement.valuesOf
    >[0];
    expect(() => statement.valuesOf(partial)).toThrow('test.named: no value for parameter :txTime');
  });
});
