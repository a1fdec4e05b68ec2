// What the page says about one day, in the tooltip and in the selected day's panel.

import type { JaoWordDay } from '../../domain/apiAnswers';
import { dayLengthHours } from '../../domain/calendar';
import { type Cell, STATUS_TEXT } from './dayCells';
import { instantText, marketTimeText } from './marketTime';

/** How many missing MTUs are listed by time before "and N more". */
const LISTED_MTUS = 8;

function missingText(missing: readonly string[]): string {
  if (missing.length === 0) return 'none';
  const times = missing.slice(0, LISTED_MTUS).map((mtu) => marketTimeText(mtu));
  const more = missing.length > LISTED_MTUS ? ` and ${missing.length - LISTED_MTUS} more` : '';
  return `${missing.length}: ${times.join(', ')}${more}`;
}

const WORD_STATE: Record<JaoWordDay['state'], string> = {
  not_yet_published: 'not yet published',
  late: 'late',
  missing: 'missing (published by JAO, not stored complete)',
  published: 'published',
  unknown: 'no step read',
};

/** `late: Final Computation pending, due 5 Jan 10:30 (read 5 Jan 11:02)`. */
export function jaoWordText(
  word: Omit<JaoWordDay, 'day'>,
  instant: (iso: string | null) => string = instantText,
): string {
  const steps = word.steps
    .map(
      (step) =>
        `${step.page} ${step.status === 'Pending' ? 'pending' : 'received'}` +
        (step.status === 'Pending' && step.deadline ? `, due ${instant(step.deadline)}` : ''),
    )
    .join('; ');
  return `${WORD_STATE[word.state]}: ${steps} (read ${instant(word.seen_at)})`;
}

/** [term, description] pairs, in reading order. */
export function dayFacts(cell: Cell): [string, string][] {
  const stored = cell.stored;
  const facts: [string, string][] = [['Status', STATUS_TEXT[cell.status].label]];
  if (cell.running) {
    facts.push(['Running since', instantText(cell.running.started_at)]);
    facts.push(['Stored status', stored ? STATUS_TEXT[stored.status].label : 'none (missing)']);
  }
  if (cell.word && cell.word.state !== 'unknown') facts.push(["JAO's word", jaoWordText(cell.word)]);
  const hours = dayLengthHours(cell.day);
  facts.push(['Hours', hours === 24 ? '24' : `${hours} (clock change)`]);
  if (!stored) {
    facts.push(['Stored', 'nothing: no run of this day has been recorded']);
    return facts;
  }
  facts.push(['MTUs', `${stored.received_mtus} of ${stored.expected_mtus}`]);
  facts.push(['Missing MTUs', missingText(stored.missing_mtus)]);
  if (stored.reason) facts.push(['Reason', stored.reason]);
  if (cell.recheckFailed) facts.push(['Re-check failed', stored.last_error ?? '']);
  else if (!stored.reason && stored.last_error) facts.push(['Last error', stored.last_error]);
  facts.push(['Revision', String(stored.revision_count)]);
  facts.push(['Last change', instantText(stored.last_changed_at)]);
  facts.push(['Last checked', instantText(stored.last_checked_at)]);
  if (stored.drift.length > 0) facts.push(['Drift', stored.drift.join(', ')]);
  return facts;
}
