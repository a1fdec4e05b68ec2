// Every constraint publication declared in a spelling of its own (docs/constraints.md), table-driven over the
// declarations, one per spelling: a day served by the simulator over HTTP from the declaration, fetched by the day
// workflow page by page, stored field for field in the one stored form, revised, stored again field for field, and
// read as of before the revision.
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayWindow, expectedMtuCount } from '../../domain/calendar';
import {
  type ConstraintDataset,
  constraintFieldsOf,
  type DatasetDeclaration,
  DECLARATIONS,
  dataPathOf,
  declaredResolutionOn,
} from '../../domain/datasets';
import { publishedNames } from '../../domain/flowBased/publicationFields';
import type { DeliveryDay } from '../../domain/types';
import { domainEndpointOf } from '../../simulator/flowBased/endpoints';
import { snake } from '../helpers/constraintDays';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { SMALL_FLOW_BASED_DOMAIN } from '../helpers/smallDomain';

const NOW = new Date('2026-11-22T12:00:00Z');

type Row = Record<string, unknown>;

/**
 * A Nordic day at 15-minute MTUs (about 12,800 rows with 31 PTDFs each) assembles into a stored answer of about
 * 17 MB, over JAO_MAX_BODY_BYTES (8 MiB by default, 16 MiB at most): the store refuses it whole ("not
 * re-processed"), a limit of the write path. Nordic is stored here on its last hourly day (2025-09-30); its
 * quarter-hours are judged complete by test/integration/simulatorConstraintPublications.test.ts.
 */
const DAY_OF: Readonly<Record<string, DeliveryDay>> = {
  nordicFinalComputation: '2025-09-30',
  nordicFbDomainShadowPrice: '2025-09-30',
};

/**
 * One constraint dataset per spelling of its own (Core's three domains have the default, tested in
 * flowBasedPipeline.test.ts): of declarations that differ only in their extra fields (Nordic's two, the four IDCC
 * windows), the one that keeps most, so that each mapping is stored through the pipeline once.
 */
const PUBLICATIONS = (() => {
  const bySpelling = new Map<string, DatasetDeclaration>();
  for (const declaration of DECLARATIONS) {
    if (declaration.rowKind !== 'constraints' || !('constraintFields' in declaration)) continue;
    const { extra, ...spelling } = constraintFieldsOf(declaration);
    const key = JSON.stringify(spelling);
    const earlier = bySpelling.get(key);
    if (!earlier || Object.keys(extra).length > Object.keys(constraintFieldsOf(earlier).extra).length)
      bySpelling.set(key, declaration);
  }
  return [...bySpelling.values()].map((declaration) => ({
    dataset: declaration.id as ConstraintDataset,
    declaration,
    day: DAY_OF[declaration.id] ?? '2026-11-10',
  }));
})();

let harness: PipelineHarness;

beforeAll(async () => {
  harness = await createPipelineHarness('constraint-publications', {
    now: () => NOW,
    ...SMALL_FLOW_BASED_DOMAIN,
  });
  await harness.startWorkers();
});
afterAll(async () => {
  await harness?.close();
});

