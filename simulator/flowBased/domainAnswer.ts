// The answer to a request of a constraint dataset (Core's domain in its three computations, its shadow prices,
// Nordic's and coreID's domains), from its declaration: the rows of the published hours of the window's days at the
// declared MTU, filtered, counted and paged, in JAO's paged envelope, in the publication's spelling. Rows are ordered
// by MTU, then by the catalogue; only the page's rows are written.
import { addDays, dayOfInstant, dayStartMs, daysInRange } from '../../domain/calendar';
import { constraintFieldsOf, declaredResolutionOn, declaredZonesOn } from '../../domain/datasets';
import type { ConstraintFields } from '../../domain/datasets/declaration';
import { publishedNames } from '../../domain/flowBased/publicationFields';
import type { DeliveryDay } from '../../domain/types';
import { type Answer, jsonAnswer, problem, type QueryParams } from '../dataAnswer';
import type { Constraint, ConstraintCatalogue } from './constraints';
import { dayConstraints } from './dayConstraints';
import type { FlowBasedState } from './dayState';
import { type DomainEndpoint, domainDeclarationOf, hasAhcHubs, TSO_EICS } from './endpoints';
import { textHash, unitOf } from './hash';
import { publicationRowJson } from './publicationRow';
import { type DomainFilter, parseFilter, parsePaging, parseWindow, WINDOW_REFUSAL } from './query';
import { domainRowJson } from './rowJson';
import { constraintValues, isPresolved } from './values';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/**
 * Share of a MTU's constraints that bind at the clearing point: about 3 % of the presolved ones (22 %), so 3–4 an
 * hour as the real 85 a day. Drawn apart from the presolve and from the values' version, so that a revision changes
 * an active constraint's values, not which constraints are active.
 */
const ACTIVE_SHARE = 0.03 * 0.22;
const JSON_TYPE = 'application/json; charset=utf-8';

/** One row of the answer before it is written. */
interface Slot {
  day: DeliveryDay;
  mtuMs: number;
  hourIndex: number;
  id: number;
  constraint: Constraint;
  epoch: number;
  presolved: boolean;
  active: boolean;
  /** The constraint added while a client paged. */
  latecomer: boolean;
}

/** Whether a constraint binds at the MTU (it has a shadow price). */
function isActive(constraint: Constraint, mtuMs: number, salt: number): boolean {
  return unitOf(constraint.seed, mtuMs, salt, 0xac71) < ACTIVE_SHARE;
}

/** The filter as JAO echoes it in `appliedFilter`, in the publication's names (Nordic: `nonRedundant`). */
function echoOf(filter: DomainFilter | null, fields: ConstraintFields): Record<string, unknown> | null {
  if (filter === null) return null;
  const names = new Map(publishedNames(fields));
  const echo: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'presolved') echo[fields.presolvedFlag ?? key] = value;
    else if (key === 'hubFrom' || key === 'hubTo') echo[names.get(key) ?? key] = value;
    else echo[key] = value;
  }
  return echo;
}

const upper = (values: readonly string[]) => values.map((value) => value.toUpperCase());

/** Whether a row passes the filter (an empty text or list, as some clients send, filters nothing). */
function matches(filter: DomainFilter | null, c: Constraint, presolved: boolean): boolean {
  if (filter === null) return true;
  if (filter.presolved !== null && presolved !== filter.presolved) return false;
  if (filter.tso && filter.tso.length > 0) {
    if (c.tso === 'NA' || !upper(filter.tso).includes(TSO_EICS[c.tso])) return false;
  }
  if (filter.cnecName) {
    const name = c.element?.name ?? c.specialName ?? '';
    if (!name.toLowerCase().includes(filter.cnecName.toLowerCase())) return false;
  }
  if (filter.contingency) {
    const name = c.contingency?.name ?? '';
    if (!name.toLowerCase().includes(filter.contingency.toLowerCase())) return false;
  }
  if (filter.hubFrom && filter.hubFrom.length > 0 && !filter.hubFrom.includes(c.element?.hubFrom ?? 'NA'))
    return false;
  if (filter.hubTo && filter.hubTo.length > 0 && !filter.hubTo.includes(c.element?.hubTo ?? 'NA'))
    return false;
  return true;
}

