// The status rules of docs/design.md §5 and the quality record of a day, on the real Core capture and variants of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeDayContent } from '../../db/lanes/keyedValues/dayContent';
import { assessBody } from '../../domain/assess';
import { allOrderedBorderKeys, CORE_ZONES } from '../../domain/borders';
import { judgeDay } from '../../domain/dayStatus';
import { MAX_NEW_KEYS_PER_DAY, MAX_UNKNOWN_FIELDS } from '../../domain/limits';
import { printableText } from '../../domain/text';
import type { KeyedValuesDay, Rejection } from '../../domain/types';
import { storedValuesKeptBy, validateDay } from '../../domain/validate';

const CORE = JSON.parse(
  readFileSync(
    join(__dirname, '..', 'fixtures', 'jao', 'core_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.json'),
    'utf8',
  ),
) as { data: Record<string, unknown>[] };
const DAY = '2026-04-21';
const CORE_KEYS = allOrderedBorderKeys(CORE_ZONES);

/** The 24 Core rows of 2026-04-21 as a fresh copy. */
function coreRows(): Record<string, unknown>[] {
  return structuredClone(CORE.data.slice(22, 46));
}

const envelope = (data: unknown[]) => ({ data, rejected: false, messages: null });

function validated(data: unknown[], knownKeys?: ReadonlySet<string>): KeyedValuesDay {
  const outcome = validateDay(DAY, envelope(data), knownKeys ? { knownKeys } : {});
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.result;
}

/** The quality record's counts, for exact comparison. */
function record(v: KeyedValuesDay) {
  return {
    ...judgeDay(v),
    resolutionMinutes: v.resolutionMinutes,
    expectedMtus: v.expectedMtus,
    receivedMtus: v.receivedMtus,
    missingMtus: v.missingMtus,
    keys: v.keys.length,
    points: v.points.length,
    nullValues: v.nullValues,
    duplicateRows: v.duplicateRows,
    conflictingRows: v.conflictingRows,
    refusedKeys: v.refusedKeys,
    rejections: v.rejections.length,
    unknownFields: v.unknownFields,
  };
}

const CLEAN = {
  status: 'complete',
  reason: null,
  resolutionMinutes: 60,
  expectedMtus: 24,
  receivedMtus: 24,
  missingMtus: [],
  keys: 132,
  points: 3168,
  nullValues: 0,
  duplicateRows: 0,
  conflictingRows: 0,
  refusedKeys: 0,
  rejections: 0,
  unknownFields: [],
};

describe('the real Core capture day', () => {
  it('is complete: 132 keys × 24 MTUs, exactly the published values, no anomaly', () => {
    const body = JSON.stringify(envelope(coreRows()));
    const assessment = assessBody(DAY, body);
    expect(assessment).toMatchObject({ status: 'complete', reason: null, error: null, rejections: [] });
    const v = assessment.validated!;
    expect(record(v)).toEqual(CLEAN);
    expect(v.keys).toEqual([...CORE_KEYS].sort());
    expect(v.absentValues).toBe(0);
    const byCell = new Map(v.points.map((p) => [`${p.key}@${p.mtu}`, p.value]));
    coreRows().forEach((row, hour) => {
      const mtu = new Date(Date.parse('2026-04-20T22:00:00Z') + hour * 3_600_000).toISOString();
      for (const key of CORE_KEYS) expect(byCell.get(`${key}@${mtu}`)).toBe(row[key]);
    });
  });
});

