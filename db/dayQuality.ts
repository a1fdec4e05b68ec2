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

const isDriftKind = (kind: string): kind is DriftKind => (DRIFT_KINDS as readonly string[]).includes(kind);

/** The columns of jao.day_quality that describe a day's drift. */
export interface DriftColumns {
  drift: string[];
  previous_day: string | null;
  resolution_minutes: number | null;
  previous_resolution_minutes: number | null;
  keys_added: string[] | null;
  keys_vanished: string[] | null;
  empty_keys_with_values?: string[] | null;
}

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
  const withDeclared = withDeclaredResolution(drift, declaredMinutesOn(of.dataset, of.day));
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

type QualityRow = Omit<DayQuality, 'missingMtus' | 'drift'> &
  Pick<DriftColumns, 'drift' | 'previous_day' | 'previous_resolution_minutes'> & { missingMtus: Date[] };

function qualityOf({ drift, previous_day, previous_resolution_minutes, ...quality }: QualityRow): DayQuality {
  const columns = {
    drift,
    previous_day,
    previous_resolution_minutes,
    resolution_minutes: quality.resolutionMinutes,
    keys_added: quality.keysAdded,
    keys_vanished: quality.keysVanished,
    empty_keys_with_values: quality.emptyKeysWithValues,
  };
  return {
    ...quality,
    missingMtus: quality.missingMtus.map((mtu) => mtu.toISOString()),
    drift: driftOf(columns, quality),
  };
}

/** The quality records of a dataset's days in [from, to] (inclusive), in day order; days never run are absent. */
export async function readDayQuality(
  pool: pg.Pool,
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
): Promise<DayQuality[]> {
  const result = await pool.query<QualityRow>(
    `SELECT dataset, day::text AS day, status, expected_mtus AS "expectedMtus", received_mtus AS "receivedMtus",
            missing_mtus AS "missingMtus", resolution_minutes AS "resolutionMinutes", keys,
            keys_added AS "keysAdded", keys_vanished AS "keysVanished", null_values AS "nullValues",
            duplicate_rows AS "duplicateRows", conflicting_rows AS "conflictingRows",
            rejected_values AS "rejectedValues", unknown_fields AS "unknownFields", reason,
            published_empty_keys AS "publishedEmptyKeys", empty_keys_with_values AS "emptyKeysWithValues",
            drift, previous_day::text AS previous_day, previous_resolution_minutes
       FROM jao.day_quality
      WHERE dataset = $1 AND day BETWEEN $2::date AND $3::date
      ORDER BY day`,
    [dataset, from, to],
  );
  return result.rows.map(qualityOf);
}
