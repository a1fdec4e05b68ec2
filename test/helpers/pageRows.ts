// Rows of /v1/days as the status page receives them, for the page's unit tests.
import type { DayRow } from '../../page/client/types';

/** A stored day of `status`, 24 MTUs of 132 keys, revision 1, nothing else noted. */
export const dayRow = (day: string, status: DayRow['status'], dataset = 'maxExchanges'): DayRow => ({
  dataset,
  day,
  status,
  expected_mtus: 24,
  received_mtus: 24,
  missing_mtus: [],
  resolution_minutes: 60,
  keys: 132,
  reason: null,
  drift: [],
  revision_count: 1,
  last_checked_at: null,
  last_changed_at: null,
  last_error: null,
});
