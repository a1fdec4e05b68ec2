// The simulator serves every constraint dataset from its declaration (simulator/flowBased/): table-driven over the
// declarations, a day read over HTTP as the pipeline reads it (a count probe with the declared filter, then pages)
// is judged complete at the declared MTU by the domain code, in the publication's own spelling, nothing unknown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayWindow, expectedMtuCount } from '../../domain/calendar';
import {
  type ConstraintDataset,
  constraintFieldsOf,
  type DatasetDeclaration,
  DECLARATIONS,
  dataPathOf,
  declaredResolutionOn,
  declaredZonesOn,
} from '../../domain/datasets';
import { parseDomainPage } from '../../domain/flowBased/answer';
import { assessDomainBody } from '../../domain/flowBased/assessDomain';
import { assemblePagedAnswer, type FetchedPage } from '../../domain/flowBased/pagedAnswer';
import { publishedNames } from '../../domain/flowBased/publicationFields';
import type { DeliveryDay } from '../../domain/types';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { SMALL_FLOW_BASED_DOMAIN } from '../helpers/smallDomain';

const NOW = new Date('2026-11-22T12:00:00Z');
/** Pages small enough that a day of the smaller domain is read in several (Nordic's quarter-hours in four). */
const TAKE = 1_000;

const CONSTRAINT_DECLARATIONS = DECLARATIONS.filter(
  (declaration) => declaration.rowKind === 'constraints',
).map((declaration) => ({
  dataset: declaration.id as ConstraintDataset,
  declaration: declaration as DatasetDeclaration,
}));

/** The smaller domain; `fullSimulator` the full one, for the counts of active constraints an hour. */
let simulator: SimulatorHandle;
let fullSimulator: SimulatorHandle;
beforeAll(async () => {
  simulator = await startSimulator({ now: () => NOW, ...SMALL_FLOW_BASED_DOMAIN });
  fullSimulator = await startSimulator({ now: () => NOW });
});
afterAll(async () => {
  await simulator?.close();
  await fullSimulator?.close();
});

async function page(
  declaration: DatasetDeclaration,
  day: DeliveryDay,
  skip: number,
  take: number,
  on: SimulatorHandle = simulator,
) {
  const window = dayWindow(day);
  const query = new URLSearchParams({
    FromUtc: window.from,
    ToUtc: window.to,
    Skip: `${skip}`,
    Take: `${take}`,
  });
  const { filter } = constraintFieldsOf(declaration);
  if (filter !== null) query.set('Filter', JSON.stringify(filter));
  const response = await fetch(`${on.origin}${dataPathOf(declaration)}?${query}`);
  return { skip, take, httpStatus: response.status, body: await response.text() } satisfies FetchedPage;
}

/** The day read as the pipeline reads it, assembled as its stored answer. */
async function pagedDay(declaration: DatasetDeclaration, day: DeliveryDay): Promise<string> {
  const probe = await page(declaration, day, 0, 0);
  expect(probe.httpStatus).toBe(200);
  const total = (JSON.parse(probe.body) as { totalRowsWithFilter: number }).totalRowsWithFilter;
  const pages: FetchedPage[] = [];
  for (let skip = 0; skip < total; skip += TAKE) pages.push(await page(declaration, day, skip, TAKE));
  return assemblePagedAnswer({ totalRowsWithFilter: total, probe, pages });
}

describe.each(CONSTRAINT_DECLARATIONS)('the simulator’s $dataset', ({ declaration }) => {
  const day: DeliveryDay = '2026-11-10';

  it('serves a day the domain code judges complete at the declared MTU, in the declared spelling', async () => {
    const body = await pagedDay(declaration, day);
    const assessment = assessDomainBody(declaration, day, body, new Set());
    expect(assessment.status, assessment.reason ?? '').toBe('complete');
    const minutes = declaredResolutionOn(declaration, day);
    expect(assessment.expectedMtus).toBe(expectedMtuCount(day, minutes));
    expect(assessment.validated?.resolutionMinutes).toBe(minutes);
    expect(assessment.validated?.unknownFields).toEqual([]);
    expect(assessment.validated?.keys).toEqual(
      declaredZonesOn(declaration, day)
        .map((hub) => `hub_${hub}`)
        .sort(),
    );
  });

  it('writes each row with the publication’s names, its flag, contingency form, extras and PTDF prefix', async () => {
    const fields = constraintFieldsOf(declaration);
    const first = JSON.parse((await page(declaration, day, 0, 1)).body) as {
      data: Record<string, unknown>[];
    };
    const row = first.data[0]!;
    const expected = new Set<string>(['id', 'dateTimeUtc', ...Object.keys(fields.extra)]);
    for (const [, published] of publishedNames(fields)) if (published !== null) expected.add(published);
    if (fields.presolvedFlag !== null) expected.add(fields.presolvedFlag);
    expected.add(fields.contingency.form === 'list' ? 'contingencies' : fields.contingency.branchEic);
    for (const hub of declaredZonesOn(declaration, day)) expected.add(`${fields.ptdfPrefix}${hub}`);
    expect(new Set(Object.keys(row))).toEqual(expected);
    const parsed = parseDomainPage(first, fields);
    expect(parsed.ok && parsed.page.refused).toEqual([]);
  });
});

describe('publications of active constraints', () => {
  it('serve shadowPrices as a few active constraints an hour, each with a shadow price, and no filter echoed', async () => {
    const declaration = DECLARATIONS.find((d) => d.id === 'coreShadowPrices')!;
    const answer = JSON.parse((await page(declaration, '2026-11-10', 0, 100_000, fullSimulator)).body) as {
      data: Array<{ shadowPrice: number; dateTimeUtc: string }>;
      appliedFilter: unknown;
    };
    expect(answer.appliedFilter).toBeNull();
    expect(answer.data.length).toBeGreaterThan(24);
    expect(answer.data.length).toBeLessThan(24 * 15);
    for (const row of answer.data) expect(row.shadowPrice).toBeGreaterThan(0);
  });

  it('echo Nordic’s filter under Nordic’s names', async () => {
    const declaration = DECLARATIONS.find((d) => d.id === 'nordicFinalComputation')!;
    const answer = JSON.parse((await page(declaration, '2026-11-10', 0, 0)).body) as {
      appliedFilter: unknown;
    };
    expect(answer.appliedFilter).toMatchObject({
      nonRedundant: true,
      biddingZoneFrom: null,
      biddingZoneTo: null,
    });
  });

  it('publish nothing before a dataset’s first day', async () => {
    const declaration = DECLARATIONS.find((d) => d.id === 'coreIdccDFinalComputation')!;
    const answer = JSON.parse((await page(declaration, '2026-04-27', 0, 0)).body) as {
      totalRowsWithFilter: number;
    };
    expect(answer.totalRowsWithFilter).toBe(0);
  });
});
