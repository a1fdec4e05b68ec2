// The API's answers that the status page reads: api/routes/*.ts answer with these schemas (/openapi.json shows
// them), page/client/ reads their types (type-only imports: zod stays out of the page's bundle).
import { z } from 'zod';
import { ROW_KINDS } from './datasets';
import { DATASETS, DAY_STATUSES, type DayStatus } from './types';

/** JAO's own word on a day (domain/monitoring.ts JaoWord), as the API writes it. */
const jaoWordSchema = z.object({
  state: z
    .enum(['not_yet_published', 'late', 'missing', 'published', 'unknown'])
    .describe(
      '`not_yet_published`: a step is Pending before its deadline; `late`: Pending after it (the day not stored complete either way); `missing`: every step is Received but the day is absent or incomplete in the database; `published`: stored complete; `unknown`: no step of the dataset read for the day (JAO_MONITORING off, or not read yet)',
    ),
  steps: z
    .array(
      z.object({
        page: z.string().describe('the step as JAO names it (Final Computation, …)'),
        status: z.enum(['Received', 'Pending']),
        deadline: z.string().nullable().describe("JAO's deadline for the step (ISO-8601)"),
        last_modified_on: z.string().nullable().describe('when JAO last changed the step (ISO-8601)'),
      }),
    )
    .describe("the dataset's declared steps JAO's monitoring listed for the day, as last read"),
  seen_at: z
    .string()
    .nullable()
    .describe('the latest monitoring reading that saw them (ISO-8601): how current this word is'),
});

/** A row of GET /v1/days/jao-word. */
export const jaoWordDay = jaoWordSchema.extend({ day: z.string().describe('the delivery day') });
export type JaoWordDay = z.output<typeof jaoWordDay>;

/** GET /v1/freshness. */
export const tomorrowFreshness = z.object({
  day: z.string().describe('tomorrow (Europe/Amsterdam)'),
  status: z.string().describe('its status, `missing` before its first run'),
  published: z.boolean().describe('an answer from JAO carried data for it'),
  dataset: z.string().describe('the dataset whose tomorrow this is'),
  deadline: z
    .string()
    .describe(
      "when it is due (ISO-8601): the dataset's freshness deadline, on the day before or on the day itself (FRESHNESS_DEADLINES, else its declared one)",
    ),
  late: z.boolean().describe('the deadline passed and it is not complete'),
  published_after: z.string().nullable().describe('the last empty answer before the first with data'),
  seen_at: z.string().nullable().describe('the first answer with data'),
  stored_at: z.string().nullable().describe('first stored complete'),
  publication_to_stored_seconds: z.number().nullable().describe('publication → stored complete, at most'),
  seen_to_stored_seconds: z.number().nullable(),
  jao_word: jaoWordSchema
    .nullable()
    .describe(
      "JAO's own word on tomorrow, from its monitoring answer (docs/monitoring.md); null for a dataset that declares no monitoring step",
    ),
});
export type TomorrowFreshness = z.output<typeof tomorrowFreshness>;

/** A row of GET /v1/backfills. */
export const backfillInProgress = z.object({
  workflow_id: z.string(),
  run_id: z.string(),
  started_at: z.string(),
  progress: z
    .object({
      total: z.number().int(),
      done: z.number().int(),
      running: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
      failedDays: z.array(z.string()),
    })
    .nullable()
    .describe("the backfill's progress query; null when its worker did not answer in time"),
});
export type BackfillInProgress = z.output<typeof backfillInProgress>;

/** GET /v1/key. */
export const keyInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  datasets: z.array(z.string()),
  scope: z.enum(['reader', 'operator']),
});
export type KeyInfo = z.output<typeof keyInfo>;

