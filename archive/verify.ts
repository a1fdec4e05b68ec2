// `jao archive --verify`: re-reads the archive and checks it against the database. Every archived write's journal
// entry must be there and name its day and answer as the database does, and every answer object must hold bytes
// whose sha256 is its name and is the body the database holds; once the body was dropped under RAW_RETENTION_DAYS,
// the object the database recorded for it, whose bytes hash to the answer's stored sha256.
import type pg from 'pg';
import { answerKey, decodeEntry, isCompressedAnswer, readAnswerObject } from './format';
import type { ArchiveStore } from './store';

/** Archived writes read from the database at a time. */
const DATABASE_PAGE = 500;

export interface VerifyReport {
  checked: number;
  answers: number;
  faults: string[];
}

interface ArchivedWriteRow {
  write_id: string;
  archive_key: string;
  dataset: string;
  day: string;
  raw_sha256: string | null;
  body_sha256: string | null;
  /** The answer's recorded archive object, and whether it was stored whole (its sha256 is then the object's). */
  raw_archive_key: string | null;
  whole: boolean | null;
}

export async function verifyArchive(
  pool: pg.Pool,
  store: ArchiveStore,
  onProgress?: (checked: number, total: number) => void,
): Promise<VerifyReport> {
  const report: VerifyReport = { checked: 0, answers: 0, faults: [] };
  const total = Number(
    (await pool.query<{ n: string }>('SELECT count(*) AS n FROM jao.day_write WHERE archived_at IS NOT NULL'))
      .rows[0]!.n,
  );
  const seenAnswers = new Set<string>();
  let after = 0;
  for (;;) {
    const { rows } = await pool.query<ArchivedWriteRow>(
      `SELECT w.write_id, w.archive_key, w.dataset, w.day::text AS day, r.sha256 AS raw_sha256,
              encode(sha256(r.body), 'hex') AS body_sha256, r.archive_key AS raw_archive_key,
              r.truncated_reason IS NULL AS whole
         FROM jao.day_write w LEFT JOIN jao.raw_response r ON r.raw_response_id = w.raw_response_id
        WHERE w.archived_at IS NOT NULL AND w.write_id > $1
        ORDER BY w.write_id LIMIT $2`,
      [after, DATABASE_PAGE],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      after = Number(row.write_id);
      report.checked += 1;
      const bytes = await store.get(row.archive_key);
      if (!bytes) {
        report.faults.push(`${row.archive_key} (write ${row.write_id} of ${row.day}) is missing`);
        continue;
      }
      let entry: ReturnType<typeof decodeEntry>;
      try {
        entry = decodeEntry(row.archive_key, bytes);
      } catch (error) {
        report.faults.push(error instanceof Error ? error.message : String(error));
        continue;
      }
      if (entry.dataset !== row.dataset || entry.day !== row.day)
        report.faults.push(
          `${row.archive_key} names ${entry.dataset} ${entry.day}, the database ${row.dataset} ${row.day}`,
        );
      if ((entry.answer?.sha256 ?? null) !== row.raw_sha256)
        report.faults.push(
          `${row.archive_key} names answer ${entry.answer?.sha256 ?? 'none'}, the database ${row.raw_sha256 ?? 'none'}`,
        );
      if (!entry.answer || seenAnswers.has(entry.answer.object)) continue;
      seenAnswers.add(entry.answer.object);
      report.answers += 1;
      const object = await store.get(entry.answer.object);
      if (!object) {
        report.faults.push(`${entry.answer.object} (the answer of ${row.archive_key}) is missing`);
        continue;
      }
      const read = await readAnswerObject(entry.answer.object, object);
      if (read.sha256 === null) report.faults.push(`${entry.answer.object} is not gzip`);
      else if (!read.matches) {
        const actual = answerKey(read.sha256, isCompressedAnswer(entry.answer.object));
        report.faults.push(`${entry.answer.object} holds other bytes (${actual})`);
      } else if (row.body_sha256 !== null && row.body_sha256 !== read.sha256)
        report.faults.push(`${entry.answer.object} differs from the body the database holds for ${row.day}`);
      else if (
        row.body_sha256 === null &&
        row.raw_sha256 !== null &&
        (row.raw_archive_key !== entry.answer.object || (row.whole && row.raw_sha256 !== read.sha256))
      )
        report.faults.push(
          `${entry.answer.object} is not the archived answer the database records for ${row.day} (its body was dropped)`,
        );
    }
    onProgress?.(report.checked, total);
  }
  return report;
}
