// Keys a dataset declares published empty (Core atc's Italian borders): their nulls are no missing values, a day with
// exactly those nulls is complete and names them; a null anywhere else still makes the day partial, and a value on
// a declared-empty key is kept and named. Checked on the real atc capture's delivery day.
import { describe, expect, it } from 'vitest';
import { declarationOf } from '../../domain/datasets';
import { declarationProblems } from '../../domain/datasets/declarationSchema';
import { judgeDay } from '../../domain/dayStatus';
import { describeDrift } from '../../domain/drift';
import type { KeyedValuesDay } from '../../domain/types';
import { optionsFor, validateDay } from '../../domain/validate';
import { captureText } from '../helpers/captures';

const DAY = '2026-04-21';
const atc = declarationOf('coreAtc');
const EMPTY = ['border_AT_IT', 'border_FR_IT', 'border_IT_AT', 'border_IT_FR'];

type Row = Record<string, unknown>;

function capture(): { data: Row[]; rejected: boolean; messages: null } {
  return JSON.parse(captureText('coreAtc'));
}

function validated(payload: unknown, options = optionsFor(atc, DAY)): KeyedValuesDay {
  const outcome = validateDay(DAY, payload, options);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.result;
}

/** The rows of the delivery day (the capture spans two UTC days). */
function dayRows(payload: { data: Row[] }): Row[] {
  return payload.data.filter((row) => {
    const at = String(row.dateTimeUtc);
    return at >= '2026-04-20T22:00:00Z' && at < '2026-04-21T22:00:00Z';
  });
}

describe('keys published empty on purpose', () => {
  it('a day whose only nulls are the declared keys is complete and names them', () => {
    const day = validated(capture());
    expect(day.publishedEmptyKeys).toEqual(EMPTY);
    expect(day.emptyKeysWithValues).toEqual([]);
    expect(day.keys).toHaveLength(10);
    expect(day.points).toHaveLength(96 * 10);
    expect(day.nullValues).toBe(0);
    expect(day.rejections.filter((r) => r.rule === 'null_value')).toEqual([]);
    expect(judgeDay(day)).toEqual({ status: 'complete', reason: null });
  });

  it('without the declaration the same nulls are missing values: partial', () => {
    const day = validated(capture(), { ...optionsFor(atc, DAY), publishedEmptyKeys: [] });
    expect(day.nullValues).toBe(4 * 96);
    const verdict = judgeDay(day);
    expect(verdict.status).toBe('partial');
    expect(verdict.reason).toContain('384 of 1344 values missing');
  });

  it('a null on a key declared to carry values keeps the day partial', () => {
    const payload = capture();
    dayRows(payload)[10]!.border_DE_DK1 = null;
    const day = validated(payload);
    expect(day.nullValues).toBe(1);
    expect(judgeDay(day)).toMatchObject({ status: 'partial' });
    expect(judgeDay(day).reason).toContain('1 of 960 values missing');
  });

  it('a value on a declared-empty key is stored and named, and its nulls stay no missing values', () => {
    const payload = capture();
    dayRows(payload)[5]!.border_FR_IT = 1234;
    const day = validated(payload);
    expect(day.emptyKeysWithValues).toEqual(['border_FR_IT']);
    expect(day.publishedEmptyKeys).toEqual(EMPTY.filter((key) => key !== 'border_FR_IT'));
    expect(day.keys).toContain('border_FR_IT');
    expect(day.points.filter((point) => point.key === 'border_FR_IT').map((point) => point.value)).toEqual([
      1234,
    ]);
    expect(judgeDay(day).status).toBe('complete');
    expect(
      describeDrift({
        kinds: ['empty_keys_filled'],
        previousDay: null,
        resolutionMinutes: 15,
        previousResolutionMinutes: null,
        keysAdded: [],
        keysVanished: [],
        emptyKeysFilled: day.emptyKeysWithValues ?? [],
      }),
    ).toBe('1 keys declared published empty carry values (border_FR_IT)');
  });

  it('a key of another dataset is kept as a key of its own and every expected value still counts', () => {
    const payload = capture();
    for (const row of payload.data) row.border_NO1_SE3 = row === dayRows(payload)[0] ? null : 100;
    const day = validated(payload);
    expect(day.keys).toContain('border_NO1_SE3');
    expect(judgeDay(day).status).toBe('partial');
    expect(judgeDay(day).reason).toContain('1 of 1056 values missing');
  });

  it('a key of another dataset with every value is stored as its own series, and the day complete', () => {
    const payload = capture();
    for (const row of payload.data) row.border_NO1_SE3 = 100;
    const day = validated(payload);
    expect(day.keys).toHaveLength(11);
    expect(day.points.filter((point) => point.key === 'border_NO1_SE3')).toHaveLength(96);
    expect(day.points.find((point) => point.key === 'border_NO1_SE3')).toMatchObject({
      fromZone: 'NO1',
      toZone: 'SE3',
      value: 100,
    });
    expect(day.rejections.filter((refused) => refused.rule !== 'outside_window')).toEqual([]);
    expect(judgeDay(day)).toEqual({ status: 'complete', reason: null });
  });

  it('refuses a declaration whose published-empty keys name undeclared zones, in one line', () => {
    expect(
      declarationProblems([{ ...atc, publishedEmpty: { keys: ['border_FR_XX'], meaning: 'test' } }]),
    ).toEqual(['dataset coreAtc: publishedEmpty.keys.0: must name two different declared zones']);
  });
});