/** A row of GET /v1/days (jao.day_quality). */
export const dayQualityRow = z.object({
  dataset: z.string(),
  day: z.string(),
  status: z.string(),
  expected_mtus: z.number().int(),
  received_mtus: z.number().int(),
  missing_mtus: z.array(z.string()),
  resolution_minutes: z.number().int().nullable(),
  keys: z.number().int().nullable(),
  keys_added: z.array(z.string()).nullable(),
  keys_vanished: z.array(z.string()).nullable(),
  null_values: z.number().int(),
  duplicate_rows: z.number().int(),
  conflicting_rows: z.number().int(),
  rejected_values: z.number().int(),
  unknown_fields: z.array(z.string()),
  reason: z.string().nullable(),
  drift: z
    .array(z.string())
    .describe(
      'resolution (an undeclared change of MTU length against previous_day), keys_added, keys_vanished, ' +
        'empty_keys_filled (a key the dataset declares published empty carried values)',
    ),
  published_empty_keys: z
    .array(z.string())
    .describe('keys the dataset declares published empty (null on purpose) that the answer published null'),
  previous_day: z.string().nullable(),
  previous_resolution_minutes: z.number().int().nullable(),
  revision_count: z.number().int(),
  republished_count: z
    .number()
    .int()
    .describe(
      'answers that moved an extra row field (lastModifiedOn) without changing a value: not revisions',
    ),
  last_republished_at: z.string().nullable().describe("the day's last re-publication"),
  last_checked_at: z.string().nullable(),
  last_error: z.string().nullable(),
  last_build_id: z.string().nullable(),
  content_build_id: z.string().nullable(),
  last_changed_at: z.string().nullable().describe("when the day's stored content last changed"),
});
/** `status` is a DayStatus (jao.day_quality's), which the document states as a string. */
export type DayRow = Omit<z.output<typeof dayQualityRow>, 'status'> & { status: DayStatus };

/** A day workflow (`<dataset>/day/<day>`, docs/design.md §5) that has not closed. */
export const runningDay = z.object({
  dataset: z.string(),
  day: z.string(),
  workflow_id: z.string(),
  run_id: z.string(),
  started_at: z.string().describe('when this run started (ISO-8601)'),
});
export type RunningDay = z.output<typeof runningDay>;

/** A border of a dataset's series (jao.catalog's row of it), with what is stored of it. */
export const seriesEntry = z.object({
  key: z.string().describe('as published: border_AT_BE, hub_AT'),
  border: z.string(),
  from_zone: z.string().describe('the zone an exchange leaves; for a hub series (hub_AT), the hub'),
  to_zone: z.string().nullable().describe('the zone an exchange enters; null for a hub series'),
  unit: z.string(),
  first_day: z.string().nullable().describe('first delivery day with a current value'),
  last_day: z.string().nullable(),
  values: z.number().int().describe('current values stored'),
  last_revision_at: z.string().nullable().describe('when a current value of the border last changed'),
  dataset: z.string().describe('the JAO dataset (jao.catalog)'),
  resolution_minutes: z.number().int().nullable().describe('length of one MTU in the latest stored day'),
  complete_days: z
    .number()
    .int()
    .describe('complete days carrying the border, from its first to its last stored day'),
  days_in_span: z.number().int().nullable().describe('days from its first to its last stored day'),
  complete_share: z.number().nullable().describe('complete_days / days_in_span'),
  source_endpoint: z.string().nullable().describe('the URL the pipeline fetches the dataset from'),
  publication_schedule: z
    .string()
    .nullable()
    .describe('when JAO publishes a day and when the pipeline looks for it'),
});
export type SeriesEntry = z.output<typeof seriesEntry>;

/** A row of GET /v1/datasets/{dataset}/values. */
export const valueRow = z.object({
  mtu: z.string().describe('UTC start of the MTU, ISO-8601'),
  delivery_day: z.string().describe('Europe/Amsterdam delivery day'),
  border: z.string(),
  from_zone: z.string().describe('the zone an exchange leaves; for a hub series (hub_AT), the hub'),
  to_zone: z.string().nullable().describe('the zone an exchange enters; null for a hub series'),
  value_mw: z.number(),
  revision: z.number().int(),
  first_seen_at: z.string(),
  updated_at: z.string().describe('when this version became current'),
});
export type ValueRow = z.output<typeof valueRow>;

/** A row of GET /v1/datasets/{dataset}/revisions: a value and when it was current. */
export const revisionRow = valueRow.omit({ updated_at: true }).extend({
  valid_from: z.string().describe('when this version became current'),
  valid_to: z.string().nullable().describe('when it stopped being current; null for the current value'),
});
export type RevisionRow = z.output<typeof revisionRow>;

/** A row of GET /v1/datasets/{dataset}/difference. */
export const differenceRow = valueRow.pick({ mtu: true, delivery_day: true, border: true }).extend({
  base_mw: z.number().nullable().describe('the value as known at base_as_of; null: none then'),
  compare_mw: z.number().nullable().describe('the value as known at compare_as_of (or now); null: none then'),
  difference_mw: z.number().nullable().describe('compare_mw − base_mw; null when either is missing'),
});
export type DifferenceRow = z.output<typeof differenceRow>;

