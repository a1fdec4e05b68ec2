// What the simulator serves of a day's presolved Core final domain, read in one request: what a stored day is
// compared with, row for row.
import { dayWindow } from '../../domain/calendar';
import type { DeliveryDay } from '../../domain/types';

export type ServedRow = Record<string, unknown> & { dateTimeUtc: string };

/** The day's presolved rows as the simulator at `origin` serves them now, in one page. */
export async function servedPresolvedRows(origin: string, day: DeliveryDay): Promise<ServedRow[]> {
  const window = dayWindow(day);
  const query = new URLSearchParams({
    FromUtc: window.from,
    ToUtc: window.to,
    Skip: '0',
    Take: '100000',
    Filter: JSON.stringify({ Presolved: true }),
  });
  const response = await fetch(`${origin}/core/api/data/finalComputation?${query}`);
  return ((await response.json()) as { data: ServedRow[] }).data;
}
