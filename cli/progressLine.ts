import { setTimeout as sleep } from 'node:timers/promises';
import { countOf } from '../domain/runDetails';
import type { BackfillProgress } from '../domain/workflowInputs';
import type { TextSink } from './io';

export interface ProgressLine {
  /** Shows `line`, unless it is the one shown last. */
  write(line: string): void;
  /** Ends the line on a terminal, so that what follows starts on a line of its own. */
  end(): void;
}

/** A progress line that rewrites itself on a terminal and prints once per change elsewhere (a log, a pipe). */
export function progressLine(sink: TextSink): ProgressLine {
  const tty = sink.isTTY === true;
  let last = '';
  return {
    write(line) {
      if (line === last) return;
      sink.write(tty ? `\r${line}` : `${line}\n`);
      last = line;
    },
    end() {
      if (tty && last) sink.write('\n');
    },
  };
}

/**
 * Shows the line `read` gives every second (a read that fails or gives null is skipped: a workflow between
 * runs answers no query) until the returned stop is called; the stop does not wait out the interval.
 */
export function pollProgress(sink: TextSink, read: () => Promise<string | null>): () => Promise<void> {
  const line = progressLine(sink);
  const stopped = new AbortController();
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      const text = await read().catch(() => null);
      if (text !== null && !stopped.signal.aborted) line.write(text);
      await sleep(1000, undefined, { signal: stopped.signal }).catch(() => undefined);
    }
  })();
  return async () => {
    stopped.abort();
    await loop;
    line.end();
  };
}

const WIDTH = 30;

/** `complete 3, failed 1`: how many days ended in each status. */
export const statusCounts = (byStatus: Partial<Record<string, number>>): string =>
  Object.entries(byStatus)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');

/** One line: a bar, days done of the total, days in flight, and the count of each status so far. */
export function renderProgress(progress: BackfillProgress): string {
  if (progress.total === 0 && progress.done === 0) return `[${'░'.repeat(WIDTH)}] planning the days…`;
  const filled = Math.round((progress.done / Math.max(progress.total, 1)) * WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
  const statuses = statusCounts(progress.byStatus);
  return `[${bar}] ${progress.done} of ${countOf(progress.total, 'day')} done, ${progress.running} running${statuses ? ` | ${statuses}` : ''}`;
}
