import { describe, expect, it } from 'vitest';
import {
  instantText,
  MARKET_TICK_INCREMENTS,
  marketAxisLabels,
  marketTicks,
  marketTimeText,
  marketZoneAt,
  parseMarketTime,
} from '../../page/client/marketTime';

describe('market time', () => {
  it('marks the repeated hour of the 25-hour day CEST, then CET', () => {
    expect(marketTimeText('2022-10-30T00:00:00Z')).toBe('2022-10-30 02:00 CEST');
    expect(marketTimeText('2022-10-30T01:00:00Z')).toBe('2022-10-30 02:00 CET');
  });

  it('skips 02:00 on the 23-hour day', () => {
    expect(marketTimeText('2023-03-26T00:00:00Z')).toBe('2023-03-26 01:00 CET');
    expect(marketTimeText('2023-03-26T01:00:00Z')).toBe('2023-03-26 03:00 CEST');
  });

  it('puts a day start on its market date, on a 24-hour clock', () => {
    expect(marketTimeText('2024-10-27T23:00:00Z')).toBe('2024-10-28 00:00 CET');
    expect(marketTimeText('2024-07-01T13:15:00Z', false)).toBe('15:15 CEST');
    expect(marketZoneAt(Date.parse('2024-01-15T12:00:00Z'))).toBe('CET');
  });
});

describe('the chart time axis', () => {
  const hourly = (fromIso: string, hours: number) =>
    Array.from({ length: hours }, (_, index) => Date.parse(fromIso) / 1000 + index * 3600);

  it('labels every hour of the 25-hour day once, the repeated 02:00 as CEST then CET', () => {
    const labels = marketAxisLabels(hourly('2022-10-29T22:00:00Z', 25));
    expect(new Set(labels).size).toBe(25);
    expect(labels.slice(0, 4)).toEqual(['00:00 CEST\n2022-10-30', '01:00 CEST', '02:00 CEST', '02:00 CET']);
    expect(labels.at(-1)).toBe('23:00 CET');
  });

  it('labels the 23-hour day without 02:00, and dates each new day', () => {
    const labels = marketAxisLabels(hourly('2023-03-25T23:00:00Z', 24));
    expect(labels.slice(0, 3)).toEqual(['00:00 CET\n2023-03-26', '01:00 CET', '03:00 CEST']);
    expect(labels.at(-1)).toBe('00:00 CEST\n2023-03-27');
    expect(labels.some((label) => label.startsWith('02:00'))).toBe(false);
  });
});

