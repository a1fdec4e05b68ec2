// The chart's request model (page/client/chartRequest.ts) and difference lines (chartData.ts): pure, no DOM. The
// lines' strokes: test/unit/borderColours.test.ts.
import { describe, expect, it } from 'vitest';
import type { RevisionRow } from '../../domain/apiAnswers';
import { differenceLine, rowsByBorder, versionInstants } from '../../page/client/chartData';
import {
  type ChartRequest,
  csvFileName,
  csvRequest,
  linesTouched,
  NOTHING_TOUCHED,
} from '../../page/client/chartRequest';

const values: ChartRequest = {
  borders: ['DE_FR', 'AT_BE'],
  from: '2024-10-26',
  to: '2024-10-28',
  asOf: null,
  revisionsDay: null,
  difference: null,
};
const difference: ChartRequest = {
  ...values,
  from: '2024-10-28',
  to: '2024-10-28',
  difference: { base: '2024-10-25T08:00:00.000Z', compare: null },
};

describe('the lines a live change moves', () => {
  it('moves every border of the range shown for a change of any of its days, none outside it', () => {
    for (const day of ['2024-10-26', '2024-10-27', '2024-10-28']) {
      expect(linesTouched(values, { day })).toEqual({ ...NOTHING_TOUCHED, current: true });
    }
    expect(linesTouched(values, { day: '2024-10-29' })).toEqual(NOTHING_TOUCHED);
    expect(linesTouched(values, { day: 42 })).toEqual(NOTHING_TOUCHED);
  });

  it('moves the values as known at an instant only for a change stored by then', () => {
    const asOf = { ...values, asOf: '2024-10-27T12:00:00.000Z' };
    expect(linesTouched(asOf, { day: '2024-10-27', raisedAt: '2024-10-27T11:00:00.000Z' }).asOf).toBe(true);
    expect(linesTouched(asOf, { day: '2024-10-27', raisedAt: '2024-10-27T13:00:00.000Z' }).asOf).toBe(false);
  });

  it('moves a difference with the current values for a change of its day, one between past versions not', () => {
    expect(linesTouched(difference, { day: '2024-10-28' })).toEqual({ ...NOTHING_TOUCHED, difference: true });
    expect(linesTouched(difference, { day: '2024-10-27' })).toEqual(NOTHING_TOUCHED);
    const past = {
      ...difference,
      difference: { base: difference.difference!.base, compare: '2024-10-27T09:30:00.000Z' },
    };
    expect(linesTouched(past, { day: '2024-10-28', raisedAt: '2026-11-23T10:00:00.000Z' })).toEqual(
      NOTHING_TOUCHED,
    );
  });
});

describe('the CSV of what is drawn', () => {
  it("asks the values of the drawn borders, as known at the drawing's instant", () => {
    expect(csvRequest(values, 'maxExchanges')).toEqual({
      path: '/v1/datasets/maxExchanges/values',
      params: { border: ['DE_FR', 'AT_BE'] },
    });
    const asOf = { ...values, asOf: '2024-10-27T09:00:00.000Z' };
    expect(csvRequest(asOf, 'maxExchanges').params).toEqual({ border: ['DE_FR', 'AT_BE'], as_of: asOf.asOf });
    expect(csvFileName(asOf, 'maxExchanges')).toBe(
      'maxExchanges_DE_FR+AT_BE_2024-10-26_2024-10-28_as_of_20241027T090000Z.csv',
    );
  });

  it('asks the difference of the two versions drawn', () => {
    expect(csvRequest(difference, 'maxExchanges')).toEqual({
      path: '/v1/datasets/maxExchanges/difference',
      params: { border: ['DE_FR', 'AT_BE'], base_as_of: '2024-10-25T08:00:00.000Z' },
    });
    expect(csvFileName(difference, 'maxExchanges')).toBe(
      'maxExchanges_DE_FR+AT_BE_difference_20241025T080000Z_current_2024-10-28_2024-10-28.csv',
    );
  });
});

describe('the difference lines', () => {
  it("draws a border's difference per MTU, with a gap where either version has no value", () => {
    const rows = [
      {
        mtu: '2024-10-27T23:00:00.000Z',
        delivery_day: '2024-10-28',
        border: 'AT_BE',
        base_mw: 1,
        compare_mw: 4,
        difference_mw: 3,
      },
      {
        mtu: '2024-10-27T23:00:00.000Z',
        delivery_day: '2024-10-28',
        border: 'DE_FR',
        base_mw: 5,
        compare_mw: null,
        difference_mw: null,
      },
    ];
    const byBorder = rowsByBorder(['DE_FR', 'AT_BE'], rows);
    expect([...byBorder.keys()]).toEqual(['DE_FR', 'AT_BE']);
    expect(differenceLine('AT_BE', byBorder.get('AT_BE')!).values).toEqual(
      new Map([[Date.parse(rows[0]!.mtu) / 1000, 3]]),
    );
    expect(differenceLine('DE_FR', byBorder.get('DE_FR')!).values.size).toBe(0);
  });

  it("orders a day's versions over several borders by when they began, once each", () => {
    const row = (border: string, validFrom: string): RevisionRow => ({
      mtu: '2024-10-27T23:00:00.000Z',
      delivery_day: '2024-10-28',
      border,
      from_zone: border.slice(0, 2),
      to_zone: border.slice(3),
      value_mw: 1,
      revision: 1,
      first_seen_at: validFrom,
      valid_from: validFrom,
      valid_to: null,
    });
    expect(
      versionInstants([
        row('AT_BE', '2024-10-27T09:30:00.000Z'),
        row('DE_FR', '2024-10-25T08:00:00.000Z'),
        row('DE_FR', '2024-10-27T09:30:00.000Z'),
      ]),
    ).toEqual(['2024-10-25T08:00:00.000Z', '2024-10-27T09:30:00.000Z']);
  });
});
