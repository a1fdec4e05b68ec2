// What a stored paged answer of a constraint publication means for its day (domain/assess.ts does the same for the
// border datasets): every page read, the rows validated together, the day judged, and the quality record the
// day's row keeps.
import type { Assessment } from '../assess';
import { expectedMtuCount } from '../calendar';
import { constraintFieldsOf, type DatasetDeclaration, declaredResolutionOn } from '../datasets/declaration';
import type { DeliveryDay } from '../deliveryDay';
import type { ConstraintsDay, Rejection } from '../types';
import { type ConstraintRow, parseDomainPage, type RefusedRow } from './answer';
import { parsePagedAnswer } from './pagedAnswer';
import { judgeDomainDay, type ValidatedDomainDay, validateDomainDay } from './validateDomain';

function invalid(
  reason: string,
  expectedMtus: number,
  rejections: Rejection[] = [],
): Assessment<ConstraintsDay> {
  return { status: 'invalid', validated: null, rejections, expectedMtus, reason, error: reason };
}

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

/**
 * Judges a stored paged answer of `day` of a constraint dataset (its declaration says its MTU and how its rows are
 * spelled); `knownHubs`: the hubs of the dataset's earlier days, null when it has none stored (no hub is then new).
 */
export function assessDomainBody(
  declaration: DatasetDeclaration,
  day: DeliveryDay,
  body: string,
  knownHubs: ReadonlySet<string> | null,
): Assessment<ConstraintsDay> {
  const resolutionMinutes = declaredResolutionOn(declaration, day);
  const fields = constraintFieldsOf(declaration);
  const expectedMtus = expectedMtuCount(day, resolutionMinutes);
  const answer = parsePagedAnswer(body);
  if (!answer.ok) return invalid(answer.reason, expectedMtus);
  const probe = parseDomainPage(answer.probe.body, fields);
  if (!probe.ok) return invalid(`the count probe: ${probe.reason}`, expectedMtus);
  const rows: ConstraintRow[] = [];
  const refused: RefusedRow[] = [];
  for (const stored of answer.pages) {
    const page = parseDomainPage(stored.body, fields);
    if (!page.ok) return invalid(`page at skip ${stored.skip}: ${page.reason}`, expectedMtus);
    rows.push(...page.page.rows);
    refused.push(...page.page.refused.map((r) => ({ ...r, index: stored.skip + r.index })));
  }
  const domain = validateDomainDay({
    day,
    rows,
    refused,
    announcedRows: answer.totalRowsWithFilter,
    knownHubs: knownHubs ?? new Set(),
    rules: { resolutionMinutes, fields },
  });
  const { status, reason } = judgeDomainDay(domain);
  const validated = validatedDayOf(domain, resolutionMinutes, knownHubs !== null);
  return {
    status,
    validated,
    rejections: domain.rejections,
    expectedMtus: domain.expectedMtus,
    reason,
    error: status === 'invalid' ? reason : null,
  };
}