/** The day's rows as the simulator serves them now, in one page, with the publication's filter. */
async function servedRows(declaration: DatasetDeclaration, day: DeliveryDay): Promise<Row[]> {
  const window = dayWindow(day);
  const { filter } = constraintFieldsOf(declaration);
  const query = new URLSearchParams({ FromUtc: window.from, ToUtc: window.to, Skip: '0', Take: '1000000' });
  if (filter !== null) query.set('Filter', JSON.stringify(filter));
  const response = await fetch(`${harness.simulator.origin}${dataPathOf(declaration)}?${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Row[] }).data;
}

async function stored(dataset: ConstraintDataset, day: DeliveryDay, asOf?: Date): Promise<Row[]> {
  const source = asOf === undefined ? 'jao.constraints' : 'jao.constraints_as_of($3)';
  const result = await harness.db.pool.query(
    `SELECT * FROM ${source} WHERE dataset = $1 AND delivery_day = $2 ORDER BY mtu, constraint_id`,
    asOf === undefined ? [dataset, day] : [dataset, day, asOf],
  );
  return result.rows;
}

/** A served row's constraint and MTU in the stored form's terms, read through the declaration's names. */
function servedSlot(declaration: DatasetDeclaration, row: Row): string {
  const fields = constraintFieldsOf(declaration);
  const name = new Map(publishedNames(fields));
  const eics =
    fields.contingency.form === 'flat'
      ? [row[fields.contingency.branchEic]]
      : (row.contingencies as Array<{ branchEic: string | null }>).map((branch) => branch.branchEic);
  return JSON.stringify([
    row[name.get('tso')!],
    row[name.get('cneEic')!],
    row[name.get('cneName')!],
    row[name.get('direction')!],
    eics,
    new Date(String(row.dateTimeUtc)).toISOString(),
    fields.contingency.form === 'flat' ? row[name.get('contName')!] : undefined,
  ]);
}

function storedSlot(declaration: DatasetDeclaration, row: Row): string {
  return JSON.stringify([
    row.tso,
    row.cne_eic,
    row.cne_name,
    row.direction,
    row.contingency_eics,
    (row.mtu as Date).toISOString(),
    constraintFieldsOf(declaration).contingency.form === 'flat' ? row.cont_name : undefined,
  ]);
}

/**
 * Every stored row is the served row of its constraint and MTU, field for field, by the declaration's mapping (JAO's
 * row id too, on a first version: a version a revision left unchanged keeps the id it was first stored with).
 */
function expectStoredAsServed(
  declaration: DatasetDeclaration,
  rows: Row[],
  served: Row[],
  firstVersion: boolean,
): void {
  const fields = constraintFieldsOf(declaration);
  const names = publishedNames(fields);
  const bySlot = new Map(served.map((row) => [servedSlot(declaration, row), row]));
  expect(bySlot.size).toBe(served.length);
  expect(rows).toHaveLength(served.length);
  /** The row's expected fields: `is` compared with Object.is (toBe), `equal` deeply (toEqual). */
  const expected = (row: Row, source: Row) => {
    const is: Array<[label: string, actual: unknown, expected: unknown]> = names.map(([field, published]) => [
      field,
      row[snake(field)],
      published === null ? null : source[published],
    ]);
    is.push([
      'presolved',
      row.presolved,
      fields.presolvedFlag === null ? true : source[fields.presolvedFlag],
    ]);
    if (firstVersion) is.push(['jao_id', row.jao_id, source.id]);
    const ptdfKeys = Object.keys(source).filter((key) => key.startsWith(fields.ptdfPrefix));
    const extras = Object.keys(fields.extra).filter((name) => name in source);
    const equal: Array<[label: string, actual: unknown, expected: unknown]> = [
      ['ptdf_hubs', row.ptdf_hubs, ptdfKeys.map((key) => key.slice(fields.ptdfPrefix.length))],
      ['ptdf_values', row.ptdf_values, ptdfKeys.map((key) => source[key])],
      [
        'contingencies',
        row.contingencies,
        fields.contingency.form === 'flat'
          ? [{ number: 1, branchEic: source[fields.contingency.branchEic] }]
          : source.contingencies,
      ],
      ['extra', row.extra ?? {}, Object.fromEntries(extras.map((name) => [name, source[name]]))],
    ];
    return { is, equal };
  };
  for (const row of rows) {
    const source = bySlot.get(storedSlot(declaration, row));
    expect(source, storedSlot(declaration, row)).toBeDefined();
    const { is, equal } = expected(row, source!);
    // Checked in plain code first (thousands of rows by dozens of fields: an expect each costs seconds of CPU);
    // a row that differs anywhere is asserted field by field, as strictly as toBe and toEqual.
    if (
      is.every(([, actual, wanted]) => Object.is(actual, wanted)) &&
      equal.every(([, actual, wanted]) => isDeepStrictEqual(actual, wanted))
    )
      continue;
    for (const [label, actual, wanted] of is) expect(actual, label).toBe(wanted);
    for (const [label, actual, wanted] of equal) expect(actual, label).toEqual(wanted);
  }
}

describe.each(PUBLICATIONS)('$dataset through the pipeline, $day', ({ dataset, declaration, day: DAY }) => {
  it('stores a day as served, revises it, and reads it as of before the revision', async () => {
    const minutes = declaredResolutionOn(declaration, DAY);
    const run = () => harness.runDay(DAY, dataset);
    const first = await run();
    expect(first.status, JSON.stringify(first)).toBe('complete');
    expect(first.mtus).toBe(expectedMtuCount(DAY, minutes));
    const served = await servedRows(declaration, DAY);
    expect(served.length).toBeGreaterThan(0);
    const before = await stored(dataset, DAY);
    expectStoredAsServed(declaration, before, served, true);
    const firstSeen = new Date(Math.max(...before.map((row) => (row.updated_at as Date).getTime())));

    const revise = await fetch(
      `${harness.simulator.origin}/_simulator/flowbased/revise?day=${DAY}&endpoint=${encodeURIComponent(domainEndpointOf(declaration))}`,
      { method: 'POST' },
    );
    expect(revise.status).toBe(200);
    const second = await run();
    expect(second.status).toBe('complete');
    expect(second.revision).toBe(2);
    expect(second.changedPoints).toBeGreaterThan(0);
    expectStoredAsServed(declaration, await stored(dataset, DAY), await servedRows(declaration, DAY), false);

    const asOf = await stored(dataset, DAY, firstSeen);
    // Sorted as Array.prototype.sort sorts them (by their string), each string made once.
    const view = (rows: Row[]) =>
      rows
        .map((row) => [storedSlot(declaration, row), row.ram, row.ptdf_values, row.extra])
        .map((entry) => [String(entry), entry] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, entry]) => entry);
    expect(view(asOf)).toEqual(view(before));
  });
});