/** The answer to a domain request received at `atMs`; a page served (Take > 0) adds an armed day's constraint. */
export function answerDomainRequest(
  days: FlowBasedState,
  catalogue: ConstraintCatalogue,
  endpoint: DomainEndpoint,
  params: QueryParams,
  atMs: number,
): Answer {
  const window = parseWindow(params);
  if (window.kind === 'unreadable') return problem(400, 'Bad Request', window.detail);
  if (window.kind === 'refused') return jsonAnswer(400, WINDOW_REFUSAL);
  const paging = parsePaging(params);
  if (typeof paging === 'string') return problem(400, 'Bad Request', paging);
  const filter = parseFilter(params.filter);
  if (typeof filter === 'string') return problem(400, 'Bad Request', filter);

  const { fromMs, toMs } = window;
  const declaration = domainDeclarationOf(endpoint);
  const fields = constraintFieldsOf(declaration);
  // A publication without a presolved flag (Core's shadowPrices) holds the active constraints only.
  const activeOnly = fields.presolvedFlag === null;
  const salt = textHash(endpoint);
  const matched: Slot[] = [];
  const servedDays: DeliveryDay[] = [];
  let totalRows = 0;
  for (const day of daysInRange(dayOfInstant(new Date(fromMs)), dayOfInstant(new Date(toMs - 1)))) {
    const visibility = days.visibility(endpoint, day, atMs);
    if (visibility === null) continue;
    servedDays.push(day);
    const { constraints, epochs } = dayConstraints(catalogue, day, days.revisionOf(endpoint, day), salt);
    const startMs = dayStartMs(day);
    const endMs = dayStartMs(addDays(day, 1));
    const stepMs = declaredResolutionOn(declaration, day) * MINUTE_MS;
    const mtus = (endMs - startMs) / stepMs;
    // One id per constraint and MTU, and one for the constraint that may be added while a client pages.
    const perMtu = constraints.length + 1;
    const idBase = days.idBase(endpoint, day, mtus * perMtu);
    const withLatecomer = days.latecomerSince(endpoint, day) !== null;
    const firstMs = Math.max(startMs, startMs + Math.ceil((fromMs - startMs) / stepMs) * stepMs);
    const lastMs = Math.min(endMs, toMs, startMs + (visibility.hours ?? 25) * HOUR_MS);
    for (let mtuMs = firstMs; mtuMs < lastMs; mtuMs += stepMs) {
      const hourIndex = Math.floor((mtuMs - startMs) / HOUR_MS);
      const firstId = idBase + ((mtuMs - startMs) / stepMs) * perMtu;
      const consider = (constraint: Constraint, epoch: number, id: number, latecomer: boolean) => {
        const presolved = latecomer || isPresolved(constraint, mtuMs, epoch, salt);
        const active = isActive(constraint, mtuMs, salt);
        if (activeOnly && !active) return;
        totalRows++;
        if (matches(filter, constraint, presolved))
          matched.push({ day, mtuMs, hourIndex, id, constraint, epoch, presolved, active, latecomer });
      };
      if (withLatecomer) consider(catalogue.latecomer, 0, firstId, true);
      for (let i = 0; i < constraints.length; i++)
        consider(constraints[i]!, epochs[i]!, firstId + 1 + i, false);
    }
  }

  const { skip, take } = paging;
  const page = matched.slice(skip, take === null ? undefined : skip + take);
  let lastModifiedMs: number | null = null;
  const hubsByDay = new Map<DeliveryDay, readonly string[]>();
  const hubsOn = (day: DeliveryDay) => {
    let hubs = hubsByDay.get(day);
    if (hubs === undefined) {
      hubs = declaredZonesOn(declaration, day);
      hubsByDay.set(day, hubs);
    }
    return hubs;
  };
  const rows = page.map((slot) => {
    const { day, mtuMs, constraint } = slot;
    let modifiedMs = days.rowModifiedMs(endpoint, day, slot.hourIndex, atMs);
    if (slot.latecomer) modifiedMs = Math.max(modifiedMs, days.latecomerSince(endpoint, day) ?? modifiedMs);
    if (lastModifiedMs === null || modifiedMs > lastModifiedMs) lastModifiedMs = modifiedMs;
    const values = constraintValues(constraint, mtuMs, slot.epoch, salt, hasAhcHubs(day));
    const core = domainRowJson(slot.id, mtuMs, constraint, slot.presolved, values);
    return publicationRowJson(fields, core, hubsOn(day), { ...slot, salt });
  });
  if (take !== 0) for (const day of servedDays) days.pageServed(endpoint, day);
  const lastModifiedOn = lastModifiedMs === null ? null : new Date(lastModifiedMs).toISOString();
  const body =
    `{"data":[${rows.join(',')}],"totalRows":${totalRows},"totalRowsWithFilter":${matched.length},` +
    `"skip":${skip},"take":${take === null ? 'null' : take},"appliedFilter":${JSON.stringify(echoOf(filter, fields))},` +
    `"lastModifiedOn":${JSON.stringify(lastModifiedOn)},"rejected":false,"messages":null}`;
  return { status: 200, contentType: JSON_TYPE, body };
}
