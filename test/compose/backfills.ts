// Backfills of the compose test's scenarios 3 and 4: started in the worker container, watched in the database.
import { waitFor } from './checks';
import { completeDays } from './database';
import type { ComposeStack } from './stack';

const DAY_MS = 86_400_000;
export const MINUTES = 60_000;

export interface DayRange {
  from: string;
  to: string;
  days: number;
}

/** `days` days ending `endDaysAgo` days before today (UTC): past days, published in the simulator. */
export function pastRange(endDaysAgo: number, days: number): DayRange {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const day = (offset: number) => new Date(today - offset * DAY_MS).toISOString().slice(0, 10);
  return { from: day(endDaysAgo + days - 1), to: day(endDaysAgo), days };
}

/** `jao backfill` in the worker container; with `wait`, until it ends (attaching to one that runs). */
export async function backfill(
  stack: ComposeStack,
  range: DayRange,
  options: { wait: boolean; concurrency?: number },
): Promise<void> {
  const args = [
    'exec',
    '-T',
    'worker',
    'node',
    'bin/jao.js',
    'backfill',
    '--from',
    range.from,
    '--to',
    range.to,
  ];
  if (options.concurrency !== undefined) args.push('--concurrency', String(options.concurrency));
  if (options.wait) args.push('--wait');
  const result = await stack.compose(args);
  if (result.code !== 0) {
    throw new Error(
      `jao backfill ${range.from}..${range.to} exited ${result.code}` +
        `${result.code === 137 ? ' (SIGKILL: its container stopped under it)' : ''}:\n` +
        `${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n')}`,
    );
  }
}

/**
 * Waits until the backfill is under way: at least one day of the range stored complete, and not all. Fails if
 * the range completed before it was seen in between (the simulator's latency is there to prevent that).
 */
export async function waitUntilMidway(stack: ComposeStack, range: DayRange): Promise<number> {
  const complete = await waitFor(
    `the backfill ${range.from}..${range.to} gets under way`,
    5 * MINUTES,
    async () => {
      const count = await completeDays(stack, range.from, range.to);
      return count > 0 ? count : undefined;
    },
    500,
  );
  if (complete >= range.days) {
    throw new Error(
      `all ${range.days} days of ${range.from}..${range.to} completed before the backfill was seen midway`,
    );
  }
  return complete;
}