describe('status rules', () => {
  it('null values: each a null_value rejection, the day partial with a reason', () => {
    const rows = coreRows();
    for (const key of CORE_KEYS.slice(0, 25)) rows[0]![key] = null;
    const v = validated(rows);
    expect(record(v)).toEqual({
      ...CLEAN,
      status: 'partial',
      reason: '25 of 3168 values missing: 25 null values',
      points: 3143,
      nullValues: 25,
      rejections: 25,
    });
    expect(v.rejections.every((r) => r.rule === 'null_value' && r.row === 0 && r.key !== null)).toBe(true);
  });

  it('every value null: nothing usable, invalid', () => {
    const rows = coreRows();
    for (const row of rows) for (const key of CORE_KEYS) row[key] = null;
    expect(judgeDay(validated(rows))).toEqual({
      status: 'invalid',
      reason:
        'no value accepted: 24 of 24 MTUs missing (2026-04-20T22:00Z, 2026-04-20T23:00Z, 2026-04-21T00:00Z, …); 3168 null values',
    });
  });

  it('values as strings: no value accepted, invalid with 0 values (never complete)', () => {
    const rows = coreRows();
    for (const row of rows) for (const key of CORE_KEYS) row[key] = `${row[key]}.0`;
    const assessment = assessBody(DAY, JSON.stringify(envelope(rows)));
    expect(assessment.status).toBe('invalid');
    expect(assessment.error).toBe(assessment.reason);
    expect(record(assessment.validated!)).toEqual({
      ...CLEAN,
      status: 'invalid',
      reason:
        'no value accepted: 24 of 24 MTUs missing (2026-04-20T22:00Z, 2026-04-20T23:00Z, 2026-04-21T00:00Z, …); ' +
        '3168 values refused (value_not_number 3168)',
      receivedMtus: 0,
      missingMtus: assessment.validated!.missingMtus,
      points: 0,
      rejections: 3168,
    });
    expect(assessment.validated!.missingMtus).toHaveLength(24);
  });

  it('an identical duplicate row: collapsed and counted, the day still complete', () => {
    const rows = coreRows();
    rows.splice(4, 0, structuredClone(rows[3]!));
    expect(record(validated(rows))).toEqual({ ...CLEAN, duplicateRows: 1 });
  });

  it('conflicting duplicates: that MTU refused (conflicting_duplicate), the day partial', () => {
    const rows = coreRows();
    rows.splice(4, 0, { ...rows[3]!, border_AT_BE: (rows[3]!.border_AT_BE as number) + 1 });
    const v = validated(rows);
    expect(record(v)).toEqual({
      ...CLEAN,
      status: 'partial',
      reason:
        '132 of 3168 values missing: 1 of 24 MTUs missing (2026-04-21T01:00Z); 2 conflicting duplicate rows',
      receivedMtus: 23,
      missingMtus: ['2026-04-21T01:00:00.000Z'],
      points: 3036,
      conflictingRows: 2,
      rejections: 2,
    });
    expect(v.rejections.map((r) => [r.row, r.rule, r.mtu])).toEqual([
      [3, 'conflicting_duplicate', '2026-04-21T01:00:00.000Z'],
      [4, 'conflicting_duplicate', '2026-04-21T01:00:00.000Z'],
    ]);
  });

  it('a missing MTU and a key absent from one row: partial, both told', () => {
    const rows = coreRows();
    rows.splice(2, 1);
    delete rows[5]!.border_SK_SI;
    expect(judgeDay(validated(rows))).toEqual({
      status: 'partial',
      reason:
        '133 of 3168 values missing: 1 of 24 MTUs missing (2026-04-21T00:00Z); 1 values absent from their rows',
    });
  });

  it('unknown fields: recorded sorted, the day still complete', () => {
    const rows = coreRows().map((row) => ({
      ...row,
      lastModifiedOn: '2026-04-20T07:57:32.853',
      comment: null,
    }));
    expect(record(validated(rows))).toEqual({ ...CLEAN, unknownFields: ['comment', 'lastModifiedOn'] });
  });

  it('15-minute rows at the Core path: 96 MTUs expected and present, complete', () => {
    const rows: Record<string, unknown>[] = [];
    for (const [hour, row] of coreRows().entries()) {
      for (let quarter = 0; quarter < 4; quarter++) {
        const ms = Date.parse('2026-04-20T22:00:00Z') + hour * 3_600_000 + quarter * 900_000;
        rows.push({ ...row, dateTimeUtc: `${new Date(ms).toISOString().slice(0, 19)}Z` });
      }
    }
    expect(record(validated(rows))).toEqual({
      ...CLEAN,
      resolutionMinutes: 15,
      expectedMtus: 96,
      receivedMtus: 96,
      points: 96 * 132,
    });
  });

  it('an empty answer: not published, with a reason', () => {
    expect(judgeDay(validated([]))).toEqual({
      status: 'not_published',
      reason: 'JAO published no rows for the day (not published yet)',
    });
  });
});

