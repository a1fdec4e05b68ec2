// What the page says about one day, in the tooltip and in the selected day's panel.
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

/** [term, description] pairs, in reading order. */
export function dayFacts(cell: Cell): [string, string][] {
  const stored = cell.stored;
  const facts: [string, string][] = [];
  const label = STATUS_TEXT[cell.status].label;
  facts.push(['Status', label]);
  if (cell.running) {
    facts.push(['Running since', instantText(cell.running.started_at)]);
    facts.push(['Stored status', stored ? STATUS_TEXT[stored.status].label : 'none (missing)']);
  }
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
