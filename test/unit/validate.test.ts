import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE_ZONES } from '../../domain/borders';
import { judgeDay, statusOf } from '../../domain/dayStatus';
import type { KeyedValuesDay } from '../../domain/types';
import { MAX_PLAUSIBLE_MW, validateDay, validateDayBody, validateWindow } from '../../domain/validate';

const FIXTURES = join(__dirname, '..', 'fixtures', 'jao');
const CORE_TEXT = readFileSync(
  join(FIXTURES, 'core_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.json'),
  'utf8',
);
const NORDIC_TEXT = readFileSync(
  join(FIXTURES, 'nordic_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.json'),
  'utf8',
);
const CAPTURE_WINDOW = { from: '2026-04-20T00:00:00.000Z', to: '2026-04-22T00:00:00.000Z' };

type Row = Record<string, unknown>;
interface Envelope {
  data: Row[];
  rejected: boolean;
  messages: unknown;
}

function core(): Envelope {
  return JSON.parse(CORE_TEXT) as Envelope;
}

/** The 24 Core rows of delivery day 2026-04-21 (2026-04-20T22:00Z … 2026-04-21T21:00Z), as a fresh copy. */
function coreDay(): Envelope {
  const envelope = core();
  return { ...envelope, data: envelope.data.slice(22, 46) };
}

const DAY = '2026-04-21';

function validOrFail(day: string, payload: unknown): KeyedValuesDay {
  const outcome = validateDay(day, payload);
  if (!outcome.ok) throw new Error(`expected a valid payload, got: ${outcome.reason}`);
  return outcome.result;
}

describe('validation of the real captures', () => {
  it('normalizes the Core capture to 48 MTUs × 132 keys with no rejection', () => {
    const outcome = validateWindow(CAPTURE_WINDOW, JSON.parse(CORE_TEXT));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const result = outcome.result;
    expect(result.resolutionMinutes).toBe(60);
    expect(result.expectedMtus).toBe(48);
    expect(result.receivedMtus).toBe(48);
    expect(result.missingMtus).toEqual([]);
    expect(result.rejections).toEqual([]);
    expect(result.keys).toHaveLength(132);
    expect(result.points).toHaveLength(48 * 132);
    expect(new Set(result.points.map((p) => p.mtu)).size).toBe(48);
    expect(result.points[0]).toEqual({
      key: 'border_AT_BE',
      fromZone: 'AT',
      toZone: 'BE',
      mtu: '2026-04-20T00:00:00.000Z',
      value: 4346,
    });
    const zones = new Set(result.points.flatMap((p) => [p.fromZone, p.toZone]));
    expect([...zones].sort()).toEqual([...CORE_ZONES].sort());
    const values = result.points.map((p) => p.value as number);
    expect(Math.min(...values)).toBe(733);
    expect(Math.max(...values)).toBe(15004);
    expect(result.points.at(-1)?.mtu).toBe('2026-04-21T23:00:00.000Z');
  });

  it('detects the Nordic capture as 15-minute with 62 keys', () => {
    const outcome = validateWindow(CAPTURE_WINDOW, JSON.parse(NORDIC_TEXT));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.result.resolutionMinutes).toBe(15);
    expect(outcome.result.expectedMtus).toBe(192);
    expect(outcome.result.receivedMtus).toBe(192);
    expect(outcome.result.keys).toHaveLength(62);
    expect(outcome.result.points).toHaveLength(192 * 62);
    expect(outcome.result.rejections).toEqual([]);
    expect(outcome.result.keys).not.toContain('lastModifiedOn');
  });

  it('classifies the Core capture against each delivery day it touches', () => {
    const payload = JSON.parse(CORE_TEXT);
    const april20 = validOrFail('2026-04-20', payload);
    expect([april20.receivedMtus, april20.expectedMtus]).toEqual([22, 24]);
    expect(april20.missingMtus).toEqual(['2026-04-19T22:00:00.000Z', '2026-04-19T23:00:00.000Z']);
    expect(april20.rejections).toHaveLength(26);
    expect(april20.rejections.every((r) => r.rule === 'outside_window')).toBe(true);
    expect(statusOf(april20)).toBe('partial');

    const april21 = validOrFail('2026-04-21', payload);
    expect([april21.receivedMtus, april21.expectedMtus]).toEqual([24, 24]);
    expect(april21.missingMtus).toEqual([]);
    expect(april21.points).toHaveLength(24 * 132);
    expect(april21.rejections).toHaveLength(24);
    expect(april21.rejections[0]).toMatchObject({
      row: 0,
      rule: 'outside_window',
      mtu: '2026-04-20T00:00:00.000Z',
    });
    expect(statusOf(april21)).toBe('complete');

    const april22 = validOrFail('2026-04-22', payload);
    expect([april22.receivedMtus, april22.expectedMtus]).toEqual([2, 24]);
    expect(april22.missingMtus).toHaveLength(22);
    expect(statusOf(april22)).toBe('partial');
  });

  it('classifies the Nordic capture against its days at 15-minute resolution', () => {
    const payload = JSON.parse(NORDIC_TEXT);
    const april21 = validOrFail('2026-04-21', payload);
    expect(april21.resolutionMinutes).toBe(15);
    expect([april21.receivedMtus, april21.expectedMtus]).toEqual([96, 96]);
    expect(april21.rejections).toHaveLength(96);
    expect(statusOf(april21)).toBe('complete');
    const april20 = validOrFail('2026-04-20', payload);
    expect([april20.receivedMtus, april20.expectedMtus]).toEqual([88, 96]);
    expect(april20.missingMtus).toHaveLength(8);
    expect(april20.missingMtus[0]).toBe('2026-04-19T22:00:00.000Z');
    expect(april20.missingMtus[7]).toBe('2026-04-19T23:45:00.000Z');
    expect(statusOf(april20)).toBe('partial');
  });
});