/** A row of GET /v1/datasets: a dataset the key reads. */
export const datasetEntry = z.object({
  id: z
    .string()
    .describe('the id in /v1/datasets/{dataset}/…, workflow ids, the `dataset` column and `--dataset`'),
  title: z.string(),
  description: z.string(),
  region: z.string().describe('the JAO Publication Tool region: core, nordic'),
  endpoint: z.string().describe("JAO's name of the dataset, the last segment of its data path"),
  source_path: z.string().describe('the data path the pipeline asks JAO for: /{region}/api/data/{endpoint}'),
  source_endpoint: z
    .string()
    .nullable()
    .describe('the URL the worker fetches it from, as it recorded at start-up (null: not recorded yet)'),
  time_zone: z.string().describe("the market's delivery-day time zone"),
  first_day: z.string().describe('the first delivery day JAO publishes'),
  stored_from: z
    .string()
    .nullable()
    .describe(
      'the first delivery day with a stored record (any status): null before the first fetch is stored',
    ),
  stored_to: z.string().nullable().describe('the last delivery day with a stored record (any status)'),
  resolution_minutes: z.number().int().describe('the declared MTU length of tomorrow'),
  resolutions: z
    .array(z.object({ from: z.string(), minutes: z.number().int() }))
    .describe('the declared MTU length from each delivery day on, oldest first'),
  row_kind: z
    .enum(ROW_KINDS)
    .describe(
      'what a row is: keyedValues (one number per border or hub and MTU: /values, /series, /revisions, ' +
        '/difference) or constraints (the flow-based domain, one row per constraint and MTU: /constraints)',
    ),
  unit: z.string(),
  default: z.boolean().describe('the dataset the CLI and the other /v1 routes serve when none is named'),
});
export type DatasetEntry = z.output<typeof datasetEntry>;

/** A day a re-run asked for, and whether it started a run. */
export const startedDay = z.object({
  day: z.string(),
  workflow_id: z.string(),
  run_id: z.string().nullable().describe("the new run's id; null when a run was going on (left to finish)"),
  started: z.boolean(),
});
export type StartedDay = z.output<typeof startedDay>;

/** POST /v1/runs/days. */
export const startedDays = z.object({ runs: z.array(startedDay) });
export type StartedDays = z.output<typeof startedDays>;

/** POST /v1/runs/backfill. */
export const startedBackfill = z.object({
  workflow_id: z.string(),
  run_id: z.string(),
  attached: z.boolean().describe('a backfill of the same range and mode was running: joined'),
});
export type StartedBackfill = z.output<typeof startedBackfill>;

/** Who started a run, as its memo says; null for runs started otherwise (schedule, backfill, Web UI). */
const runStarter = z
  .object({ via: z.string(), key_id: z.number().int().nullable(), key_name: z.string().nullable() })
  .nullable()
  .describe(
    'who started the run (its memo): via cli or api (with the key); null for schedule and backfill runs',
  );
export type RunStarter = NonNullable<z.output<typeof runStarter>>;

/** A row of GET /v1/days/{day}/runs: one run of a day workflow. */
export const dayRun = z.object({
  workflow_id: z.string(),
  run_id: z.string(),
  execution_status: z.string().describe('RUNNING, COMPLETED, FAILED, TERMINATED, TIMED_OUT, CANCELED…'),
  day_status: z.string().nullable().describe('the DayStatus the run ended with (`running` while it runs)'),
  started_at: z.string(),
  closed_at: z.string().nullable(),
  build_id: z.string().nullable().describe('the worker build that ran it, when Temporal recorded one'),
  parent_workflow_id: z.string().nullable().describe('the backfill or poll that started it; null: top-level'),
  started_by: runStarter,
});
export type DayRun = z.output<typeof dayRun>;

const DAY_EVENT_TYPES = [
  'day.stored',
  'day.revised',
  'day.republished',
  'day.failed',
  'day.recheck_failed',
] as const;
export type DayEventType = (typeof DAY_EVENT_TYPES)[number];

/** A notification's payload: an event as raiseDayEvent sends it (one raised before events carried `error` has none). */
export const dayEventPayload = z.object({
  id: z.number().int().positive(),
  type: z.enum(DAY_EVENT_TYPES),
  dataset: z.enum(DATASETS),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  status: z.enum(DAY_STATUSES),
  revision: z.number().int(),
  build: z.string().nullable(),
  raisedAt: z.string(),
  /** What a failed re-check met (the day's last_error); null for every other type. */
  error: z.string().nullable().default(null),
});

/** A row of jao.day_event, as the live feed (GET /v1/events) sends it. */
export type DayEvent = z.output<typeof dayEventPayload>;
