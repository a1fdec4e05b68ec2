// Drift: a day whose resolution or key set differs from the latest earlier day with stored values (docs/design.md
// §5). Never an error; flagged in `status`, as a warning in `health`, and counted in metrics.

export const DRIFT_KINDS = ['resolution', 'keys_added', 'keys_vanished'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface DayDrift {
  kinds: DriftKind[];
  /** The day compared with: the latest earlier day of the dataset with stored values. */
  previousDay: string | null;
  resolutionMinutes: number | null;
  previousResolutionMinutes: number | null;
  keysAdded: string[];
  keysVanished: string[];
}

function keyList(keys: string[]): string {
  const shown = keys.slice(0, 4).join(', ');
  return keys.length > 4 ? `${shown}, … (${keys.length})` : shown;
}

/** One line: what changed against which day. */
export function describeDrift(drift: DayDrift): string {
  const parts: string[] = [];
  if (drift.kinds.includes('resolution')) {
    parts.push(`resolution ${drift.previousResolutionMinutes} → ${drift.resolutionMinutes} min`);
  }
  if (drift.kinds.includes('keys_added')) {
    parts.push(`${drift.keysAdded.length} keys added (${keyList(drift.keysAdded)})`);
  }
  if (drift.kinds.includes('keys_vanished')) {
    parts.push(`${drift.keysVanished.length} keys vanished (${keyList(drift.keysVanished)})`);
  }
  return `${parts.join('; ')} against ${drift.previousDay}`;
}
