// Retention (RAW_RETENTION_DAYS, docs/archive.md "Retention"): after shipping, the bodies of old archived raw answers
// leave the database. Each answer's archive object is read back and must hash to its name first; the database then
// drops the body only where that name is the hash of the bytes it holds and the answer is still old and not its
// day's newest (jao.drop_archived_raw_bodies). Running it twice, or two at once, drops nothing twice.
import type pg from 'pg';
import { type BodyCandidate, mayDropBody, retentionCutoff } from '../domain/retention';
import { readAnswerObject } from './format';
import type { ArchiveStore } from './store';

/** Candidates read from the database at a time. */
const PAGE = 500;
/** Archive objects read back at once. */
const READS_AT_ONCE = 8;

export interface PruneResult {
  /** Bodies dropped from the database by this run. */
  dropped: number;
  /** Answers whose archive object is missing or holds other bytes: their bodies stay. */
  faults: string[];
}

/** A candidate as mayDropBody judges it, with its id and the database clock's now. */
interface CandidateRow extends BodyCandidate {
  id: string;
  now: Date;
}

const CANDIDATES = `
  SELECT r.raw_response_id AS id, r.archive_key AS "archiveKey", r.last_fetched_at AS "lastFetchedAt",
         NOT EXISTS (SELECT 1 FROM jao.raw_response n
                      WHERE n.dataset = r.dataset AND n.day = r.day AND n.raw_response_id > r.raw_response_id)
           AS "newestOfDay",
         now() AS now
    FROM jao.raw_response r
   WHERE r.body IS NOT NULL AND r.archive_key IS NOT NULL AND r.raw_response_id > $1
     AND r.last_fetched_at < now() - make_interval(days => $2)
   ORDER BY r.raw_response_id
   LIMIT $3`;

/** Null when the object holds the bytes its name says; else why not. */
async function objectFault(store: ArchiveStore, key: string, id: string): Promise<string | null> {
  const bytes = await store.get(key);
  if (!bytes) return `${key} (raw response ${id}) is missing from ${store.location}: its body stays`;
  if (!(await readAnswerObject(key, bytes)).matches)
    return `${key} (raw response ${id}) holds other bytes in ${store.location}: its body stays`;
  return null;
}

/**
 * Drops the bodies of archived raw answers last fetched more than `retentionDays` days ago (by the database clock),
 * but each day's newest answer, once their archive object in `store` was read back with the right hash. An
 * unreachable archive throws (nothing is dropped that was not verified).
 */
export async function pruneArchivedBodies(
  pool: pg.Pool,
  store: ArchiveStore,
  retentionDays: number,
): Promise<PruneResult> {
  const result: PruneResult = { dropped: 0, faults: [] };
  let after = '0';
  for (;;) {
    const { rows } = await pool.query<CandidateRow>(CANDIDATES, [after, retentionDays, PAGE]);
    if (rows.length === 0) break;
    after = rows.at(-1)!.id;
    const chosen = rows.filter((row) => mayDropBody(row, retentionCutoff(row.now, retentionDays)));
    const verified: string[] = [];
    for (let start = 0; start < chosen.length; start += READS_AT_ONCE) {
      const slice = chosen.slice(start, start + READS_AT_ONCE);
      const faults = await Promise.all(slice.map((row) => objectFault(store, row.archiveKey!, row.id)));
      slice.forEach((row, i) => {
        const fault = faults[i];
        if (fault) result.faults.push(fault);
        else verified.push(row.id);
      });
    }
    if (verified.length > 0) {
      const dropped = await pool.query<{ dropped: string }>(
        'SELECT jao.drop_archived_raw_bodies($1::bigint[], $2::integer) AS dropped',
        [verified, retentionDays],
      );
      result.dropped += Number(dropped.rows[0]!.dropped);
    }
    if (rows.length < PAGE) break;
  }
  return result;
}