describe('bad keys are refusals, never day failures', () => {
  it('a key with a NUL byte and a 3,000-character key: refused once each, printable; the rest stored', () => {
    const nulKey = 'border_AT\u0000_BE';
    const longKey = `border_${'A'.repeat(2_993)}`;
    const rows = coreRows().map((row) => ({ ...row, [nulKey]: 1, [longKey]: 2 }));
    const v = validated(rows);
    expect(record(v)).toEqual({
      ...CLEAN,
      status: 'partial',
      reason: '2 keys refused (key_format 1, key_too_long 1)',
      refusedKeys: 2,
      rejections: 2,
    });
    expect(v.rejections[0]).toEqual({
      row: 0,
      key: 'border_AT\\u0000_BE',
      mtu: null,
      rule: 'key_format',
      raw: '"border_AT\\u0000_BE"',
    });
    expect(v.rejections[1]).toMatchObject({ row: 0, mtu: null, rule: 'key_too_long' });
    expect(v.rejections[1]!.key).toHaveLength(65);
    expect(v.rejections[1]!.raw.length).toBeLessThanOrEqual(301);
    for (const r of v.rejections) expect(`${r.key}${r.raw}`).not.toContain('\u0000');
  });

  it('10,000 malformed keys: each refused once, the Core values kept', () => {
    const extra = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`border_bad-${i}`, i]));
    const v = validated(coreRows().map((row) => ({ ...row, ...extra })));
    expect(record(v)).toMatchObject({ status: 'partial', keys: 132, points: 3168, refusedKeys: 10_000 });
    expect(v.rejections).toHaveLength(10_000);
  });

  it('10,000 well-formed unknown keys: all refused as too_many_keys, the known keys kept', () => {
    const extra = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`border_X${i}_Y${i}`, 1000]));
    const rows = coreRows().map((row) => ({ ...row, ...extra }));
    const v = validated(rows, new Set(CORE_KEYS));
    expect(record(v)).toEqual({
      ...CLEAN,
      status: 'partial',
      reason: '10000 keys refused (too_many_keys 10000)',
      refusedKeys: 10_000,
      rejections: 10_000,
    });
    expect(v.rejections[0]).toEqual({
      row: 0,
      key: 'border_X0_Y0',
      mtu: null,
      rule: 'too_many_keys',
      raw: '"border_X0_Y0"',
    });
    // A dataset's first day knows no key: the flood takes the Core keys with it, nothing usable is left.
    expect(judgeDay(validated(rows)).status).toBe('invalid');
  });

  it('accepts up to MAX_NEW_KEYS_PER_DAY new keys, refuses all new ones above', () => {
    const newKeys = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`border_N${i}_M${i}`, 5]));
    const known = new Set(CORE_KEYS);
    const atBound = validated(
      coreRows().map((row) => ({ ...row, ...newKeys(MAX_NEW_KEYS_PER_DAY) })),
      known,
    );
    expect([atBound.keys.length, atBound.refusedKeys]).toEqual([132 + MAX_NEW_KEYS_PER_DAY, 0]);
    expect(judgeDay(atBound).status).toBe('complete');
    const above = validated(
      coreRows().map((row) => ({ ...row, ...newKeys(MAX_NEW_KEYS_PER_DAY + 1) })),
      known,
    );
    expect([above.keys.length, above.refusedKeys]).toEqual([132, MAX_NEW_KEYS_PER_DAY + 1]);
  });

  it('bounds the zone codes and the unknown fields it records', () => {
    const rows = coreRows().map((row) => ({ ...row, border_ABCDEFGHIJK_AT: 1, border_ABCDEFGHIJ_AT: 1 }));
    const v = validated(rows);
    expect(v.rejections.map((r) => [r.key, r.rule])).toEqual([['border_ABCDEFGHIJK_AT', 'key_format']]);
    expect(v.keys).toContain('border_ABCDEFGHIJ_AT');
    const many = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`f\u0001${i}`, 1]));
    const fields = validated(coreRows().map((row) => ({ ...row, ...many }))).unknownFields;
    expect(fields).toHaveLength(MAX_UNKNOWN_FIELDS);
    expect(fields[0]).toBe('f\\u00010');
  });
});

describe('what a refusal keeps of the stored values', () => {
  const at = '2026-04-21T01:00:00.000Z';
  const r = (rule: string, key: string | null, mtu: string | null): Rejection => ({
    row: 0,
    key,
    mtu,
    rule,
    raw: '',
  });

  it('a refused value its cell, a refused row its MTU, an unreadable row the day; a null or a key nothing', () => {
    expect(storedValuesKeptBy(r('value_not_number', 'border_AT_BE', at))).toBe('cell');
    expect(storedValuesKeptBy(r('conflicting_duplicate', null, at))).toBe('mtu');
    expect(storedValuesKeptBy(r('datetime_missing', null, null))).toBe('day');
    expect(storedValuesKeptBy(r('null_value', 'border_AT_BE', at))).toBe('none');
    expect(storedValuesKeptBy(r('too_many_keys', 'border_X1_Y1', null))).toBe('none');
    expect(storedValuesKeptBy(r('key_format', 'border_at_be', null))).toBe('none');
  });

  it('the write path protects accordingly', () => {
    const content = normalizeDayContent(
      [],
      [
        r('value_not_number', 'border_AT_BE', at),
        r('conflicting_duplicate', null, at),
        r('null_value', 'border_AT_CZ', at),
        r('key_format', 'border_at_be', null),
      ],
    );
    expect(content.protectedCells).toEqual([
      { seriesKey: 'border_AT_BE', mtu: at },
      { seriesKey: '*', mtu: at },
    ]);
    expect(content.protectAll).toBe(false);
  });
});

describe('printableText', () => {
  it('escapes control characters and cuts long text', () => {
    expect(printableText('a\u0000b\nc')).toBe('a\\u0000b\\u000ac');
    expect(printableText('x'.repeat(10), 4)).toBe('xxxx…');
    expect(printableText('x'.repeat(4), 4)).toBe('xxxx');
    expect(printableText('\u0000'.repeat(10_000), 8)).toBe('\\u0000\\u…');
  });
});
