// What a stored paged answer of a constraint publication means for its day (domain/assess.ts does the same for the
// border datasets): every page read, the rows validated together, the day judged, and the quality record the
// day's row keeps.
import { type Assessment, invalidAssessment, judgedAssessment } from '../assess';
import { expectedMtuCount } from '../calendar';
import { constraintFieldsOf, type DatasetDeclaration, declaredResolutionOn } from '../datasets/declaration';
import type { DeliveryDay } from '../deliveryDay';
import { runToEnd, type Steps } from '../steps';
import type { ConstraintsDay } from '../types';
import { type ConstraintRow, domainPageSteps, type RefusedRow } from './answer';
import { parsePagedAnswer } from './pagedAnswer';
import { domainDaySteps, judgeDomainDay, type ValidatedDomainDay } from './validateDomain';

/** The day's quality record and rows in the shape every day's write takes. */
function validatedDayOf(
  domain: ValidatedDomainDay,
  resolutionMinutes: number,
  compared: boolean,
): ConstraintsDay {
  const hubs = new Set<string>();
  const unknownFields = new Set<string>();
  for (const { row } of domain.accepted) {
    for (const [hub] of row.ptdfs) hubs.add(hub);
    for (const field of Object.keys(row.unknown)) unknownFields.add(field);
  }
  const conflictingRows = domain.rejections.filter((r) => r.rule === 'conflicting_duplicate').length;
  const refusedRows = domain.rejections.length - conflictingRows;
  return {
    lane: 'constraints',
    resolutionMinutes,
    expectedMtus: domain.expectedMtus,
    rows: domain.receivedRows,
    receivedMtus: domain.expectedMtus - domain.missingMtus.length,
    missingMtus: domain.missingMtus,
    rejections: domain.rejections,
    keys: [...hubs].map((hub) => `hub_${hub}`).sort(),
    refusedKeys: 0,
    nullValues: 0,
    duplicateRows: Math.max(0, domain.receivedRows - domain.accepted.length - refusedRows - conflictingRows),
    conflictingRows,
    absentValues: 0,
    unknownFields: [...unknownFields].sort(),
    constraintRows: domain.accepted,
    newHubs: compared ? domain.newHubs : [],
  };
}

/** A stored paged answer read: the day's rows and quality record, or why none can be read. */
export type DomainReading =
  | { ok: true; domain: ValidatedDomainDay; validated: ConstraintsDay }
  | { ok: false; reason: string; expectedMtus: number };

/**
 * Reads a stored paged answer of `day` of a constraint dataset (its declaration says its MTU and how its rows are
 * spelled) into its rows and quality record, deciding nothing of the day's status; `knownHubs`: the hubs of the
 * dataset's earlier days, null when it has none stored (no hub is then new). One step a row.
 */
export function* domainBodySteps(
  declaration: DatasetDeclaration,
  day: DeliveryDay,
  body: string,
  knownHubs: ReadonlySet<string> | null,
): Steps<DomainReading> {
  const resolutionMinutes = declaredResolutionOn(declaration, day);
  const fields = constraintFieldsOf(declaration);
  const expectedMtus = expectedMtuCount(day, resolutionMinutes);
  const unreadable = (reason: string): DomainReading => ({ ok: false, reason, expectedMtus });
  const answer = parsePagedAnswer(body);
  if (!answer.ok) return unreadable(answer.reason);
  yield;
  const probe = yield* domainPageSteps(answer.probe.body, fields);
  if (!probe.ok) return unreadable(`the count probe: ${probe.reason}`);
  const rows: ConstraintRow[] = [];
  const refused: RefusedRow[] = [];
  for (const stored of answer.pages) {
    const page = yield* domainPageSteps(stored.body, fields);
    if (!page.ok) return unreadable(`page at skip ${stored.skip}: ${page.reason}`);
    for (const row of page.page.rows) rows.push(row);
    for (const r of page.page.refused) refused.push({ ...r, index: stored.skip + r.index });
    // Its rows read, the page's parsed JSON can go while the day is validated.
    stored.body = null;
  }
  const domain = yield* domainDaySteps({
    day,
    rows,
    refused,
    announcedRows: answer.totalRowsWithFilter,
    knownHubs: knownHubs ?? new Set(),
    rules: { resolutionMinutes, fields },
  });
  yield;
  return { ok: true, domain, validated: validatedDayOf(domain, resolutionMinutes, knownHubs !== null) };
}

/** domainBodySteps run at once. */
export function readDomainBody(
  declaration: DatasetDeclaration,
  day: DeliveryDay,
  body: string,
  knownHubs: ReadonlySet<string> | null,
): DomainReading {
  return runToEnd(domainBodySteps(declaration, day, body, knownHubs));
}

/** The day judged from what domainBodySteps read. */
export function assessmentOfReading(reading: DomainReading): Assessment<ConstraintsDay> {
  if (!reading.ok) return invalidAssessment(reading.reason, reading.expectedMtus);
  return judgedAssessment(reading.validated, judgeDomainDay(reading.domain));
}

/** Judges a stored paged answer of `day` of a constraint dataset: read (readDomainBody), then the day judged. */
export function assessDomainBody(
  declaration: DatasetDeclaration,
  day: DeliveryDay,
  body: string,
  knownHubs: ReadonlySet<string> | null,
): Assessment<ConstraintsDay> {
  return assessmentOfReading(readDomainBody(declaration, day, body, knownHubs));
}
