// The pipeline's own metrics, exported next to the SDK's on the worker's Prometheus endpoint.
import { Context } from '@temporalio/activity';
import { dayStartMs } from '../domain/calendar';
import type { DriftKind } from '../domain/drift';
import type { ValueChanges } from '../domain/reprocessInputs';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';

export interface DayMetrics {
  dataset: Dataset;
  day: DeliveryDay;
  status: DayStatus;
  points: number;
  changedPoints: number;
  rejections: number;
  /** The write re-published the stored day (same values, lastModifiedOn moved). */
  republished?: boolean;
}

/** Every day metric carries its dataset: a Nordic bad day is counted as Nordic. */
export function recordDayMetrics(metrics: DayMetrics): void {
  const meter = Context.current().metricMeter;
  meter
    .createCounter('jao_days', 'days', 'Day workflow outcomes by status')
    .add(1, { status: metrics.status, dataset: metrics.dataset });
  const dataset = { dataset: metrics.dataset };
  meter
    .createCounter('jao_points_written', 'points', 'Points written (new or changed)')
    .add(metrics.points, dataset);
  meter
    .createCounter('jao_changed_points', 'points', 'Points whose value changed')
    .add(metrics.changedPoints, dataset);
  meter
    .createCounter('jao_rejections', 'values', 'Values or rows refused by validation')
    .add(metrics.rejections, dataset);
  if (metrics.republished) {
    meter
      .createCounter(
        'jao_republished_days_total',
        'days',
        'Stored days published again with the same values (only lastModifiedOn moved): not revisions',
      )
      .add(1, dataset);
  }
}

const latestCompleteDays = new Map<Dataset, DeliveryDay>();

/**
 * `jao_last_complete_day`: start (Unix time) of the latest delivery day that is complete in the database. Set from
 * the database after each complete write, and never moved backwards by this process (re-running an old day
 * leaves it where it is).
 */
export function recordLatestCompleteDay(dataset: Dataset, day: DeliveryDay | null): void {
  const latest = latestCompleteDays.get(dataset);
  if (day === null || (latest !== undefined && day <= latest)) return;
  latestCompleteDays.set(dataset, day);
  Context.current()
    .metricMeter.createGauge(
      'jao_last_complete_day',
      'int',
      'seconds',
      'Start (Unix time) of the latest complete delivery day',
    )
    .set(Math.floor(dayStartMs(day) / 1000), { dataset });
}

/** `jao_schema_drift_total{kind}`: days written with a resolution or key set unlike the previous stored day's. */
export function recordDriftMetrics(dataset: Dataset, kinds: readonly DriftKind[]): void {
  if (kinds.length === 0) return;
  const counter = Context.current().metricMeter.createCounter(
    'jao_schema_drift_total',
    'days',
    'Days whose resolution or key set differs from the previous stored day (kind: resolution, keys_added, keys_vanished)',
  );
  for (const kind of kinds) counter.add(1, { kind, dataset });
}

export const JAO_RESPONSES_METRIC = 'jao_http_responses_total';

/**
 * `jao_http_responses_total{status}`: JAO's answers by HTTP status (`429` when rate limited), `none` for a request
 * that got no answer (timeout, network error).
 */
export function recordJaoAnswer(httpStatus: number | null): void {
  Context.current()
    .metricMeter.createCounter(
      JAO_RESPONSES_METRIC,
      'requests',
      'Requests to JAO by the HTTP status of the answer (none: no answer)',
    )
    .add(1, { status: httpStatus === null ? 'none' : String(httpStatus) });
}

export type ReprocessOutcome = 'changed' | 'unchanged' | 'no_stored_answer';

/**
 * `jao_reprocessed_days_total{outcome}`: days re-derived from their stored answers (a dry run counts nothing), and
 * `jao_reprocessed_values_total{change}`: the values those runs changed, added or removed.
 */
export function recordReprocessedDay(outcome: ReprocessOutcome, values?: ValueChanges): void {
  const meter = Context.current().metricMeter;
  meter
    .createCounter(
      'jao_reprocessed_days_total',
      'days',
      'Days re-derived from their stored raw answers, by outcome (changed, unchanged, no_stored_answer)',
    )
    .add(1, { outcome });
  if (!values) return;
  const counter = meter.createCounter(
    'jao_reprocessed_values_total',
    'values',
    'Values a reprocessing changed, added or removed (change: changed, added, vanished)',
  );
  for (const change of ['changed', 'added', 'vanished'] as const) {
    if (values[change] > 0) counter.add(values[change], { change });
  }
}

/** `jao_raw_bodies_dropped_total`: raw bodies that left the database under RAW_RETENTION_DAYS, once archived. */
export function recordDroppedRawBodies(dropped: number): void {
  if (dropped === 0) return;
  Context.current()
    .metricMeter.createCounter(
      'jao_raw_bodies_dropped_total',
      'bodies',
      'Raw answers whose body left the database under RAW_RETENTION_DAYS (the archive holds them)',
    )
    .add(dropped);
}
