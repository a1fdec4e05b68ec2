// The status page's dataset choice (page/client/datasetChoice.ts), its paths and CSV names (chartRequest.ts), the
// calendar's default range from a dataset's first day (calendarGrid.ts) and a quarter-hour day in market time
// (marketTime.ts): pure, no DOM.
import { describe, expect, it } from 'vitest';
import type { DatasetEntry } from '../../domain/apiAnswers';
import { defaultRange } from '../../page/client/calendarGrid';
import { type ChartRequest, csvFileName, csvRequest, datasetPath } from '../../page/client/chartRequest';
import { chooseDataset, datasetAsked, datasetSearch } from '../../page/client/datasetChoice';
import { marketAxisLabels, marketTimeText } from '../../page/client/marketTime';

const entry = (id: string, isDefault = false): DatasetEntry => ({
  id,
  title: id,
  description: id,
  region: 'core',
  endpoint: 'maxExchanges',
  source_path: '/core/api/data/maxExchanges',
  source_endpoint: null,
  time_zone: 'Europe/Amsterdam',
  first_day: '2024-10-30',
  stored_from: null,
  stored_to: null,
  resolution_minutes: 15,
  resolutions: [{ from: '2024-10-30', minutes: 15 }],
  row_kind: 'keyedValues',
  unit: 'MW',
  default: isDefault,
});
const core = entry('maxExchanges', true);
const nordic = entry('nordicMaxExchanges');

describe('the dataset shown', () => {
  it('reads the dataset the address names', () => {
    expect(datasetAsked('?dataset=nordicMaxExchanges&x=1')).toBe('nordicMaxExchanges');
    expect(datasetAsked('')).toBeNull();
    expect(datasetAsked('?dataset=')).toBeNull();
  });

  it('shows the dataset asked for when the key reads it, else the default one, and says why', () => {
    expect(chooseDataset('nordicMaxExchanges', [core, nordic], 'maxExchanges')).toEqual({
      shown: nordic,
      problem: null,
    });
    expect(chooseDataset(null, [core, nordic], 'maxExchanges')).toEqual({ shown: core, problem: null });
    expect(chooseDataset('nordic', [core, nordic], 'maxExchanges')).toEqual({
      shown: core,
      problem: 'This key does not read a dataset "nordic"; showing maxExchanges.',
    });
    // A key that does not read the default dataset shows the first it reads.
    expect(chooseDataset(null, [nordic], 'maxExchanges').shown).toBe(nordic);
    expect(chooseDataset('x', [], 'maxExchanges')).toEqual({
      shown: null,
      problem: 'This key does not read a dataset "x".',
    });
  });

  it("names the dataset in the address, keeping the address's other parameters", () => {
    expect(datasetSearch('', 'nordicMaxExchanges')).toBe('?dataset=nordicMaxExchanges');
    expect(datasetSearch('?a=1&dataset=maxExchanges', 'nordicMaxExchanges')).toBe(
      '?a=1&dataset=nordicMaxExchanges',
    );
  });
});

describe("the chart's requests of a dataset", () => {
  const request: ChartRequest = {
    borders: ['NO1_SE3'],
    from: '2025-10-25',
    to: '2025-10-25',
    asOf: null,
    revisionsDay: null,
    difference: null,
  };

  it("asks the dataset's paths and names its CSV after it", () => {
    expect(datasetPath('nordicMaxExchanges', 'series')).toBe('/v1/datasets/nordicMaxExchanges/series');
    expect(csvRequest(request, 'nordicMaxExchanges').path).toBe('/v1/datasets/nordicMaxExchanges/values');
    expect(
      csvRequest(
        { ...request, difference: { base: '2025-10-24T09:00:00Z', compare: null } },
        'nordicMaxExchanges',
      ).path,
    ).toBe('/v1/datasets/nordicMaxExchanges/difference');
    expect(csvFileName(request, 'nordicMaxExchanges')).toBe(
      'nordicMaxExchanges_NO1_SE3_2025-10-25_2025-10-25.csv',
    );
    expect(csvFileName(request, 'maxExchanges')).toBe('maxExchanges_NO1_SE3_2025-10-25_2025-10-25.csv');
  });

  it("starts the calendar's default range at the dataset's first day", () => {
    expect(defaultRange('2024-11-20', '2024-10-30')).toEqual(['2024-10-30', '2024-11-20']);
    expect(defaultRange('2024-12-01', '2024-10-30', '2024-10-01')).toEqual(['2024-10-30', '2024-12-01']);
  });
});

describe('quarter-hour MTUs in market time', () => {
  /** The MTU starts of a day at 15 minutes, from its first instant (UTC) for `count` quarter-hours. */
  const quarterHours = (firstUtc: string, count: number) =>
    Array.from({ length: count }, (_, index) => Date.parse(firstUtc) / 1000 + index * 900);

  it('labels every quarter-hour of a 96-, 92- and 100-MTU day with its CET or CEST time', () => {
    const normal = quarterHours('2025-10-24T22:00:00Z', 96);
    expect(marketAxisLabels(normal).slice(0, 2)).toEqual(['00:00 CEST\n2025-10-25', '00:15 CEST']);
    expect(marketTimeText(new Date(normal[95]! * 1000).toISOString())).toBe('2025-10-25 23:45 CEST');
    const spring = quarterHours('2026-03-28T23:00:00Z', 92);
    expect(marketTimeText(new Date(spring[8]! * 1000).toISOString())).toBe('2026-03-29 03:00 CEST');
    expect(marketTimeText(new Date(spring[91]! * 1000).toISOString())).toBe('2026-03-29 23:45 CEST');
    const autumn = quarterHours('2025-10-25T22:00:00Z', 100);
    const labels = autumn.map((seconds) => marketTimeText(new Date(seconds * 1000).toISOString(), false));
    expect(labels.slice(8, 16)).toEqual([
      '02:00 CEST',
      '02:15 CEST',
      '02:30 CEST',
      '02:45 CEST',
      '02:00 CET',
      '02:15 CET',
      '02:30 CET',
      '02:45 CET',
    ]);
    expect(labels[99]).toBe('23:45 CET');
    expect(new Set(labels).size).toBe(100);
  });
});
