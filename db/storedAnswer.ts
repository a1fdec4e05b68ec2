// A stored raw answer judged by the current build, and the day's write derived from it: what the day workflow's
// validate and write, reprocessing and restore read back from jao.raw_response (never from JAO). The day workflow's
// validate judges and records its verdict (db/answerVerdict.ts), its write reads that verdict instead of judging
// again. One derivation for all.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Assessment } from '../domain/assess';
import { expectedMtuCount } from '../domain/calendar';
import { declarationOf, declaredResolutionOn } from '../domain/datasets';
import { storedAnswerLimit } from '../domain/storedAnswerLimit';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';
import { judgeAndRecord, recordedJudgement } from './answerVerdict';
import type { DayWrite } from './dayWriteTypes';
import { laneOf } from './lanes';
import { loadRawResponse } from './rawResponse';

export interface StoredAnswerRef {
  dataset: Dataset;
  day: DeliveryDay;
  rawResponseId: number;
}

/** Reads an archive object's bytes (answers/<sha256>); throws ArchivedBodyUnreadable when it cannot. */
export type ArchivedBodyReader = (key: string) => Promise<Uint8Array>;

/** A body dropped under RAW_RETENTION_DAYS could not be read back from the archive: nothing is derived from it. */
export class ArchivedBodyUnreadable extends Error {
  override name = 'ArchivedBodyUnreadable';
}

/** The body of a stored answer whose bytes now live in the archive, checked against the stored sha256. */
async function archivedBody(
  raw: { id: number; day: DeliveryDay; sha256: string; archived: string },
  readArchived: ArchivedBodyReader | undefined,
): Promise<string> {
  const what = `raw response ${raw.id} of ${raw.day} (its body was dropped under RAW_RETENTION_DAYS; archive object ${raw.archived})`;
  if (!readArchived) throw new ArchivedBodyUnreadable(`${what}: no archive to read it from`);
  let bytes: Uint8Array;
  try {
    bytes = await readArchived(raw.archived);
  } catch (error) {
    if (error instanceof ArchivedBodyUnreadable)
      throw new ArchivedBodyUnreadable(`${what}: ${error.message}`, { cause: error });
    throw error;
  }
  if (createHash('sha256').update(bytes).digest('hex') !== raw.sha256)
    throw new ArchivedBodyUnreadable(`${what}: the archive's bytes do not hash to the stored sha256`);
  return Buffer.from(bytes).toString('utf8');
}

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

/** A stored answer's body, or why it is not processed (too large, truncated): a limit, not a judgement. */
async function storedBody(
  pool: pg.Pool,
  { day, rawResponseId }: StoredAnswerRef,
  maxBodyBytes: number,
  readArchived: ArchivedBodyReader | undefined,
): Promise<{ body: string } | { refused: string }> {
  const raw = await loadRawResponse(pool, rawResponseId, maxBodyBytes);
  if (!raw) throw new Error(`raw response ${rawResponseId} for ${day} is not in jao.raw_response`);
  if (raw.refused !== null) return { refused: raw.refused };
  return { body: raw.body !== null ? raw.body : await archivedBody(raw, readArchived) };
}

/**
 * The stored answer judged by the current build, nothing recorded (reprocessing judges its candidates so). A body
 * dropped under RAW_RETENTION_DAYS is read from the archive with `readArchived`, its hash checked.
 */
export async function assessStoredAnswer(
  pool: pg.Pool,
  ref: StoredAnswerRef,
  maxBodyBytes: number,
  readArchived?: ArchivedBodyReader,
): Promise<Assessment> {
  const stored = await storedBody(pool, ref, maxBodyBytes, readArchived);
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
  ref: StoredAnswerRef,
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

/**
 * The day workflow's validate: the stored answer judged by the current build, its verdict recorded for the write
 * that follows (judgedStoredAnswer). A refused answer records none: the write meets the same limit.
 */
export async function judgeStoredAnswer(
  pool: pg.Pool,
  ref: StoredAnswerRef,
  { maxBodyBytes, readArchived, buildId }: AnswerJudging,
): Promise<Assessment> {
  const stored = await storedBody(pool, ref, maxBodyBytes, readArchived);
  if ('refused' in stored) return refusedAssessment(ref.dataset, ref.day, stored.refused);
  return judgeAndRecord(pool, ref, stored.body, buildId);
}

/**
 * The day workflow's write: the judgement its validate recorded (this build's verdict), with the body's rows read
 * again by the lane with the verdict's inputs; nothing judged twice. Without such a verdict (a history's write from
 * before verdicts, a verdict of another build, a reading that does not count what the verdict counted), the answer
 * is judged here, once, and the verdict recorded.
 */
export async function judgedStoredAnswer(
  pool: pg.Pool,
  ref: StoredAnswerRef,
  { maxBodyBytes, readArchived, buildId }: AnswerJudging,
): Promise<Assessment> {
  const stored = await storedBody(pool, ref, maxBodyBytes, readArchived);
  if ('refused' in stored) return refusedAssessment(ref.dataset, ref.day, stored.refused);
  return recordedJudgement(pool, ref, stored.body, buildId);
}

/** A stored answer that is not processed (too large): the day is invalid, nothing of it is written. */
function refusedAssessment(dataset: Dataset, day: DeliveryDay, reason: string): Assessment {
  return {
    status: 'invalid',
    validated: null,
    rejections: [],
    expectedMtus: expectedMtuCount(day, declaredResolutionOn(declarationOf(dataset), day)),
    reason,
    error: reason,
  };
}

/** Who derives the day from its stored answer, and how texts are masked before they are stored. */
export interface DerivationContext {
  workflowId: string | null;
  buildId: string | null;
  redact: (text: string | null) => string | null;
}

/**
 * The day's write derived from a judged stored answer: the same for the day workflow's write and for reprocessing
 * (which adds its derivation and checks).
 */
export function dayWriteOf(
  ref: StoredAnswerRef,
  assessment: Assessment,
  context: DerivationContext,
): DayWrite {
  return {
    dataset: ref.dataset,
    day: ref.day,
    status: assessment.status,
    validated: assessment.validated,
    rejections: assessment.rejections,
    expectedMtus: assessment.expectedMtus,
    rawResponseId: ref.rawResponseId,
    workflowId: context.workflowId,
    buildId: context.buildId,
    error: context.redact(assessment.error),
    reason: context.redact(assessment.reason),
  };
}

/** Why a written day is not complete, in one sentence (undefined when it is). */
export function reasonOfWrite(assessment: Assessment, written: DayStatus): string | undefined {
  if (written === 'complete') return undefined;
  const found = assessment.reason ?? `ended ${assessment.status}`;
  return assessment.status === written
    ? found
    : `kept the stored ${written} values; the re-check found: ${found}`;
}
