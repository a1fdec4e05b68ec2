// Core's presolved flow-based domain read, identified and judged (domain/flowBased/), against the real values of
// test/fixtures/jao/flowbased/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayWindow } from '../../domain/calendar';
import { type ConstraintRow, parseConstraintRow, parseDomainPage } from '../../domain/flowBased/answer';
import { constraintKeyOf } from '../../domain/flowBased/constraintKey';
import { CORE_PTDF_HUBS, NUMERIC_FIELDS, TEXT_FIELDS } from '../../domain/flowBased/fields';
import { identityBreaks } from '../../domain/flowBased/identities';
import { judgeDomainDay, validateDomainDay } from '../../domain/flowBased/validateDomain';

const FIXTURES = join(__dirname, '..', 'fixtures', 'jao', 'flowbased');
const PRESOLVED_PAGE = JSON.parse(
  readFileSync(
    join(FIXTURES, 'core_finalComputation_2024-12-31T23Z_Elia_presolved.reconstructed.json'),
    'utf8',
  ),
) as { data: Array<Record<string, unknown>> } & Record<string, unknown>;
const RAW_ROWS = PRESOLVED_PAGE.data;
const DAY = '2025-01-01';
const CORE_HUBS = new Set<string>(CORE_PTDF_HUBS);

function rowsOf(raw: ReadonlyArray<Record<string, unknown>>): ConstraintRow[] {
  return raw.map((one) => {
    const row = parseConstraintRow(one);
    if (typeof row === 'string') throw new Error(row);
    return row;
  });
}

/** The fixture's MTU copied to every hour of `day`, each with ids of its own (as JAO numbers rows). */
function wholeDay(day: string): Array<Record<string, unknown>> {
  const from = Date.parse(dayWindow(day).from);
  const to = Date.parse(dayWindow(day).to);
  const rows: Array<Record<string, unknown>> = [];
  for (let at = from, hour = 0; at < to; at += 3_600_000, hour++) {
    for (const raw of RAW_ROWS) {
      rows.push({
        ...raw,
        id: hour * 1000 + Number(raw.id),
        dateTimeUtc: new Date(at).toISOString().replace('.000Z', 'Z'),
      });
    }
  }
  return rows;
}

function validate(
  raw: ReadonlyArray<Record<string, unknown>>,
  knownHubs = CORE_HUBS,
  announced = raw.length,
) {
  return validateDomainDay({ day: DAY, rows: rowsOf(raw), refused: [], announcedRows: announced, knownHubs });
}

describe('a page of the presolved domain', () => {
  it('reads every row of the real page, every field as published', () => {
    const check = parseDomainPage(PRESOLVED_PAGE);
    if (!check.ok) throw new Error(check.reason);
    const { page } = check;
    expect(page.refused).toEqual([]);
    expect(page.rows).toHaveLength(13);
    expect(page).toMatchObject({ totalRows: null, totalRowsWithFilter: 13, skip: 0, take: 10000 });
    expect(page.appliedFilter).toMatchObject({ presolved: true });
    page.rows.forEach((row, index) => {
      const raw = RAW_ROWS[index]!;
      expect(row.jaoId).toBe(raw.id);
      expect(row.mtu).toBe(raw.dateTimeUtc);
      expect(row.presolved).toBe(raw.presolved);
      for (const field of NUMERIC_FIELDS) expect(row.numbers[field], field).toBe(raw[field]);
      for (const field of TEXT_FIELDS) expect(row.texts[field], field).toBe(raw[field]);
      expect(row.ptdfs).toEqual(
        Object.entries(raw)
          .filter(([key]) => key.startsWith('ptdf_'))
          .map(([key, value]) => [key.slice(5), value]),
      );
      expect(row.contingencies.map(({ number, fields }) => ({ number, ...fields }))).toEqual(
        raw.contingencies,
      );
      expect(row.unknown).toEqual({});
    });
    // JAO's order of the hubs, CH published null
    expect(page.rows[0]!.ptdfs.map(([hub]) => hub)).toEqual([...CORE_PTDF_HUBS]);
    expect(page.rows.every((row) => row.ptdfs.at(-1)![1] === null)).toBe(true);
  });

  it('keeps a field it does not know beside the row, and refuses a field of the wrong type', () => {
    const row = parseConstraintRow({ ...RAW_ROWS[0], cnec: null, shadowPriceHint: 3 });
    expect(typeof row === 'string' ? row : row.unknown).toEqual({ cnec: null, shadowPriceHint: 3 });
    expect(parseConstraintRow({ ...RAW_ROWS[0], ram: '1570' })).toBe(
      'ram: expected a number or null, got "1570"',
    );
    expect(parseConstraintRow({ ...RAW_ROWS[0], tso: 7 })).toBe('tso: expected text or null, got 7');
    const { fmax: _dropped, ...withoutFmax } = RAW_ROWS[0]!;
    expect(parseConstraintRow(withoutFmax)).toBe('fmax: absent');
    expect(parseConstraintRow({ ...RAW_ROWS[0], ptdf_DE: 'x' })).toMatch(/^ptdf_DE: expected a number/);
  });

  it('reads a refusal as one, with its message', () => {
    expect(
      parseDomainPage({ data: null, rejected: true, messages: ['Invalid FromUtc/ToUtc range'] }),
    ).toEqual({
      ok: false,
      rejected: true,
      reason: 'rejected by JAO: Invalid FromUtc/ToUtc range',
    });
    expect(parseDomainPage({ data: [], rejected: false, messages: null })).toMatchObject({
      ok: false,
      reason: 'totalRowsWithFilter is missing: the page cannot be placed',
    });
  });
});

