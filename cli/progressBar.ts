import type { BackfillProgress } from '../domain/workflowInputs';

const WIDTH = 30;

/** One line: a bar, done/total, days in flight, and the count of each status so far. */
export function renderProgress(progress: BackfillProgress): string {
  const share = progress.total === 0 ? 1 : progress.done / progress.total;
  const filled = Math.round(share * WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
  const statuses = Object.entries(progress.byStatus)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  return `[${bar}] ${progress.done}/${progress.total} days, ${progress.running} running${statuses ? ` | ${statuses}` : ''}`;
}
