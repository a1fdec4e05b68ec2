// Status of a validated day (DESIGN.md §5); `invalid` and `failed` are decided before validation succeeds.
import type { ValidatedDay } from './types';

export type ValidatedDayStatus = 'complete' | 'partial' | 'not_published';

export function statusOf(v: ValidatedDay): ValidatedDayStatus {
  if (v.receivedMtus === 0) return 'not_published';
  return v.receivedMtus < v.expectedMtus ? 'partial' : 'complete';
}
