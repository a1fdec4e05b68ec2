// The status of a validated day and the reason it is not complete (docs/design.md §5): the one place these rules
// are decided. `failed` (retries exhausted) is decided by the workflow, never here.
import type { DayStatus, KeyedValuesDay, Rejection } from './types';
import { KEY_RULES, ROW_RULES } from './validationPhases';

export type ValidatedDayStatus = Exclude<DayStatus, 'failed'>;

export interface DayVerdict {
  status: ValidatedDayStatus;
  /** One sentence saying what is missing or wrong; null exactly when the day is complete. */
  reason: string | null;
}

export const NOT_PUBLISHED_REASON = 'JAO published no rows for the day (not published yet)';

/** last_error of a day with stored values whose re-check found no rows: the values and their status stay. */
export const EMPTY_RECHECK_ERROR =
  'no data published: the re-check found no rows for the day; the stored values are kept';

/**
 * last_error of a complete day whose re-check answered worse (partial: conflicting duplicates, say) while every
 * stored value stays stored: the day keeps its status for the stored values, the finding is the evidence.
 */
export function worseRecheckError(status: string, reason: string | null): string {
  return `re-check found the day ${status}${reason ? ` (${reason})` : ''}; the stored values are kept`;
}

/**
 * Why a day written from a judgement (`judged`, its stored status now `written`) is not complete, in one sentence
 * (undefined when it is): what was found, or that the stored values were kept over it.
 */
export function reasonOfWrite(
  judged: { status: DayStatus; reason: string | null },
  written: DayStatus,
): string | undefined {
  if (written === 'complete') return undefined;
  const found = judged.reason ?? `ended ${judged.status}`;
  return judged.status === written
    ? found
    : `kept the stored ${written} values; the re-check found: ${found}`;
}

/**
 * - `not_published`: the answer has no rows;
 * - `complete`: every expected MTU is present, no key was refused, and every key has an accepted value at
 *   every MTU (identical duplicate rows collapsed, unknown fields and rows outside the day do not count);
 * - `invalid`: rows arrived but no value was accepted;
 * - `partial`: anything in between (missing MTUs, nulls, refused values or keys, conflicting duplicates).
 *
 * These judge an answer. What is stored decides a re-check's effect (db/writeDay.ts): a re-check that brings no
 * content (empty answer, invalid payload, failed fetch) leaves a day with stored values as it is, and one worse
 * than what is stored (a complete day answered partial while every stored value stays) keeps the day's status
 * and quality record; either way last_error records the finding (EMPTY_RECHECK_ERROR, worseRecheckError).
 * revision_count counts versions of the stored values: filling a value never stored is not a revision.
 */
export function judgeDay(v: KeyedValuesDay): DayVerdict {
  if (v.rows === 0) return { status: 'not_published', reason: NOT_PUBLISHED_REASON };
  const expectedValues = v.expectedMtus * v.keys.length;
  const valuesOrDeclaredEmpty = v.points.length + (v.declaredEmptyNulls ?? 0);
  if (v.missingMtus.length === 0 && v.refusedKeys === 0 && valuesOrDeclaredEmpty === expectedValues) {
    return { status: 'complete', reason: null };
  }
  const findings = describeFindings(v);
  if (v.points.length === 0) {
    return {
      status: 'invalid',
      reason: `no value accepted: ${findings.length ? findings.join('; ') : 'the rows carry no border values'}`,
    };
  }
  const missingValues = expectedValues - valuesOrDeclaredEmpty;
  const summary = missingValues > 0 ? `${missingValues} of ${expectedValues} values missing: ` : '';
  return { status: 'partial', reason: `${summary}${findings.join('; ')}` };
}

export function statusOf(v: KeyedValuesDay): ValidatedDayStatus {
  return judgeDay(v).status;
}

const shortMtu = (iso: string) => `${iso.slice(0, 16)}Z`;

/** `<n> <what> refused (<rule> <n>, …)` for the rejections whose rule matches; null when none does. */
export function refusals(
  rejections: readonly Rejection[],
  what: string,
  matches: (rule: string) => boolean,
): string | null {
  const counts = new Map<string, number>();
  for (const r of rejections) if (matches(r.rule)) counts.set(r.rule, (counts.get(r.rule) ?? 0) + 1);
  if (counts.size === 0) return null;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return `${total} ${what} refused (${[...counts].map(([rule, n]) => `${rule} ${n}`).join(', ')})`;
}

const isKeyRule = (rule: string) => (KEY_RULES as readonly string[]).includes(rule);
const isRowRule = (rule: string) => (ROW_RULES as readonly string[]).includes(rule);
const isValueRule = (rule: string) => rule.startsWith('value_');

/** What keeps the day from being complete, most telling first. */
function describeFindings(v: KeyedValuesDay): string[] {
  const missing = v.missingMtus.length;
  const shown = v.missingMtus.slice(0, 3).map(shortMtu).join(', ');
  return [
    missing > 0 && `${missing} of ${v.expectedMtus} MTUs missing (${shown}${missing > 3 ? ', …' : ''})`,
    v.nullValues > 0 && `${v.nullValues} null values`,
    v.conflictingRows > 0 && `${v.conflictingRows} conflicting duplicate rows`,
    refusals(v.rejections, 'values', isValueRule),
    v.absentValues > 0 && `${v.absentValues} values absent from their rows`,
    refusals(v.rejections, 'keys', isKeyRule),
    refusals(v.rejections, 'rows', isRowRule),
  ].filter((finding) => typeof finding === 'string');
}
