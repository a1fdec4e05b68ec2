// The current details a backfill or poll run shows in the Temporal Web UI, and its not-complete days in its memo.
// The UI renders details as markdown with typographic replacements: counts are written "4 of 10" (never "4/10",
// typeset as a fraction), quoted text becomes a code span (straight quotes), every list is a real list, and lines
// stay short (the details frame clips long ones). Kept bounded: details travel with every workflow task.
import type { DayStatus } from './types';
import { type DayOutcome, reasonOf } from './workflowInputs';

/** Non-complete days listed by name; the rest are counted. */
export const LISTED_DAYS = 25;
const REASON_LENGTH = 100;
/** The memo field holding a run's not-complete days, one line each. */
export const NOT_COMPLETE_MEMO = 'NotCompleteDays';

export interface RunState {
  title: string;
  total: number;
  done: number;
  running: number;
  /** Days left to a run of theirs already in flight (a poll's). */
  skipped?: number;
  byStatus: Partial<Record<DayStatus, number>>;
  notCompleted: DayOutcome[];
}

export const countOf = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= REASON_LENGTH ? flat : `${flat.slice(0, REASON_LENGTH)}…`;
};

/** Quoted text: "…", or '…' not inside a word (an apostrophe is not a quote). */
const QUOTED = /"([^"`]*)"|(?<!\w)'([^'`]*)'(?!\w)/g;
const escapePlain = (text: string) => text.replace(/["`]/g, '').replace(/([\\*_[\]<>#|~])/g, '\\$1');

/** A reason as markdown: quoted text as code spans (straight quotes), markdown's own characters escaped. */
function markdownReason(reason: string): string {
  let markdown = '';
  let last = 0;
  for (const match of reason.matchAll(QUOTED)) {
    const quoted = match[1] ?? match[2] ?? '';
    markdown += `${escapePlain(reason.slice(last, match.index))}${quoted ? `\`${quoted}\`` : ''}`;
    last = match.index + match[0].length;
  }
  return markdown + escapePlain(reason.slice(last));
}

/** One line per non-complete day (day, status, reason), at most LISTED_DAYS and a count of the rest. */
export function notCompleteLines(notCompleted: DayOutcome[]): string[] {
  const lines = notCompleted.slice(0, LISTED_DAYS).map((outcome) => {
    const reason = reasonOf(outcome);
    return `${outcome.day} ${outcome.status}${reason ? `: ${oneLine(reason)}` : ''}`;
  });
  const more = notCompleted.length - LISTED_DAYS;
  if (more > 0) lines.push(`… and ${more} more (query progress for all)`);
  return lines;
}

/**
 * The details' last block: a line with a no-break space only, which shows as an empty line. The Web UI (2.x) sizes the frame that shows the details to its body's
 * scrollHeight, which leaves out the body's margins: the frame cuts that much off whatever ends the details (the
 * last not-complete day was cut in half). What it cuts now is this line.
 */
export const DETAILS_END = '\u00a0';

export function renderRunDetails(state: RunState): string {
  const skipped = state.skipped ?? 0;
  const finished = state.running === 0 && state.done + skipped >= state.total;
  const done = `${state.done} of ${countOf(state.total, 'day')} done`;
  const lines = [
    `**${state.title}**`,
    '',
    finished ? `Finished: ${done}.` : `Running: ${done}, ${state.running} running.`,
  ];
  if (skipped > 0) lines.push('', `${countOf(skipped, 'day')} left to a run already in flight.`);
  const counts = Object.entries(state.byStatus).filter(([, count]) => (count ?? 0) > 0);
  if (counts.length > 0) {
    lines.push('', 'Outcomes:', '');
    for (const [status, count] of counts) lines.push(`- ${status}: ${countOf(count ?? 0, 'day')}`);
  }
  if (state.notCompleted.length > 0) {
    lines.push('', `Not complete (${state.notCompleted.length}):`, '');
    for (const outcome of state.notCompleted.slice(0, LISTED_DAYS)) {
      const reason = reasonOf(outcome);
      lines.push(
        `- ${outcome.day} **${outcome.status}**${reason ? `: ${markdownReason(oneLine(reason))}` : ''}`,
      );
    }
    const more = state.notCompleted.length - LISTED_DAYS;
    if (more > 0) lines.push(`- … and ${more} more (query \`progress\` for all)`);
  }
  lines.push('', DETAILS_END);
  return lines.join('\n');
}