describe('a constraint’s identity', () => {
  it('tells every constraint of the real page apart, and is the same when JAO renumbers its rows', () => {
    const rows = rowsOf(RAW_ROWS);
    expect(new Set(rows.map(constraintKeyOf)).size).toBe(rows.length);
    const renumbered = rowsOf(RAW_ROWS.map((raw) => ({ ...raw, id: Number(raw.id) + 90_000 })));
    expect(renumbered.map(constraintKeyOf)).toEqual(rows.map(constraintKeyOf));
  });

  it('names the element, its direction and its contingency’s branches', () => {
    const [first] = rowsOf(RAW_ROWS);
    expect(JSON.parse(constraintKeyOf(first!))).toEqual([
      'ELIA',
      '10T-BE-FR-000015',
      'Achene - Lonny 380.19 ',
      'DIRECT',
      ['10T-BE-FR-000031', '10T-BE-FR-000031'],
    ]);
    const otherLeg = rowsOf([{ ...RAW_ROWS[0], cneName: 'Y-Other leg 380.19 ' }])[0]!;
    expect(constraintKeyOf(otherLeg)).not.toBe(constraintKeyOf(first!));
  });
});

describe('the identities between the published fields', () => {
  it('hold on every row of the real page', () => {
    for (const row of rowsOf(RAW_ROWS)) expect(identityBreaks(row), JSON.stringify(row.texts)).toEqual([]);
  });

  it('name the one a row breaks, and by how much', () => {
    const [row] = rowsOf([{ ...RAW_ROWS[0], ram: Number(RAW_ROWS[0]!.ram) + 5 }]);
    expect(identityBreaks(row!)).toEqual([
      { identity: 'ram = fmax − frm − fcore − fltn + amr − cva − iva + ltaMargin', difference: 5 },
    ]);
  });
});

