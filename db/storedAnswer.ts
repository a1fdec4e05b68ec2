// A stored raw answer judged by the current build: what the day workflow's validate and write, reprocessing and
// restore read back from jao.raw_response (never from JAO). The validate judges and records its verdict
// (db/answerVerdict.ts); the write takes that verdict instead of judging again. One judgement for all, made here.
import type pg from 'pg';
import { type Assessment, refusedAssessment } from '../domain/assess';
import { storedAnswerLimit } from '../domain/storedAnswerLimit';
import { type JudgedAnswer, recordedAssessment, recordVerdict } from './answerVerdict';
import { laneOf } from './lanes';
import { type ArchivedBodyReader, storedBody } from './rawResponse';

// Read where the archive reads them (archive/archivedBody.ts), beside the judgement that needs the body back.
export { type ArchivedBodyReader, ArchivedBodyUnreadable } from './rawResponse';

/** How a stored answer is read for judging: its body limit, the archive, and the build judging it. */
export interface AnswerJudging {
  /**
   * JAO_MAX_BODY_BYTES: a stored body larger than its dataset's bound from it (domain/storedAnswerLimit.ts) is not
   * processed, and the day is invalid.
   */
  maxBodyBytes: number;
  /** Reads a body dropped under RAW_RETENTION_DAYS back from the archive (its hash checked). */
  readArchived?: ArchivedBodyReader | undefined;
  /** The worker build judging: a verdict is read back by the build that recorded it only. */
  buildId: string | null;
}

/**
 * What the day workflow's judgement does with the verdict of jao.answer_verdict: `record`, the validate's (the
 * answer judged, its verdict recorded for the write that follows); `reuse`, the write's (the verdict its validate
 * recorded, the body's rows read again by the lane with the verdict's inputs: nothing judged twice; without such a
 * verdict, as a history's write from before verdicts, a verdict of another build, a reading that does not count what
 * the verdict counted, the answer is judged here, once, and the verdict recorded).
 */
export type VerdictUse = 'record' | 'reuse';

/** The size of a stored answer as it will be read back: its body, or the bytes JAO sent when the body is archived. */
export async function storedAnswerBytes(pool: pg.Pool, id: number): Promise<number> {
  const result = await pool.query<{ bytes: number }>(
    'SELECT COALESCE(octet_length(body), bytes)::int AS bytes FROM jao.raw_response WHERE raw_response_id = $1',
    [id],
  );
  return result.rows[0]?.bytes ?? 0;
}

/**
 * The day workflow's judgement of its stored answer, by the current build. A refused answer (too large, truncated)
 * records no verdict: the write meets the same limit.
 */
export async function judgeStoredAnswer(
  pool: pg.Pool,
  ref: JudgedAnswer,
  { maxBodyBytes, readArchived, buildId }: AnswerJudging,
  verdict: VerdictUse,
): Promise<Assessment> {
  const stored = await storedBody(pool, ref, storedAnswerLimit(ref.dataset, maxBodyBytes), readArchived);
  if ('refused' in stored) return refusedAssessment(ref.dataset, ref.day, stored.refused);
  const lane = laneOf(ref.dataset);
  const recorded =
    verdict === 'reuse' ? await recordedAssessment(pool, lane, ref, stored.body, buildId) : null;
  if (recorded) return recorded;
  const judged = await lane.judge(pool, ref, stored.body);
  await recordVerdict(pool, ref.rawResponseId, lane.name, judged, buildId);
  return judged.assessment;
}

/**
 * The stored answer judged by the current build, nothing recorded (reprocessing judges its candidates so). A body
 * dropped under RAW_RETENTION_DAYS is read from the archive with `readArchived`, its hash checked.
 */
export async function assessStoredAnswer(
  pool: pg.Pool,
  ref: JudgedAnswer,
  maxBodyBytes: number,
  readArchived?: ArchivedBodyReader,
): Promise<Assessment> {
  const stored = await storedBody(pool, ref, storedAnswerLimit(ref.dataset, maxBodyBytes), readArchived);
  if ('refused' in stored) return refusedAssessment(ref.dataset, ref.day, stored.refused);
  return (await laneOf(ref.dataset).judge(pool, ref, stored.body)).assessment;
}

/**
 * The stored answer judged from its bytes in hand (a restore has just read them from the archive and checked their
 * hash), without loading them back from jao.raw_response: the same judgement as assessStoredAnswer's. Bytes over
 * the dataset's bound (domain/storedAnswerLimit.ts) go through assessStoredAnswer, which refuses them as it refuses
 * them stored.
 */
export async function assessAnswerBytes(
  pool: pg.Pool,
  ref: JudgedAnswer,
  answer: { bytes: Uint8Array },
  maxBodyBytes: number,
): Promise<Assessment> {
  if (answer.bytes.byteLength > storedAnswerLimit(ref.dataset, maxBodyBytes).bytes)
    return assessStoredAnswer(pool, ref, maxBodyBytes);
  const body = Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength).toString(
    'utf8',
  );
  return (await laneOf(ref.dataset).judge(pool, ref, body)).assessment;
}
