// The flow-based domain view's model (page/client/domainData.ts): a day's hours on the market's clock (23, 24 and
// 25 of them), an hour's CNECs the most limiting first, the largest |PTDF|, the N state, the RAM chart's range.
import { describe, expect, it } from 'vitest';
import {
  type ConstraintRow,
  constraintKind,
  contingencyText,
  dayHours,
  hourLines,
  largestPtdf,
  mwText,
  ptdfText,
  ramByMtu,
  ramRange,
} from '../../page/client/domainData';

const row = (over: Partial<ConstraintRow>): ConstraintRow => ({
  delivery_day: '2025-01-01',
  mtu: '2024-12-31T23:00:00.000Z',
  constraint_id: 1,
  tso: 'ELIA',
  cne_name: 'Achene - Lonny 380.19 ',
  direction: 'DIRECT',
  contingency_eics: [],
  cont_name: null,
  ram: 1000,
  fmax: 1767,
  ptdfs: { BE: 0.1, FR: -0.2 },
  revision: 1,
  ...over,
});

describe("a day's hours", () => {
  it('labels 24 hours in market time, 23 on the spring day and 25 on the autumn day', () => {
    const winter = dayHours('2025-01-01');
    expect(winter).toHaveLength(24);
    expect(winter[0]).toEqual({ mtu: '2024-12-31T23:00:00.000Z', label: '01 · 00:00–01:00 CET' });
    expect(winter[23]!.label).toBe('24 · 23:00–00:00 CET');
    const spring = dayHours('2025-03-30');
    expect(spring).toHaveLength(23);
    expect(spring[1]!.label).toBe('02 · 01:00 CET–03:00 CEST');
    const autumn = dayHours('2024-10-27');
    expect(autumn).toHaveLength(25);
    expect(autumn.slice(1, 4).map((hour) => hour.label)).toEqual([
      '02 · 01:00–02:00 CEST',
      '03 · 02:00 CEST–02:00 CET',
      '04 · 02:00–03:00 CET',
    ]);
  });
});

describe("an hour's CNECs", () => {
  it('lists the hour asked for, RAM ascending (none last), then by constraint', () => {
    const rows = [
      row({ constraint_id: 5, ram: 300 }),
      row({ constraint_id: 2, ram: null }),
      row({ constraint_id: 3, ram: 120 }),
      row({ constraint_id: 4, ram: 120 }),
      row({ constraint_id: 9, ram: 1, mtu: '2025-01-01T00:00:00.000Z' }),
    ];
    const lines = hourLines(rows, '2024-12-31T23:00:00Z');
    expect(lines.map((line) => [line.constraintId, line.ram])).toEqual([
      [3, 120],
      [4, 120],
      [5, 300],
      [2, null],
    ]);
    expect(lines[0]).toMatchObject({
      tso: 'ELIA',
      cneName: 'Achene - Lonny 380.19',
      direction: 'DIRECT',
      contingency: 'N state',
      fmax: 1767,
      largest: { hub: 'FR', ptdf: -0.2 },
      revision: 1,
    });
    expect(hourLines(rows, '2025-01-01T01:00:00.000Z')).toEqual([]);
  });

  it('names the contingency by its published name, else its branches; no branch is the N state', () => {
    expect(contingencyText({ contingency_eics: [], cont_name: 'NA' })).toBe('N state');
    expect(contingencyText({ contingency_eics: [null], cont_name: null })).toBe('N state');
    expect(contingencyText({ contingency_eics: ['10T-A', '10T-B'], cont_name: 'Avelgem - Avelin' })).toBe(
      'Avelgem - Avelin',
    );
    expect(contingencyText({ contingency_eics: ['10T-A', '10T-B'], cont_name: null })).toBe('10T-A, 10T-B');
  });

  it('finds the largest |PTDF|, the first on a tie, none when none is published', () => {
    expect(largestPtdf({ AT: 0.05, DE: -0.31, FR: 0.31, CH: null })).toEqual({ hub: 'DE', ptdf: -0.31 });
    expect(largestPtdf({ CH: null })).toBeNull();
    expect(largestPtdf({})).toBeNull();
    expect(ptdfText({ hub: 'DE', ptdf: -0.31 })).toBe('DE −0.3100');
    expect(ptdfText({ hub: 'FR', ptdf: 0.0123 })).toBe('FR +0.0123');
    expect(ptdfText(null)).toBe('—');
    expect(mwText(1570)).toBe('1,570');
    expect(mwText(null)).toBe('—');
  });
});

describe("a CNEC's RAM over time", () => {
  it('reads three days each side of the chosen day, within the dataset and tomorrow', () => {
    expect(ramRange('2025-01-10', '2022-06-09', '2025-02-01')).toEqual(['2025-01-07', '2025-01-13']);
    expect(ramRange('2022-06-10', '2022-06-09', '2025-02-01')).toEqual(['2022-06-09', '2022-06-13']);
    expect(ramRange('2025-01-31', '2022-06-09', '2025-02-01')).toEqual(['2025-01-28', '2025-02-01']);
  });

  it('puts each MTU with a RAM on the line, by epoch second', () => {
    const values = ramByMtu([row({ ram: 10 }), row({ mtu: '2025-01-01T00:00:00.000Z', ram: null })]);
    expect([...values]).toEqual([[Date.parse('2024-12-31T23:00:00Z') / 1000, 10]]);
  });
});

describe("the hour's table groups", () => {
  it('tells network elements from equality and external constraints', () => {
    expect(constraintKind({ cne_name: 'Achene - Lonny 380.19', direction: 'DIRECT' })).toBe('cnec');
    expect(constraintKind({ cne_name: 'Equality Constraint Core hubs 01', direction: 'NA' })).toBe(
      'equality',
    );
    expect(constraintKind({ cne_name: 'External Constraint BE_AL_export', direction: 'NA' })).toBe(
      'external',
    );
    expect(constraintKind({ cne_name: 'Something else', direction: 'NA' })).toBe('external');
  });

  it('lists the network elements first, each group by RAM', () => {
    const mtu = '2024-12-31T23:00:00.000Z';
    const lines = hourLines(
      [
        row({ constraint_id: 1, cne_name: 'Equality Constraint Core hubs 01', direction: 'NA', ram: 0 }),
        row({ constraint_id: 2, cne_name: 'External Constraint BE_AL_export', direction: 'NA', ram: 1000 }),
        row({ constraint_id: 3, cne_name: 'Line B', direction: 'DIRECT', ram: 1500 }),
        row({ constraint_id: 4, cne_name: 'Line A', direction: 'OPPOSITE', ram: 553 }),
      ],
      mtu,
    );
    expect(lines.map((line) => [line.kind, line.constraintId])).toEqual([
      ['cnec', 4],
      ['cnec', 3],
      ['equality', 1],
      ['external', 2],
    ]);
  });
});
