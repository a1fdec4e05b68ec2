// A dataset's freshness deadline: the local time (Europe/Amsterdam) by which its delivery day D is expected
// complete, `HH:MM` on the day before (day-ahead publications) or `D HH:MM` on D itself (the intraday windows
// computed on the delivery day). Pure: the declarations, the settings, the status report and the bad days share it.
import { addDays, localTimeOnDay } from './calendar';
import type { DeliveryDay } from './deliveryDay';

const HHMM = '(?:[01]\\d|2[0-3]):[0-5]\\d';
const ON_THE_DAY = 'D ';

export const DEADLINE_PATTERN = new RegExp(`^(?:${ON_THE_DAY})?${HHMM}$`);
export const DEADLINE_FORM = 'HH:MM local time on the day before, or D HH:MM on the delivery day itself';

/** A deadline (DEADLINE_PATTERN) as its local time and the day it falls on. */
export function deadlineParts(deadline: string): { time: string; on: 'D-1' | 'D' } {
  return deadline.startsWith(ON_THE_DAY)
    ? { time: deadline.slice(ON_THE_DAY.length), on: 'D' }
    : { time: deadline, on: 'D-1' };
}

/** When day `day` is due under `deadline` (DEADLINE_PATTERN). */
export function deadlineOf(day: DeliveryDay, deadline: string): Date {
  const { time, on } = deadlineParts(deadline);
  return localTimeOnDay(on === 'D' ? day : addDays(day, -1), time);
}

/** The deadline in words: `12:00 Europe/Amsterdam on D-1`. */
export function describeDeadline(deadline: string): string {
  const { time, on } = deadlineParts(deadline);
  return `${time} Europe/Amsterdam on ${on}`;
}
