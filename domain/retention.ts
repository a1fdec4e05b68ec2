// Which raw answers may lose their body under RAW_RETENTION_DAYS (docs/archive.md "Retention"). The database
// checks the same rule again when it drops a body (jao.drop_archived_raw_bodies, migration 007).

const DAY_MS = 86_400_000;

/** A raw answer that still holds its body, as pruning sees it before reading its archive object back. */
export interface BodyCandidate {
  /** The archive object recorded for the answer (answers/<sha256>); null while no write that judged it is archived. */
  archiveKey: string | null;
  /** When the answer was last fetched (an identical re-fetch moves it). */
  lastFetchedAt: Date;
  /** The day's newest raw answer: every re-check compares with it and judges it, so it keeps its body. */
  newestOfDay: boolean;
}

/** Bodies last fetched before this instant are old enough to drop. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

/**
 * Whether the answer's body may leave the database once its archive object has been read back with the right
 * hash: archived, older than the retention, and not its day's newest answer.
 */
export function mayDropBody(candidate: BodyCandidate, cutoff: Date): boolean {
  return (
    candidate.archiveKey !== null &&
    !candidate.newestOfDay &&
    candidate.lastFetchedAt.getTime() < cutoff.getTime()
  );
}
