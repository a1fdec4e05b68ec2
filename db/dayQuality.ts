import type pg from 'pg';
import { declarationOf, declaredResolutionOn, isDataset } from '../domain/datasets';
import {
  type DayDrift,
  DRIFT_KINDS,
  type DriftKind,
  isDeclaredSwitch,
  withDeclaredResolution,
} from '../domain/drift';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';

/** A row of jao.day_quality (migration 010). */
export interface DayQuality {
  dataset: Dataset;
  day: DeliveryDay;
  status: DayStatus;
  expectedMtus: number;
  receivedMtus: number;
  /** ISO starts of the expected MTUs the stored content lacks. */
  missingMtus: string[];
  resolutionMinutes: number | null;
  keys: number | null;
  /** Against the latest earlier day with stored values; null without one (or without a key set). */
  keysAdded: string[] | null;
  keysVanished: string[] | null;
  nullValues: number;
  duplicateRows: number;
  conflictingRows: number;
  rejectedValues: number;
  unknownFields: string[];
  reason: string | null;
  /** Keys declared published empty that the day's answer published null at every MTU (migration 017). */
  publishedEmptyKeys: string[];
  /** Keys declared published empty that carried values (drift `empty_keys_filled`). */
  emptyKeysWithValues: string[];
  drift: DayDrift | null;
}

interface QualityRow {
  dataset: Dataset;
  day: string;
  status: DayStatus;
  expected_mtus: number;
  received_mtus: number;
  missing_mtus: Date[];
  resolution_minutes: number | null;
  keys: number | null;
  keys_added: string[] | null;
  keys_vanished: string[] | null;
  null_values: number;
  duplicate_rows: number;
  conflicting_rows: number;
  rejected_values: number;
  unknown_fields: string[];
  reason: string | null;
  drift: string[];
  previous_day: string | null;
  previous_resolution_minutes: number | null;
  published_empty_keys: string[];
  empty_keys_with_values: string[];
}

const isDriftKind = (kind: string): kind is DriftKind => (DRIFT_KINDS as readonly string[]).includes(kind);

/** The columns of jao.day_quality that describe a day's drift. */
export type DriftColumns = Pick<
  QualityRow,
  | 'drift'
  | 'previous_day'
  | 'resolution_minutes'
  | 'previous_resolution_minutes'
  | 'keys_added'
  | 'keys_vanished'
> & { empty_keys_with_values?: string[] | null };

/** The day's drift against the previous stored day and against its dataset's declaration; null without any. */
export function driftOf(row: DriftColumns, of: { dataset: string; day: DeliveryDay }): DayDrift | null {
  const kinds = withoutDeclaredSwitch(row, of).filter(isDriftKind);
  const drift: DayDrift = {
    kinds,
    previousDay: row.previous_day,
    resolutionMinutes: row.resolution_minutes,
    previousResolutionMinutes: row.previous_resolution_minutes,
    keysAdded: row.keys_added ?? [],
    keysVanished: row.keys_vanished ?? [],
    ...(row.empty_keys_with_values?.length ? { emptyKeysFilled: row.empty_keys_with_values } : {}),
  };
  const declared = declaredMinutesOn(of.dataset, of.day);
  const withDeclared = withDeclaredResolution(drift, declared);
  return withDeclared && withDeclared.kinds.length > 0 ? withDeclared : null;
}

function declaredMinutesOn(dataset: string, day: DeliveryDay | null): number | null {
  return day !== null && isDataset(dataset) ? declaredResolutionOn(declarationOf(dataset), day) : null;
}

/** The view's drift kinds, less a resolution change the dataset declares (domain/drift.ts: isDeclaredSwitch). */
export function withoutDeclaredSwitch(
  row: Pick<DriftColumns, 'drift' | 'previous_day' | 'resolution_minutes' | 'previous_resolution_minutes'>,
  of: { dataset: string; day: DeliveryDay },
): string[] {
  const declaredSwitch = isDeclaredSwitch({
    minutes: row.resolution_minutes,
    previousMinutes: row.previous_resolution_minutes,
    declaredMinutes: declaredMinutesOn(of.dataset, of.day),
    declaredPreviousMinutes: declaredMinutesOn(of.dataset, row.previous_day),
  });
  return declaredSwitch ? row.drift.filter((kind) => kind !== 'resolution') : row.drift;
}

function qualityOf(row: QualityRow): DayQuality {
  return {
    dataset: row.dataset,
    day: row.day,
    status: row.status,
    expectedMtus: row.expected_mtus,
    receivedMtus: row.received_mtus,
    missingMtus: row.missing_mtus.map((mtu) => mtu.toISOString()),
    resolutionMinutes: row.resolution_minutes,
    keys: row.keys,
    keysAdded: row.keys_added,
    keysVanished: row.keys_vanished,
    nullValues: row.null_values,
    duplicateRows: row.duplicate_rows,
    conflictingRows: row.conflicting_rows,
    rejectedValues: row.rejected_values,
    unknownFields: row.unknown_fields,
    reason: row.reason,
    publishedEmptyKeys: row.published_empty_keys,
    emptyKeysWithValues: row.empty_keys_with_values,
    drift: driftOf(row, row),
  };
}

const QUALITY_SELECT = `
  SELECT dataset, day::text AS day, status, expected_mtus, received_mtus, missing_mtus, resolution_minutes,
         keys, keys_added, keys_vanished, null_values, duplicate_rows, conflicting_rows, rejected_values,
         unknown_fields, reason, drift, previous_day::text AS previous_day, previous_resolution_minutes,
         published_empty_keys, empty_keys_with_values
    FROM jao.day_quality`;

/** The quality records of a dataset's days in [from, to] (inclusive), in day order; days never run are absent. */
export async function readDayQuality(
  pool: pg.Pool,
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
): Promise<DayQuality[]> {
  const result = await pool.query<QualityRow>(
    `${QUALITY_SELECT} WHERE dataset = $1 AND day BETWEEN $2::date AND $3::date ORDER BY day`,
    [dataset, from, to],
  );
  return result.rows.map(qualityOf);
}
