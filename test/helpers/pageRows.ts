// Rows of /v1/days as the status page receives them, for the page's unit tests.
import type { DayRow } from '../../domain/apiAnswers';

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
  keys_added: null,
  keys_vanished: null,
  null_values: 0,
  duplicate_rows: 0,
  conflicting_rows: 0,
  rejected_values: 0,
  unknown_fields: [],
  reason: null,
  drift: [],
  published_empty_keys: [],
  previous_day: null,
  previous_resolution_minutes: null,
  revision_count: 1,
  republished_count: 0,
  last_republished_at: null,
  last_checked_at: null,
  last_error: null,
  last_build_id: null,
  content_build_id: null,
  last_changed_at: null,
});
