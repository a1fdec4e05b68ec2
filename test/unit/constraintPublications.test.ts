// Constraint publications by declaration (docs/constraints.md): each declared spelling reads its JAO-shaped fixture
// (test/fixtures/jao/more/) into the one stored form field for field, a day of it is judged at its declared MTU, and
// a mistaken mapping is refused in one line naming the dataset and the field.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayWindow } from '../../domain/calendar';
import {
  type ConstraintDataset,
  constraintFieldsOf,
  type DatasetDeclaration,
  declarationOf,
} from '../../domain/datasets';
import { CORE_DOMAIN_FIELDS } from '../../domain/datasets/declaration';
import { declarationProblems } from '../../domain/datasets/declarationSchema';
import { type ConstraintRow, parseConstraintRow, parseDomainPage } from '../../domain/flowBased/answer';
import { constraintKeyOf } from '../../domain/flowBased/constraintKey';
import { NUMERIC_FIELDS } from '../../domain/flowBased/fields';
import { publishedNames } from '../../domain/flowBased/publicationFields';
import { judgeDomainDay, validateDomainDay } from '../../domain/flowBased/validateDomain';

type Raw = Record<string, unknown>;

/** Each publication in a spelling of its own, with its JAO-shaped fixture. */
const PUBLICATIONS: ReadonlyArray<{ dataset: ConstraintDataset; fixture: string }> = [
  { dataset: 'coreShadowPrices', fixture: 'core_shadowPrices_2025-03-23T00Z.reconstructed.json' },
  { dataset: 'nordicFinalComputation', fixture: 'nordic_finalComputation_2026-01-15T00Z.reconstructed.json' },
  {
    dataset: 'nordicFbDomainShadowPrice',
    fixture: 'nordic_fbDomainShadowPrice_2026-01-15T00Z.reconstructed.json',
  },
  {
    dataset: 'coreIdccBFinalComputation',
    fixture: 'coreID_IDCCB_finalComputation_2025-01-01T10Z.reconstructed.json',
  },
];

function fixtureOf(name: string): Raw & { data: Raw[] } {
  const path = join(__dirname, '..', 'fixtures', 'jao', 'more', name);
  return JSON.parse(readFileSync(path, 'utf8')) as Raw & { data: Raw[] };
}

/** What the stored form holds of a raw row, by the declaration's mapping, written out independently of the reader. */
function expectStoredAsPublished(declaration: DatasetDeclaration, raw: Raw, row: ConstraintRow): void {
  const fields = constraintFieldsOf(declaration);
  for (const [stored, published] of publishedNames(fields)) {
    const value = published === null ? null : raw[published];
    if ((NUMERIC_FIELDS as readonly string[]).includes(stored))
      expect(row.numbers[stored as keyof ConstraintRow['numbers']], stored).toBe(value);
    else expect(row.texts[stored as keyof ConstraintRow['texts']], stored).toBe(value);
  }
  expect(row.presolved).toBe(fields.presolvedFlag === null ? true : raw[fields.presolvedFlag]);
  const prefix = fields.ptdfPrefix;
  const ptdfKeys = Object.keys(raw).filter((key) => key.startsWith(prefix));
  expect(row.ptdfs).toEqual(ptdfKeys.map((key) => [key.slice(prefix.length), raw[key]]));
  const contingencies =
    fields.contingency.form === 'flat'
      ? [{ number: 1, fields: { branchEic: raw[fields.contingency.branchEic] } }]
      : (raw.contingencies as Raw[]).map(({ number, ...rest }) => ({ number, fields: rest }));
  expect(row.contingencies).toEqual(contingencies);
  const extras = Object.keys(fields.extra).filter((name) => name in raw);
  expect(row.extra).toEqual(Object.fromEntries(extras.map((name) => [name, raw[name]])));
  expect(row.unknown).toEqual({});
}