describe('an answer whose resolution differs from its day’s declared one', () => {
  it('judges an hourly answer on a quarter-hour day on the declared 96 MTUs: partial, nothing refused', () => {
    const result = validateDay(DAY, coreDay(), { declaredResolutionMinutes: 15 });
    if (!result.ok) throw new Error(result.reason);
    expect(result.result.resolutionMinutes).toBe(60);
    expect([result.result.receivedMtus, result.result.expectedMtus]).toEqual([24, 96]);
    expect(result.result.missingMtus).toHaveLength(72);
    expect(result.result.missingMtus[0]).toBe('2026-04-20T22:15:00.000Z');
    expect(result.result.rejections).toEqual([]);
    expect(statusOf(result.result)).toBe('partial');
  });

  it('keeps a quarter-hour answer on an hourly day whole, on its own 96 MTUs', () => {
    const result = validOrFail('2026-04-21', JSON.parse(NORDIC_TEXT));
    const declaredHourly = validateDay('2026-04-21', JSON.parse(NORDIC_TEXT), {
      declaredResolutionMinutes: 60,
    });
    if (!declaredHourly.ok) throw new Error(declaredHourly.reason);
    expect(declaredHourly.result.resolutionMinutes).toBe(15);
    expect([declaredHourly.result.receivedMtus, declaredHourly.result.expectedMtus]).toEqual([96, 96]);
    expect(declaredHourly.result.points).toHaveLength(result.points.length);
    expect(statusOf(declaredHourly.result)).toBe('complete');
  });
});