describe('the time axis ticks on the market clock', () => {
  const at = (iso: string) => Date.parse(iso) / 1000;
  const label = (seconds: number) => marketTimeText(new Date(seconds * 1000).toISOString());
  const HOUR = 3_600;
  const DAY = 86_400;

  it('ticks at market midnight and every whole market hour of a normal day, not at UTC midnight', () => {
    const ticks = marketTicks(at('2024-10-25T22:00:00Z'), at('2024-10-26T22:00:00Z'), HOUR);
    expect(ticks).toHaveLength(25);
    expect(label(ticks[0]!)).toBe('2024-10-26 00:00 CEST');
    expect(ticks.map(label).every((text) => text.endsWith(':00 CEST'))).toBe(true);
    const sixHourly = marketTicks(at('2024-10-25T22:00:00Z'), at('2024-10-26T22:00:00Z'), 6 * HOUR);
    expect(sixHourly.map((tick) => label(tick).slice(11))).toEqual([
      '00:00 CEST',
      '06:00 CEST',
      '12:00 CEST',
      '18:00 CEST',
      '00:00 CEST',
    ]);
  });

  it('ticks every hour of the 25-hour day, 02:00 twice (CEST, then CET), and midnight at both ends', () => {
    const ticks = marketTicks(at('2024-10-26T22:00:00Z'), at('2024-10-27T23:00:00Z'), HOUR);
    expect(ticks).toHaveLength(26);
    expect(ticks.slice(0, 4).map(label)).toEqual([
      '2024-10-27 00:00 CEST',
      '2024-10-27 01:00 CEST',
      '2024-10-27 02:00 CEST',
      '2024-10-27 02:00 CET',
    ]);
    expect(label(ticks.at(-1)!)).toBe('2024-10-28 00:00 CET');
    // Two hours apart: the second 02:00, an hour after the first, is left out (its label would crowd it).
    const twoHourly = marketTicks(at('2024-10-26T22:00:00Z'), at('2024-10-27T23:00:00Z'), 2 * HOUR);
    expect(twoHourly.slice(0, 4).map((tick) => label(tick).slice(11))).toEqual([
      '00:00 CEST',
      '02:00 CEST',
      '04:00 CET',
      '06:00 CET',
    ]);
    const sixHourly = marketTicks(at('2024-10-26T22:00:00Z'), at('2024-10-27T23:00:00Z'), 6 * HOUR);
    expect(sixHourly.map((tick) => label(tick).slice(11))).toEqual([
      '00:00 CEST',
      '06:00 CET',
      '12:00 CET',
      '18:00 CET',
      '00:00 CET',
    ]);
  });

  it('ticks the 23-hour day without 02:00, midnight at both ends', () => {
    const ticks = marketTicks(at('2025-03-29T23:00:00Z'), at('2025-03-30T22:00:00Z'), HOUR);
    expect(ticks).toHaveLength(24);
    expect(ticks.slice(0, 3).map(label)).toEqual([
      '2025-03-30 00:00 CET',
      '2025-03-30 01:00 CET',
      '2025-03-30 03:00 CEST',
    ]);
    expect(label(ticks.at(-1)!)).toBe('2025-03-31 00:00 CEST');
  });

  it('ticks quarter-hours of a 15-minute day on the quarter', () => {
    const ticks = marketTicks(at('2025-10-24T22:00:00Z'), at('2025-10-24T23:00:00Z'), 15 * 60);
    expect(ticks.map((tick) => label(tick).slice(11))).toEqual([
      '00:00 CEST',
      '00:15 CEST',
      '00:30 CEST',
      '00:45 CEST',
      '01:00 CEST',
    ]);
  });

  it('ticks at market midnights for steps of days, across a clock change', () => {
    const ticks = marketTicks(at('2024-10-25T22:00:00Z'), at('2024-10-29T23:00:00Z'), DAY);
    expect(ticks.map(label)).toEqual([
      '2024-10-26 00:00 CEST',
      '2024-10-27 00:00 CEST',
      '2024-10-28 00:00 CET',
      '2024-10-29 00:00 CET',
      '2024-10-30 00:00 CET',
    ]);
    const weekly = marketTicks(at('2024-10-01T00:00:00Z'), at('2024-11-01T00:00:00Z'), 7 * DAY);
    expect(weekly.map(label)).toEqual([
      '2024-10-07 00:00 CEST',
      '2024-10-14 00:00 CEST',
      '2024-10-21 00:00 CEST',
      '2024-10-28 00:00 CET',
    ]);
  });

  it('ticks on the first of the month for steps of months', () => {
    const ticks = marketTicks(at('2024-01-15T00:00:00Z'), at('2024-12-31T00:00:00Z'), 90 * DAY);
    expect(ticks.map(label)).toEqual([
      '2024-04-01 00:00 CEST',
      '2024-07-01 00:00 CEST',
      '2024-10-01 00:00 CEST',
    ]);
  });

  it('offers uPlot the steps it chooses from, shortest first', () => {
    expect(MARKET_TICK_INCREMENTS[0]).toBe(15 * 60);
    expect([...MARKET_TICK_INCREMENTS].sort((a, b) => a - b)).toEqual([...MARKET_TICK_INCREMENTS]);
  });
});

describe('an instant typed in market time', () => {
  it('reads a 24-hour market time and shows it in the one form the page writes instants in', () => {
    expect(parseMarketTime('2026-11-25 17:26')).toEqual({
      ok: true,
      iso: '2026-11-25T16:26:00.000Z',
      text: '2026-11-25 17:26:00 CET',
    });
    expect(parseMarketTime('2026-07-01T09:00:05')).toMatchObject({
      iso: '2026-07-01T07:00:05.000Z',
      text: '2026-07-01 09:00:05 CEST',
    });
    expect(instantText('2026-11-25T16:26:00.000Z')).toBe('2026-11-25 17:26:00 CET');
    expect(instantText(null)).toBe('—');
  });

  it("reads the 25-hour day's repeated hour as CEST unless CET is named", () => {
    expect(parseMarketTime('2024-10-27 02:30:00')).toMatchObject({ iso: '2024-10-27T00:30:00.000Z' });
    expect(parseMarketTime('2024-10-27 02:30:00 CET')).toMatchObject({
      iso: '2024-10-27T01:30:00.000Z',
      text: '2024-10-27 02:30:00 CET',
    });
    // Shown back as it is read: a round trip of either instant.
    for (const iso of ['2024-10-27T00:30:00.000Z', '2024-10-27T01:30:00.000Z'])
      expect(parseMarketTime(instantText(iso))).toMatchObject({ iso });
  });

  it('refuses what is not a market time, in one line', () => {
    expect(parseMarketTime('2025-03-30 02:30')).toEqual({
      ok: false,
      problem:
        '2025-03-30 02:30 does not exist in market time: the clocks skip from 02:00 CET to 03:00 CEST.',
    });
    expect(parseMarketTime('2026-01-05 10:00 CEST')).toEqual({
      ok: false,
      problem: '2026-01-05 10:00 is CET, not CEST.',
    });
    for (const typed of ['04:26:00 PM', '2026-02-30 10:00', '2026-11-25 24:00', 'yesterday'])
      expect(parseMarketTime(typed)).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/^Not a time/),
      });
  });
});