describe.each(PUBLICATIONS)('$dataset, from its declaration', ({ dataset, fixture }) => {
  const declaration = declarationOf(dataset);
  const fields = constraintFieldsOf(declaration);
  const page = fixtureOf(fixture);

  it('reads every row of its fixture into the stored form, every field JAO sends kept', () => {
    const parsed = parseDomainPage(page, fields);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.page.refused).toEqual([]);
    expect(parsed.page.rows).toHaveLength(page.data.length);
    for (const [index, raw] of page.data.entries())
      expectStoredAsPublished(declaration, raw, parsed.page.rows[index]!);
    // Every field of every row went somewhere: a stored field, the flag, the contingency, a PTDF or extra.
    for (const [index, raw] of page.data.entries()) {
      const row = parsed.page.rows[index]!;
      const kept = new Set<string>(['id', 'dateTimeUtc', 'contingencies', ...Object.keys(row.extra)]);
      for (const [, published] of publishedNames(fields)) if (published) kept.add(published);
      if (fields.presolvedFlag) kept.add(fields.presolvedFlag);
      if (fields.contingency.form === 'flat') kept.add(fields.contingency.branchEic);
      for (const key of Object.keys(raw))
        expect(kept.has(key) || key.startsWith(fields.ptdfPrefix), key).toBe(true);
    }
  });

  it('identifies each constraint by its element, direction and outaged branches, in its own names', () => {
    const parsed = parseDomainPage(page, fields);
    if (!parsed.ok) throw new Error(parsed.reason);
    const keys = parsed.page.rows.map((row) => JSON.parse(constraintKeyOf(row)) as unknown[]);
    expect(new Set(keys.map((key) => JSON.stringify(key))).size).toBe(keys.length);
    const names = new Map(publishedNames(fields));
    page.data.forEach((raw, index) => {
      const [tso, cneEic, cneName, direction] = keys[index]!;
      expect([tso, cneEic, cneName, direction]).toEqual([
        raw[names.get('tso')!],
        raw[names.get('cneEic')!],
        raw[names.get('cneName')!],
        raw[names.get('direction')!],
      ]);
    });
  });

  it('refuses a row without a field it declares published, naming the field as JAO spells it', () => {
    const [stored, published] = publishedNames(fields).find(([field]) => field === 'ram')!;
    expect(stored).toBe('ram');
    const { [published!]: _dropped, ...without } = page.data[0]!;
    expect(parseConstraintRow(without, fields)).toBe(`${published}: absent`);
  });

  it('judges a day of its fixture hour at its declared MTU', () => {
    const parsed = parseDomainPage(page, fields);
    if (!parsed.ok) throw new Error(parsed.reason);
    const day = dayOfMtu(parsed.page.rows[0]!.mtu);
    const resolutionMinutes = declaration.resolutions.at(-1)!.minutes;
    const validated = validateDomainDay({
      day,
      rows: parsed.page.rows,
      refused: [],
      announcedRows: parsed.page.rows.length,
      knownHubs: new Set(),
      rules: { resolutionMinutes, fields },
    });
    expect(validated.rejections).toEqual([]);
    expect(validated.expectedMtus).toBe((24 * 60) / resolutionMinutes);
    const verdict = judgeDomainDay(validated);
    // A domain misses every MTU but the fixture's; active constraints (or a window's own MTUs) miss none.
    if (fields.everyMtuHasRows) {
      expect(validated.missingMtus).toHaveLength(validated.expectedMtus - 1);
      expect(verdict.status).toBe('partial');
    } else {
      expect(validated.missingMtus).toEqual([]);
      expect(verdict).toEqual({ status: 'complete', reason: null });
    }
  });
});

function dayOfMtu(mtu: string): string {
  for (const offset of [0, 1]) {
    const day = new Date(Date.parse(mtu) + offset * 86_400_000).toISOString().slice(0, 10);
    const window = dayWindow(day);
    if (Date.parse(window.from) <= Date.parse(mtu) && Date.parse(mtu) < Date.parse(window.to)) return day;
  }
  throw new Error(`no day for ${mtu}`);
}