describe('validation of broken payloads', () => {
  it('refuses truncated JSON as a whole', () => {
    const dayText = JSON.stringify(coreDay());
    const outcome = validateDayBody(DAY, dayText.slice(0, Math.floor(dayText.length / 2)));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toMatch(/^body is not JSON/);
    expect(outcome.rejections).toHaveLength(1);
    expect(outcome.rejections[0]).toMatchObject({ row: null, key: null, rule: 'envelope' });
  });

  it('refuses an HTML error page as a whole', () => {
    const outcome = validateDayBody(DAY, '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toMatch(/^body is not JSON/);
    expect(outcome.rejections[0]?.raw).toContain('502 Bad Gateway');
  });

  it('refuses an envelope with wrong types as a whole', () => {
    const dataNotArray = validateDay(DAY, { data: { rows: [] }, rejected: false, messages: null });
    expect(dataNotArray.ok).toBe(false);
    if (!dataNotArray.ok) expect(dataNotArray.reason).toMatch(/^not a JAO envelope: data:/);
    const rejectedAsText = validateDay(DAY, { data: [], rejected: 'false', messages: null });
    expect(rejectedAsText.ok).toBe(false);
    if (!rejectedAsText.ok) expect(rejectedAsText.reason).toMatch(/rejected:/);
    const dataNull = validateDay(DAY, { data: null, rejected: false, messages: null });
    expect(dataNull.ok).toBe(false);
    expect(validateDay(DAY, [coreDay()]).ok).toBe(false);
    expect(validateDay(DAY, null).ok).toBe(false);
  });

  it('refuses rows and values of the wrong type alone', () => {
    const payload = coreDay();
    payload.data[3] = { ...payload.data[3], dateTimeUtc: 1776722400000 };
    payload.data[4]!.border_AT_CZ = true;
    (payload.data as unknown[])[5] = 'row';
    const result = validOrFail(DAY, payload);
    expect(result.rejections.map((r) => [r.row, r.rule, r.key])).toEqual([
      [3, 'datetime_missing', null],
      [5, 'row_not_object', null],
      [4, 'value_not_number', 'border_AT_CZ'],
    ]);
    expect(result.receivedMtus).toBe(22);
    expect(result.missingMtus).toEqual(['2026-04-21T01:00:00.000Z', '2026-04-21T03:00:00.000Z']);
    expect(result.points).toHaveLength(22 * 132 - 1);
    expect(statusOf(result)).toBe('partial');
  });

  it('collapses an identical duplicate row (another id, same values) into one and counts it', () => {
    const payload = coreDay();
    payload.data.push({ ...payload.data[5], id: 99999 });
    const result = validOrFail(DAY, payload);
    expect(result.rejections).toEqual([]);
    expect(result.duplicateRows).toBe(1);
    expect(result.conflictingRows).toBe(0);
    expect(result.receivedMtus).toBe(24);
    expect(result.points).toHaveLength(24 * 132);
    expect(statusOf(result)).toBe('complete');
  });

  it('refuses every row of an MTU published twice with different values and reports the MTU missing', () => {
    const payload = coreDay();
    payload.data.push({ ...payload.data[5], border_AT_BE: (payload.data[5]!.border_AT_BE as number) + 1 });
    const result = validOrFail(DAY, payload);
    expect(result.rejections.map((r) => [r.row, r.rule, r.mtu, r.key])).toEqual([
      [5, 'conflicting_duplicate', '2026-04-21T03:00:00.000Z', null],
      [24, 'conflicting_duplicate', '2026-04-21T03:00:00.000Z', null],
    ]);
    expect([result.conflictingRows, result.duplicateRows]).toEqual([2, 0]);
    expect(result.receivedMtus).toBe(23);
    expect(result.missingMtus).toEqual(['2026-04-21T03:00:00.000Z']);
    expect(result.points.some((p) => p.mtu === '2026-04-21T03:00:00.000Z')).toBe(false);
    expect(result.points).toHaveLength(23 * 132);
    expect(statusOf(result)).toBe('partial');
  });

  it('refuses a negative value alone and keeps the rest', () => {
    const payload = coreDay();
    payload.data[2]!.border_BE_FR = -5;
    const result = validOrFail(DAY, payload);
    expect(result.rejections).toEqual([
      { row: 2, key: 'border_BE_FR', mtu: '2026-04-21T00:00:00.000Z', rule: 'value_negative', raw: '-5' },
    ]);
    expect(result.points).toHaveLength(24 * 132 - 1);
    expect(result.receivedMtus).toBe(24);
    expect(statusOf(result)).toBe('partial');
  });

  it('refuses a value sent as a string', () => {
    const payload = coreDay();
    payload.data[0]!.border_AT_BE = '4346';
    const result = validOrFail(DAY, payload);
    expect(result.rejections).toEqual([
      {
        row: 0,
        key: 'border_AT_BE',
        mtu: '2026-04-20T22:00:00.000Z',
        rule: 'value_not_number',
        raw: '"4346"',
      },
    ]);
    expect(result.points).toHaveLength(24 * 132 - 1);
  });

  it('refuses implausibly large values at the sanity bound, keeps values just under it', () => {
    const payload = coreDay();
    payload.data[0]!.border_AT_BE = MAX_PLAUSIBLE_MW;
    payload.data[0]!.border_AT_CZ = MAX_PLAUSIBLE_MW - 0.5;
    const result = validOrFail(DAY, payload);
    expect(result.rejections.map((r) => [r.key, r.rule])).toEqual([['border_AT_BE', 'value_too_large']]);
    expect(
      result.points.find((p) => p.key === 'border_AT_CZ' && p.mtu === '2026-04-20T22:00:00.000Z')?.value,
    ).toBe(99_999.5);
  });

  it('records a null as a missing value (rejection null_value), not as a point', () => {
    const payload = coreDay();
    payload.data[1]!.border_SK_SI = null;
    const result = validOrFail(DAY, payload);
    expect(result.rejections).toEqual([
      { row: 1, key: 'border_SK_SI', mtu: '2026-04-20T23:00:00.000Z', rule: 'null_value', raw: 'null' },
    ]);
    expect(result.nullValues).toBe(1);
    expect(result.points).toHaveLength(24 * 132 - 1);
    expect(result.points.some((p) => p.value === null)).toBe(false);
    expect(result.receivedMtus).toBe(24);
    expect(statusOf(result)).toBe('partial');
  });

  it('refuses malformed keys and keys from a zone to itself, ignores non-border fields', () => {
    const payload = coreDay();
    payload.data[0]!.border_AT_AT = 100;
    payload.data[0]!.border_at_be = 100;
    payload.data[0]!.lastModifiedOn = '2026-04-20T07:57:32.853';
    const result = validOrFail(DAY, payload);
    expect(result.rejections.map((r) => [r.row, r.key, r.rule])).toEqual([
      [0, 'border_AT_AT', 'key_same_zone'],
      [0, 'border_at_be', 'key_format'],
    ]);
    expect(result.keys).toHaveLength(132);
    expect(result.refusedKeys).toBe(2);
    expect(result.unknownFields).toEqual(['lastModifiedOn']);
    expect(result.points).toHaveLength(24 * 132);
    expect(statusOf(result)).toBe('partial');
  });

  it('refuses an unknown envelope as a whole', () => {
    const outcome = validateDay(DAY, { items: coreDay().data, status: 'ok' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toMatch(/^not a JAO envelope/);
    expect(outcome.rejections).toHaveLength(1);
    expect(outcome.rejections[0]?.rule).toBe('envelope');
  });

  it('refuses rejected:true as a whole with JAO messages', () => {
    const outcome = validateDay(DAY, {
      data: [],
      rejected: true,
      messages: ['Too many requests for this period'],
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toBe('rejected by JAO: Too many requests for this period');
    expect(outcome.rejections).toEqual([
      { row: null, key: null, mtu: null, rule: 'rejected', raw: '["Too many requests for this period"]' },
    ]);
  });

  it('refuses a row outside the window alone', () => {
    const payload = coreDay();
    payload.data.push(core().data[46]!);
    const result = validOrFail(DAY, payload);
    expect(result.rejections).toEqual([
      {
        row: 24,
        key: null,
        mtu: '2026-04-21T22:00:00.000Z',
        rule: 'outside_window',
        raw: '"2026-04-21T22:00:00Z"',
      },
    ]);
    expect(result.receivedMtus).toBe(24);
    expect(statusOf(result)).toBe('complete');
  });

  it('refuses a row off the hourly grid and a badly written time', () => {
    const payload = coreDay();
    payload.data.push({ ...payload.data[0], dateTimeUtc: '2026-04-21T05:30:00Z' });
    payload.data.push({ ...payload.data[0], dateTimeUtc: '2026-04-21 06:00:00' });
    const result = validOrFail(DAY, payload);
    expect(result.resolutionMinutes).toBe(60);
    expect(result.rejections.map((r) => [r.row, r.rule])).toEqual([
      [25, 'datetime_format'],
      [24, 'mtu_not_aligned'],
    ]);
    expect(result.expectedMtus).toBe(24);
    expect(statusOf(result)).toBe('complete');
  });

  it('judges a payload whose rows are all refused invalid', () => {
    const result = validOrFail('2026-05-01', JSON.parse(CORE_TEXT));
    expect(result.rejections).toHaveLength(48);
    expect(result.points).toEqual([]);
    expect(judgeDay(result)).toEqual({
      status: 'invalid',
      reason:
        'no value accepted: 24 of 24 MTUs missing (2026-04-30T22:00Z, 2026-04-30T23:00Z, 2026-05-01T00:00Z, …); 48 rows refused (outside_window 48)',
    });
  });

  it('reads an empty answer as not published, with every MTU of the day missing', () => {
    const result = validOrFail('2022-10-30', { data: [], rejected: false, messages: null });
    expect(result.resolutionMinutes).toBeNull();
    expect(result.expectedMtus).toBe(25);
    expect(result.receivedMtus).toBe(0);
    expect(result.missingMtus).toHaveLength(25);
    expect(result.points).toEqual([]);
    expect(statusOf(result)).toBe('not_published');
  });

  it('accepts extra envelope fields (totalRows) and counts a DST day in its own hours', () => {
    const rows: Row[] = [];
    for (let hour = 0; hour < 25; hour++) {
      const start = Date.parse('2022-10-29T22:00:00Z') + hour * 3_600_000;
      rows.push({
        id: hour,
        dateTimeUtc: `${new Date(start).toISOString().slice(0, 19)}Z`,
        border_AT_BE: 1000 + hour,
      });
    }
    const result = validOrFail('2022-10-30', { data: rows, rejected: false, messages: null, totalRows: 25 });
    expect([result.receivedMtus, result.expectedMtus, result.points.length]).toEqual([25, 25, 25]);
    expect(statusOf(result)).toBe('complete');
  });
});
