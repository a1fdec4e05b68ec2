// The API's answers as the page reads them (api/routes/*.ts describe them; /openapi.json has the schemas).

/** A row of GET /v1/days/jao-word: JAO's own word on a day, from its monitoring answer (docs/monitoring.md). */
export interface JaoWordDay {
  day: string;
  state: 'not_yet_published' | 'late' | 'missing' | 'published' | 'unknown';
  steps: {
    page: string;
    status: 'Received' | 'Pending';
    deadline: string | null;
    last_modified_on: string | null;
  }[];
  seen_at: string | null;
}

/** A row of GET /v1/days (jao.day_quality). */
export interface DayRow {
  dataset: string;
  day: string;
  status: 'complete' | 'partial' | 'invalid' | 'failed' | 'not_published';
  expected_mtus: number;
  received_mtus: number;
  missing_mtus: string[];
  resolution_minutes: number | null;
  keys: number | null;
  reason: string | null;
  drift: string[];
  revision_count: number;
  last_checked_at: string | null;
  last_changed_at: string | null;
  last_error: string | null;
}

/** A row of GET /v1/days/running. */
export interface RunningDay {
  dataset: string;
  day: string;
  workflow_id: string;
  run_id: string;
  started_at: string;
}

/** A row of GET /v1/datasets/maxExchanges/series. */
export interface SeriesEntry {
  key: string;
  border: string;
  from_zone: string;
  to_zone: string | null;
  first_day: string | null;
  last_day: string | null;
  values: number;
}

/** A row of GET /v1/datasets/maxExchanges/values. */
export interface ValueRow {
  mtu: string;
  delivery_day: string;
  border: string;
  value_mw: number;
  revision: number;
}

/** A row of GET /v1/datasets/maxExchanges/revisions: a value and when it was current. */
export interface RevisionRow extends ValueRow {
  valid_from: string;
  valid_to: string | null;
}

/** The data of an event of GET /v1/events. */
export interface DayEvent {
  id: number;
  type: 'day.stored' | 'day.revised' | 'day.republished' | 'day.failed' | 'day.recheck_failed';
  dataset: string;
  day: string;
  status: string;
  revision: number;
  raisedAt: string;
  /** What a failed re-check met (`day.recheck_failed`); null for the other events. */
  error: string | null;
}

/** GET /v1/key. */
export interface KeyInfo {
  id: number;
  name: string;
  datasets: string[];
  scope: 'reader' | 'operator';
}

/** A row of GET /v1/days/{day}/runs. */
export type { DayRun } from '../../domain/dayRuns';

/** POST /v1/runs/days. */
export interface StartedDays {
  runs: { day: string; workflow_id: string; run_id: string | null; started: boolean }[];
}

/** POST /v1/runs/backfill. */
export interface StartedBackfill {
  workflow_id: string;
  run_id: string;
  attached: boolean;
}

/** A row of GET /v1/datasets: a dataset the key reads. */
export interface DatasetEntry {
  id: string;
  title: string;
  region: string;
  endpoint: string;
  time_zone: string;
  first_day: string;
  /** The first and last days stored (any status); null before anything is stored. */
  stored_from: string | null;
  stored_to: string | null;
  resolution_minutes: number;
  /** keyedValues: the border chart; constraints: the flow-based domain's view (domainView.ts). */
  row_kind: 'keyedValues' | 'constraints';
  unit: string;
  default: boolean;
}

/** GET /v1/freshness. */
export interface TomorrowFreshness {
  day: string;
  dataset?: string;
  status: string;
  published: boolean;
  deadline: string;
  late: boolean;
  published_after: string | null;
  seen_at: string | null;
  stored_at: string | null;
  publication_to_stored_seconds: number | null;
  seen_to_stored_seconds: number | null;
  /** JAO's own word on tomorrow (absent from an older API; null: the dataset declares no monitoring step). */
  jao_word?: Omit<JaoWordDay, 'day'> | null;
}

/** A row of GET /v1/backfills. */
export interface BackfillInProgress {
  workflow_id: string;
  run_id: string;
  started_at: string;
  progress: {
    total: number;
    done: number;
    running: number;
    byStatus: Record<string, number>;
    failedDays: string[];
  } | null;
}

/** A row of GET /v1/datasets/maxExchanges/difference. */
export interface DifferenceRow extends Pick<ValueRow, 'mtu' | 'delivery_day' | 'border'> {
  base_mw: number | null;
  compare_mw: number | null;
  difference_mw: number | null;
}

/** The columns of a row of GET /v1/datasets/{dataset}/constraints that the domain view reads. */
export interface ConstraintRow {
  delivery_day: string;
  mtu: string;
  constraint_id: number;
  tso: string | null;
  cne_name: string | null;
  direction: string | null;
  /** The contingency's outaged branches' EICs; the N state is one branch without one (`[null]`), or none. */
  contingency_eics: (string | null)[];
  cont_name: string | null;
  ram: number | null;
  fmax: number | null;
  /** Hub → PTDF, in the order JAO published the hubs. */
  ptdfs: Record<string, number | null>;
  revision: number;
}