describe('Core domain spelling', () => {
  it('is the default of a declaration that names no mapping, so the three Core domains read as before', () => {
    for (const id of ['coreFinalComputation', 'corePreFinalComputation', 'coreInitialComputation'] as const) {
      expect(declarationOf(id).constraintFields).toBeUndefined();
      expect(constraintFieldsOf(declarationOf(id))).toBe(CORE_DOMAIN_FIELDS);
    }
    expect(CORE_DOMAIN_FIELDS.filter).toEqual({ Presolved: true });
  });

  it('reads a Nordic flag as no flag: presolved absent is refused in Core’s spelling', () => {
    const nordic = fixtureOf('nordic_finalComputation_2026-01-15T00Z.reconstructed.json').data[0]!;
    expect(parseConstraintRow(nordic)).toBe('presolved: expected true or false, got undefined');
  });
});

describe('a mistaken field mapping', () => {
  const base = declarationOf('coreShadowPrices');
  const mapped = constraintFieldsOf(base);
  const problemsOf = (change: Partial<typeof mapped>, declaration: Partial<DatasetDeclaration> = {}) =>
    declarationProblems([
      { ...base, ...declaration, constraintFields: { ...mapped, ...change } } as DatasetDeclaration,
    ]);

  it.each([
    [
      'a rename to no stored field',
      { renames: { ...mapped.renames, cnecName: 'cneNme' } },
      'dataset coreShadowPrices: constraintFields.renames.cnecName: "cneNme" is not a stored field (domain/flowBased/fields.ts)',
    ],
    [
      'two names for one field',
      { renames: { ...mapped.renames, cneNameAlt: 'cneName' } },
      'dataset coreShadowPrices: constraintFields.renames.cneNameAlt: cneName is renamed to twice',
    ],
    [
      'a renamed field also absent',
      { absent: [...mapped.absent, 'fcore'] },
      'dataset coreShadowPrices: constraintFields.renames.f0core: fcore is also declared absent',
    ],
    [
      'an identity field absent',
      { absent: [...mapped.absent, 'direction'] },
      `dataset coreShadowPrices: constraintFields.absent.${mapped.absent.length}: direction is part of a constraint's identity: every row must carry it`,
    ],
    [
      'an extra field that is a stored one',
      { extra: { ...mapped.extra, ram: 'number' } },
      'dataset coreShadowPrices: constraintFields.extra.ram: ram is a stored field: keep it as one',
    ],
    [
      'an extra field read as the contingency',
      { extra: { ...mapped.extra, branchEic: 'text' } },
      'dataset coreShadowPrices: constraintFields.extra.branchEic: branchEic is already read as the contingency',
    ],
    [
      'an extra field under the PTDF prefix',
      { extra: { ...mapped.extra, hub_XX: 'number' } },
      'dataset coreShadowPrices: constraintFields.extra.hub_XX: expected a field name as JAO writes it',
    ],
    [
      'no flag and no reason',
      { presolvedWhy: undefined },
      'dataset coreShadowPrices: constraintFields.presolvedWhy: required when presolvedFlag is null: why every row is stored presolved',
    ],
    [
      'an empty filter',
      { filter: {} },
      'dataset coreShadowPrices: constraintFields.filter: an empty filter is sent as null (no Filter at all)',
    ],
  ] as const)('%s: one line naming the field', (_name, change, line) => {
    expect(problemsOf(change as Partial<typeof mapped>)).toEqual([line]);
  });

  it('is refused on a dataset of keyed values', () => {
    const keyed = { ...declarationOf('maxExchanges'), constraintFields: mapped } as DatasetDeclaration;
    expect(declarationProblems([keyed])).toEqual([
      'dataset maxExchanges: constraintFields: only a dataset of rowKind constraints maps constraint fields',
    ]);
  });

  it('accepts coreID’s window-first endpoint names, and no other capitals', () => {
    expect(declarationProblems([declarationOf('coreIdccBFinalComputation')])).toEqual([]);
    expect(problemsOf({}, { endpoint: 'IDCCb_finalComputation' })).toEqual([
      'dataset coreShadowPrices: endpoint: expected JAO’s dataset name',
    ]);
  });
});
