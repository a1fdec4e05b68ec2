// What a stored raw body means for its delivery day: the status it leads to and what may be written.
import { expectedMtuCount } from './calendar';
import { statusOf } from './dayStatus';
import type { DayStatus, DeliveryDay, Rejection, ValidatedDay } from './types';
import { DEFAULT_RESOLUTION_MINUTES, validateDayBody } from './validate';

export interface Assessment {
  status: Exclude<DayStatus, 'failed'>;
  /** Null when the payload was invalid as a whole: nothing of it may be written. */
  validated: ValidatedDay | null;
  rejections: Rejection[];
  expectedMtus: number;
  /** Why the payload is invalid, when it is. */
  reason: string | null;
}

export function assessBody(day: DeliveryDay, body: string): Assessment {
  const outcome = validateDayBody(day, body);
  if (!outcome.ok) {
    return {
      status: 'invalid',
      validated: null,
      rejections: outcome.rejections,
      expectedMtus: expectedMtuCount(day, DEFAULT_RESOLUTION_MINUTES),
      reason: outcome.reason,
    };
  }
  const validated = outcome.result;
  return {
    status: statusOf(validated),
    validated,
    rejections: validated.rejections,
    expectedMtus: validated.expectedMtus,
    reason: null,
  };
}
