// A delivery day of the presolved domain, judged as the border datasets' days are (domain/dayStatus.ts): what it
// stores, what it refuses and why, and whether it is complete. Nothing is dropped without a record: a refused row
// is a rejection with its rule; a row stored against expectation (a hub never seen, an identity off) is flagged.
import { dayWindow, expectedMtuCount } from '../calendar';
import { CORE_DOMAIN_FIELDS, type ConstraintFields } from '../datasets/declaration';
import { type DayVerdict, refusals } from '../dayStatus';
import type { DeliveryDay } from '../deliveryDay';
import { runToEnd, type Steps } from '../steps';
import type { Rejection } from '../types';
import type { ConstraintRow, RefusedRow } from './answer';
import { constraintKeyOf } from './constraintKey';
import { type IdentityBreak, identityBreaks } from './identities';
import type { KeyedConstraintRow } from './rows';

/** Why a row is refused (kept out of the stored domain, recorded). */
export const DOMAIN_ROW_RULES = [
  'row_unreadable',
  'mtu_outside_day',
  'mtu_misaligned',
  'ptdf_out_of_range',
  'fmax_negative',
  'presolved_without_ram',
  'not_presolved',
  'conflicting_duplicate',
] as const;
export type DomainRowRule = (typeof DOMAIN_ROW_RULES)[number];

export type { KeyedConstraintRow } from './rows';

export interface ValidatedDomainDay {
  day: DeliveryDay;
  /** The rows to store, one per (constraint, MTU). */
  accepted: KeyedConstraintRow[];
  rejections: Rejection[];
  expectedMtus: number;
  /** MTUs of the day with no presolved constraint accepted. */
  missingMtus: string[];
  /** Hubs whose PTDFs the day carries and that `knownHubs` did not hold: stored, and drift. */
  newHubs: string[];
  /** Stored as published, flagged: the published fields disagree with each other. */
  identityBreaks: Array<{ key: string; mtu: string; breaks: IdentityBreak[] }>;
  /** Rows the answer said it held (totalRowsWithFilter), and rows read. */
  announcedRows: number;
  receivedRows: number;
}

const MINUTE_MS = 60_000;

/** What validation needs of the publication: its MTU length on the day and how its rows are spelled. */
export interface DomainDayRules {
  resolutionMinutes: number;
  fields: ConstraintFields;
}

function rejection(
  rule: DomainRowRule,
  row: number | null,
  key: string | null,
  mtu: string | null,
  raw: string,
) {
  return { row, key, mtu, rule, raw: raw.length <= 300 ? raw : `${raw.slice(0, 300)}…` };
}

/** The rule a row breaks on its own, with what breaks it; null when it may be stored. */
function ruleBroken(
  row: ConstraintRow,
  from: number,
  to: number,
  rules: DomainDayRules,
): { rule: DomainRowRule; raw: string } | null {
  const at = Date.parse(row.mtu);
  if (!(at >= from && at < to)) return { rule: 'mtu_outside_day', raw: row.mtu };
  if ((at - from) % (rules.resolutionMinutes * MINUTE_MS) !== 0)
    return { rule: 'mtu_misaligned', raw: row.mtu };
  const flag = rules.fields.presolvedFlag;
  if (!row.presolved)
    return { rule: 'not_presolved', raw: `${flag}: false in an answer filtered on ${flag}` };
  const outOfRange = row.ptdfs.filter(([, ptdf]) => ptdf !== null && (ptdf < -1 || ptdf > 1));
  if (outOfRange.length > 0)
    return {
      rule: 'ptdf_out_of_range',
      raw: outOfRange.map(([hub, ptdf]) => `ptdf_${hub}: ${ptdf}`).join(', '),
    };
  if (row.numbers.fmax !== null && row.numbers.fmax < 0)
    return { rule: 'fmax_negative', raw: `fmax: ${row.numbers.fmax}` };
  if (row.numbers.ram === null) return { rule: 'presolved_without_ram', raw: 'ram: null on a presolved row' };
  return null;
}

