import { describe, expect, it } from 'vitest';
import { marketAxisLabels, marketTimeText, marketZoneAt } from '../../page/client/marketTime';

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