describe('a day of the presolved domain', () => {
  it('is complete when every hour has its constraints and every announced row is stored', () => {
    const raw = wholeDay(DAY);
    const validated = validate(raw);
    expect(validated.accepted).toHaveLength(24 * 13);
    expect(validated.missingMtus).toEqual([]);
    expect(judgeDomainDay(validated)).toEqual({ status: 'complete', reason: null });
  });

  it('counts 23 and 25 hours on the days the clocks change', () => {
    expect(
      validateDomainDay({
        day: '2025-03-30',
        rows: rowsOf(wholeDay('2025-03-30')),
        refused: [],
        announcedRows: 23 * 13,
        knownHubs: CORE_HUBS,
      }).expectedMtus,
    ).toBe(23);
    const autumn = validateDomainDay({
      day: '2025-10-26',
      rows: rowsOf(wholeDay('2025-10-26')),
      refused: [],
      announcedRows: 25 * 13,
      knownHubs: CORE_HUBS,
    });
    expect([autumn.expectedMtus, autumn.accepted.length, judgeDomainDay(autumn).status]).toEqual([
      25,
      25 * 13,
      'complete',
    ]);
  });

  it('is partial with the hours that have no presolved constraint', () => {
    const validated = validate(RAW_ROWS);
    expect(validated.missingMtus).toHaveLength(23);
    expect(judgeDomainDay(validated)).toEqual({
      status: 'partial',
      reason:
        '23 of 24 MTUs without a presolved constraint (2025-01-01T00:00:00Z, 2025-01-01T01:00:00Z, 2025-01-01T02:00:00Z, …)',
    });
  });

  it('is partial when fewer rows were read than JAO announced, and not published when it announced none', () => {
    expect(judgeDomainDay(validate(wholeDay(DAY), CORE_HUBS, 24 * 13 + 1)).reason).toBe(
      '312 of 313 announced rows read',
    );
    expect(judgeDomainDay(validate([], CORE_HUBS, 0)).status).toBe('not_published');
  });

  it('refuses a PTDF outside [-1, 1], a negative Fmax, a presolved row without RAM and a row that is not presolved', () => {
    const raw = wholeDay(DAY);
    raw[0] = { ...raw[0], ptdf_DE: 1.2 };
    raw[1] = { ...raw[1], fmax: -5 };
    raw[2] = { ...raw[2], ram: null };
    raw[3] = { ...raw[3], presolved: false };
    const validated = validate(raw);
    expect(validated.rejections.map(({ row, rule, raw: text }) => ({ row, rule, text }))).toEqual([
      { row: 0, rule: 'ptdf_out_of_range', text: 'ptdf_DE: 1.2' },
      { row: 1, rule: 'fmax_negative', text: 'fmax: -5' },
      { row: 2, rule: 'presolved_without_ram', text: 'ram: null on a presolved row' },
      { row: 3, rule: 'not_presolved', text: 'presolved: false in an answer filtered on presolved' },
    ]);
    expect(validated.accepted).toHaveLength(24 * 13 - 4);
    expect(judgeDomainDay(validated)).toEqual({
      status: 'partial',
      reason:
        '4 rows refused (ptdf_out_of_range 1, fmax_negative 1, presolved_without_ram 1, not_presolved 1)',
    });
  });

  it('stores a hub never seen before and names it as drift', () => {
    const raw = wholeDay(DAY).map((row) => ({ ...row, ptdf_DE_DK1_VH: 0.01 }));
    const validated = validate(raw);
    expect(validated.newHubs).toEqual(['DE_DK1_VH']);
    expect(validated.accepted[0]!.row.ptdfs.at(-1)).toEqual(['DE_DK1_VH', 0.01]);
    expect(judgeDomainDay(validated).status).toBe('complete');
  });

  it('reads the same row twice as one, and refuses both versions of a constraint published twice differently', () => {
    const raw = wholeDay(DAY);
    const again = validate([...raw, { ...raw[0]!, id: 999_999 }], CORE_HUBS, raw.length + 1);
    expect(again.accepted).toHaveLength(raw.length);
    expect(again.rejections).toEqual([]);
    const conflicting = validate([...raw, { ...raw[0]!, id: 999_999, ram: 1 }], CORE_HUBS, raw.length + 1);
    expect(conflicting.accepted).toHaveLength(raw.length - 1);
    expect(conflicting.rejections.map((r) => r.rule)).toEqual(['conflicting_duplicate']);
  });

  it('refuses a row of another day, or not on the hour', () => {
    const raw = wholeDay(DAY);
    raw[0] = { ...raw[0], dateTimeUtc: '2025-01-02T12:00:00Z' };
    raw[1] = { ...raw[1], dateTimeUtc: '2025-01-01T00:15:00Z' };
    expect(validate(raw).rejections.map((r) => r.rule)).toEqual(['mtu_outside_day', 'mtu_misaligned']);
  });
});
