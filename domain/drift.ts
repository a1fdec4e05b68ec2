// Drift: a day whose resolution or key set differs from the latest earlier day with stored values (docs/design.md
// §5), or whose keys declared published empty carry values. Never an error; flagged in `status`, as a warning in
// `health`, and counted in metrics.

export const DRIFT_KINDS = ['resolution', 'keys_added', 'keys_vanished', 'empty_keys_filled'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface DayDrift {
  kinds: DriftKind[];
  /** The day compared with: the latest earlier day of the dataset with stored values. */
  previousDay: string | null;
  resolutionMinutes: number | null;
  previousResolutionMinutes: number | null;
  /** The dataset's declared MTU length on the day, when the day's differs from it (domain/datasets). */
  declaredResolutionMinutes?: number | null;
  keysAdded: string[];
  keysVanished: string[];
  /** Keys the dataset declares published empty that carried values on the day. */
  emptyKeysFilled?: string[];
  /** Of the keys added, those no earlier day of the dataset carried (a constraint day's new hubs: `hub_<hub>`). */
  keysFirstSeen?: string[];
}

/**
 * Adds to a day's drift the keys no earlier day of its dataset carried: drift (keys_added) whatever the day it is
 * compared with.
 */
export function withFirstSeenKeys(
  drift: DayDrift | null,
  firstSeen: readonly string[],
  resolutionMinutes: number | null,
): DayDrift | null {
  if (firstSeen.length === 0) return drift;
  const base: DayDrift = drift ?? {
    kinds: [],
    previousDay: null,
    resolutionMinutes,
    previousResolutionMinutes: null,
    keysAdded: [],
    keysVanished: [],
  };
  const kinds = DRIFT_KINDS.filter((kind) => kind === 'keys_added' || base.kinds.includes(kind));
  const keysAdded = [...new Set([...base.keysAdded, ...firstSeen])].sort();
  return { ...base, kinds, keysAdded, keysFirstSeen: [...firstSeen].sort() };
}

function keyList(keys: string[]): string {
  const shown = keys.slice(0, 4).join(', ');
  return keys.length > 4 ? `${shown}, … (${keys.length})` : shown;
}

/** One line: what changed against which day. */
export function describeDrift(drift: DayDrift): string {
  const parts: string[] = [];
  const declared = drift.declaredResolutionMinutes ?? null;
  if (drift.kinds.includes('resolution')) {
    const previous = drift.previousResolutionMinutes;
    if (previous !== null && previous !== drift.resolutionMinutes) {
      parts.push(`resolution ${previous} → ${drift.resolutionMinutes} min`);
    } else if (declared !== null) {
      parts.push(`resolution ${drift.resolutionMinutes} min, declared ${declared} min`);
    }
  }
  if (drift.kinds.includes('keys_added')) {
    parts.push(`${drift.keysAdded.length} keys added (${keyList(drift.keysAdded)})`);
    if (drift.keysFirstSeen?.length)
      parts.push(`${drift.keysFirstSeen.length} never seen before (${keyList(drift.keysFirstSeen)})`);
  }
  if (drift.kinds.includes('keys_vanished')) {
    parts.push(`${drift.keysVanished.length} keys vanished (${keyList(drift.keysVanished)})`);
  }
  if (drift.kinds.includes('empty_keys_filled')) {
    const filled = drift.emptyKeysFilled ?? [];
    parts.push(`${filled.length} keys declared published empty carry values (${keyList(filled)})`);
  }
  return drift.previousDay === null ? parts.join('; ') : `${parts.join('; ')} against ${drift.previousDay}`;
}

/**
 * Adds to the drift against the previous stored day (the view jao.day_quality) the drift against the declaration:
 * a resolution other than the dataset's declared one on that day (a Nordic day served hourly, a Core day every 15
 * minutes) is drift even on a dataset's first stored day.
 */
export function withDeclaredResolution(
  drift: DayDrift | null,
  declaredMinutes: number | null,
): DayDrift | null {
  const resolution = drift?.resolutionMinutes ?? null;
  if (drift === null || declaredMinutes === null || resolution === null || resolution === declaredMinutes)
    return drift;
  const kinds: DriftKind[] = drift.kinds.includes('resolution')
    ? drift.kinds
    : ['resolution', ...drift.kinds];
  return { ...drift, kinds, declaredResolutionMinutes: declaredMinutes };
}

/**
 * A change of resolution the dataset's declaration foresees (Core scheduledExchanges hourly until 2025-10-01, every
 * 15 minutes from it) is no drift: both days at their own declared MTU length. Any other change still is.
 */
export function isDeclaredSwitch(resolutions: {
  minutes: number | null;
  previousMinutes: number | null;
  declaredMinutes: number | null;
  declaredPreviousMinutes: number | null;
}): boolean {
  const { minutes, previousMinutes, declaredMinutes, declaredPreviousMinutes } = resolutions;
  return (
    minutes !== null &&
    previousMinutes !== null &&
    minutes !== previousMinutes &&
    minutes === declaredMinutes &&
    previousMinutes === declaredPreviousMinutes
  );
}