/** The same row twice (a page boundary read twice) is one row; two versions of one constraint conflict. */
function sameContent(a: ConstraintRow, b: ConstraintRow): boolean {
  const { jaoId: _a, ...restA } = a;
  const { jaoId: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

/**
 * The rows of one consistent answer for `day` (every page read; `refused`: rows the pages could not read, by their
 * position in the answer), and the hubs seen before.
 */
export interface DomainDayInput {
  day: DeliveryDay;
  rows: ReadonlyArray<ConstraintRow>;
  refused: ReadonlyArray<RefusedRow>;
  announcedRows: number;
  knownHubs: ReadonlySet<string>;
  /** Core's domain, hourly, unless given. */
  rules?: DomainDayRules;
}

/** Validates the rows of one consistent answer against the day and the hubs seen before. */
export function validateDomainDay(input: DomainDayInput): ValidatedDomainDay {
  return runToEnd(domainDaySteps(input));
}

/** validateDomainDay, one step a row. */
export function* domainDaySteps(input: DomainDayInput): Steps<ValidatedDomainDay> {
  const { day, rows, refused, knownHubs } = input;
  const rules = input.rules ?? { resolutionMinutes: 60, fields: CORE_DOMAIN_FIELDS };
  const stepMs = rules.resolutionMinutes * MINUTE_MS;
  const window = dayWindow(day);
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const rejections: Rejection[] = refused.map((r) =>
    rejection('row_unreadable', r.index, null, null, r.reason),
  );
  const byKeyAndMtu = new Map<string, KeyedConstraintRow>();
  const conflicted = new Set<string>();
  const newHubs = new Set<string>();
  const breaks: ValidatedDomainDay['identityBreaks'] = [];

  for (const [index, row] of rows.entries()) {
    yield;
    const key = constraintKeyOf(row);
    const broken = ruleBroken(row, from, to, rules);
    if (broken) {
      rejections.push(rejection(broken.rule, index, key, row.mtu, broken.raw));
      continue;
    }
    const slot = `${key}@${row.mtu}`;
    const earlier = byKeyAndMtu.get(slot);
    if (earlier) {
      if (!sameContent(earlier.row, row)) {
        conflicted.add(slot);
        const raw = `JAO rows ${earlier.row.jaoId} and ${row.jaoId}`;
        rejections.push(rejection('conflicting_duplicate', index, key, row.mtu, raw));
      }
      continue;
    }
    for (const [hub] of row.ptdfs) if (!knownHubs.has(hub)) newHubs.add(hub);
    const rowBreaks = identityBreaks(row);
    if (rowBreaks.length > 0) breaks.push({ key, mtu: row.mtu, breaks: rowBreaks });
    byKeyAndMtu.set(slot, { key, row });
  }

  // Neither version of a conflicting constraint is stored: which one JAO means is not known.
  const accepted = [...byKeyAndMtu].filter(([slot]) => !conflicted.has(slot)).map(([, keyed]) => keyed);
  const expectedMtus = expectedMtuCount(day, rules.resolutionMinutes);
  // A publication of active constraints only has MTUs where nothing binds: none of them is missing.
  const covered = new Set(accepted.map(({ row }) => Date.parse(row.mtu)));
  const missingMtus: string[] = [];
  for (let at = from; at < to && rules.fields.everyMtuHasRows; at += stepMs) {
    if (!covered.has(at)) missingMtus.push(new Date(at).toISOString().replace('.000Z', 'Z'));
  }
  return {
    day,
    accepted,
    rejections,
    expectedMtus,
    missingMtus,
    newHubs: [...newHubs].sort(),
    identityBreaks: breaks,
    announcedRows: input.announcedRows,
    receivedRows: rows.length + refused.length,
  };
}

/**
 * `complete`: every row JAO announced was read and stored, none refused, and every MTU has a presolved constraint;
 * `not_published`: no row; `invalid`: rows but none stored; `partial` otherwise, with what is missing or wrong.
 */
export function judgeDomainDay(v: ValidatedDomainDay): DayVerdict {
  if (v.receivedRows === 0 && v.announcedRows === 0) {
    return { status: 'not_published', reason: 'JAO answered no constraint for the day yet' };
  }
  const missing = v.missingMtus.length;
  const shown = v.missingMtus.slice(0, 3).join(', ');
  const findings = [
    v.receivedRows !== v.announcedRows && `${v.receivedRows} of ${v.announcedRows} announced rows read`,
    missing > 0 &&
      `${missing} of ${v.expectedMtus} MTUs without a presolved constraint (${shown}${missing > 3 ? ', …' : ''})`,
    refusals(v.rejections, 'rows', () => true),
  ].filter((finding) => typeof finding === 'string');
  if (findings.length === 0) return { status: 'complete', reason: null };
  if (v.accepted.length === 0)
    return { status: 'invalid', reason: `no constraint stored: ${findings.join('; ')}` };
  return { status: 'partial', reason: findings.join('; ') };
}
