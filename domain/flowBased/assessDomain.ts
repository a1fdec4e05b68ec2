// What a stored paged answer of the flow-based domain means for its day (domain/assess.ts does the same for the
// border datasets): every page read, the rows validated together, the day judged, and the quality record the
// day's row keeps.
import type { Assessment } from '../assess';
import type { DeliveryDay } from '../deliveryDay';
import type { ConstraintsDay, Rejection } from '../types';
import { type ConstraintRow, parseDomainPage, type RefusedRow } from './answer';
import { parsePagedAnswer } from './pagedAnswer';
import { judgeDomainDay, type ValidatedDomainDay, validateDomainDay } from './validateDomain';

/** The domain is hourly whatever the market's MTU (docs/flow-based.md). */
export const DOMAIN_RESOLUTION_MINUTES = 60;

function invalid(
  reason: string,
  expectedMtus: number,
  rejections: Rejection[] = [],
): Assessment<ConstraintsDay> {
  return { status: 'invalid', validated: null, rejections, expectedMtus, reason, error: reason };
}

/** The day's quality record and rows in the shape every day's write takes. */
function validatedDayOf(domain: ValidatedDomainDay, compared: boolean): ConstraintsDay {
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
    resolutionMinutes: DOMAIN_RESOLUTION_MINUTES,
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
 * Judges a stored paged answer of `day`; `knownHubs`: the hubs of the dataset's earlier days, null when it has none
 * stored (no hub is then new).
 */
export function assessDomainBody(
  day: DeliveryDay,
  body: string,
  expectedMtus: number,
  knownHubs: ReadonlySet<string> | null,
): Assessment<ConstraintsDay> {
  const answer = parsePagedAnswer(body);
  if (!answer.ok) return invalid(answer.reason, expectedMtus);
  const probe = parseDomainPage(answer.probe.body);
  if (!probe.ok) return invalid(`the count probe: ${probe.reason}`, expectedMtus);
  const rows: ConstraintRow[] = [];
  const refused: RefusedRow[] = [];
  for (const stored of answer.pages) {
    const page = parseDomainPage(stored.body);
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
  });
  const { status, reason } = judgeDomainDay(domain);
  const validated = validatedDayOf(domain, knownHubs !== null);
  return {
    status,
    validated,
    rejections: domain.rejections,
    expectedMtus: domain.expectedMtus,
    reason,
    error: status === 'invalid' ? reason : null,
  };
}
