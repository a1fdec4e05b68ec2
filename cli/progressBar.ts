import { countOf } from '../domain/runDetails';
import type { BackfillProgress } from '../domain/workflowInputs';

const WIDTH = 30;

/** One line: a bar, days done of the total, days in flight, and the count of each status so far. */
export function renderProgress(progress: BackfillProgress): string {
  if (progress.total === 0 && progress.done === 0) return `[${'░'.repeat(WIDTH)}] planning the days…`;
  const filled = Math.round((progress.done / Math.max(progress.total, 1)) * WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
  const statuses = Object.entries(progress.byStatus)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  return `[${bar}] ${progress.done} of ${countOf(progress.total, 'day')} done, ${progress.running} running${statuses ? ` | ${statuses}` : ''}`;
}
