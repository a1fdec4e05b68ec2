// The current details a backfill or poll run shows in the Temporal Web UI (Temporal markdown), kept bounded.
import type { DayStatus } from './types';
import { type DayOutcome, reasonOf } from './workflowInputs';

/** Non-complete days listed by name; the rest are counted (details travel with every workflow task). */
export const LISTED_DAYS = 25;
const REASON_LENGTH = 160;

export interface RunState {
  title: string;
  total: number;
  done: number;
  running: number;
  byStatus: Partial<Record<DayStatus, number>>;
  notCompleted: DayOutcome[];
}

const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= REASON_LENGTH ? flat : `${flat.slice(0, REASON_LENGTH)}…`;
};

export function renderRunDetails(state: RunState): string {
  const counts = Object.entries(state.byStatus)
    .map(([status, count]) => `${status} ${count}`)
    .join(' · ');
  const lines = [
    `**${state.title}**`,
    `${state.done}/${state.total} days done, ${state.running} running${counts ? ` — ${counts}` : ''}`,
  ];
  if (state.notCompleted.length > 0) {
    lines.push('', `Not complete (${state.notCompleted.length}):`);
    for (const outcome of state.notCompleted.slice(0, LISTED_DAYS)) {
      const reason = reasonOf(outcome);
      lines.push(`- ${outcome.day} **${outcome.status}**${reason ? `: ${oneLine(reason)}` : ''}`);
    }
    const more = state.notCompleted.length - LISTED_DAYS;
    if (more > 0) lines.push(`- … and ${more} more (query \`progress\` for all)`);
  }
  return lines.join('\n');
}
