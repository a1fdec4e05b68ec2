// A stored raw answer judged by the current build, and the day's write derived from it: what the day workflow's
// validate and write, and reprocessing, read back from jao.raw_response (never from JAO). One derivation for all.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Assessment } from '../domain/assess';
import { expectedMtuCount } from '../domain/calendar';
import { declarationOf, declaredResolutionOn } from '../domain/datasets';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';
import type { DayWrite } from './dayWriteTypes';
import { laneOf } from './lanes';
import { loadRawResponse, readRawResponseSha256 } from './rawResponse';

export interface StoredAnswerRef {
  dataset: Dataset;
  day: DeliveryDay;
  rawResponseId: number;
}

/**
 * Answers judged lately, per pool, by raw response id, with the sha256 and body limit they were judged under: the
 * write activity that follows a validation (or a reprocessing that judged its candidates) takes the judgement
 * instead of loading and parsing the body again. Small and bounded (least recently used first out); a miss falls
 * back to the database. A judgement that needed the catalog (too_many_keys) is not kept: the catalog moves.
 */
const JUDGED_ANSWERS_KEPT = 64;
const judgedAnswers = new WeakMap<pg.Pool, Map<number, JudgedAnswer>>();

interface JudgedAnswer {
  sha256: string;
  maxBodyBytes: number;
  assessment: Assessment;
}

function judgedAnswersOf(pool: pg.Pool): Map<number, JudgedAnswer> {
  let judged = judgedAnswers.get(pool);
  if (!judged) {
    judged = new Map();
    judgedAnswers.set(pool, judged);
  }
  return judged;
}

function keepJudged(judged: Map<number, JudgedAnswer>, id: number, answer: JudgedAnswer): void {
  judged.delete(id);
  judged.set(id, answer);
  if (judged.size > JUDGED_ANSWERS_KEPT) judged.delete(judged.keys().next().value!);
}

async function judgedBefore(pool: pg.Pool, id: number, maxBodyBytes: number): Promise<Assessment | null> {
  const judged = judgedAnswersOf(pool);
  const kept = judged.get(id);
  if (!kept || kept.maxBodyBytes !== maxBodyBytes) return null;
  if ((await readRawResponseSha256(pool, id)) !== kept.sha256) {
    judged.delete(id);
    return null;
  }
  keepJudged(judged, id, kept);
  return kept.assessment;
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

/**
 * The stored answer judged by the current build (the same object for repeated calls: treat it as read-only). A
 * body dropped under RAW_RETENTION_DAYS is read from the archive with `readArchived`, its hash checked.
 */
export async function assessStoredAnswer(
  pool: pg.Pool,
  { dataset, day, rawResponseId }: StoredAnswerRef,
  maxBodyBytes: number,
  readArchived?: ArchivedBodyReader,
): Promise<Assessment> {
  const before = await judgedBefore(pool, rawResponseId, maxBodyBytes);
  if (before) return before;
  const raw = await loadRawResponse(pool, rawResponseId, maxBodyBytes);
  if (!raw) throw new Error(`raw response ${rawResponseId} for ${day} is not in jao.raw_response`);
  const judged = judgedAnswersOf(pool);
  if (raw.refused !== null) {
    const assessment = refusedAssessment(dataset, day, raw.refused);
    keepJudged(judged, rawResponseId, { sha256: raw.sha256, maxBodyBytes, assessment });
    return assessment;
  }
  const body = raw.body !== null ? raw.body : await archivedBody(raw, readArchived);
  return judgeBody(pool, { dataset, day, rawResponseId }, raw.sha256, body, maxBodyBytes);
}

/**
 * The stored answer judged from its bytes in hand (a restore has just read them from the archive and checked their
 * hash), without loading them back from jao.raw_response: the same judgement as assessStoredAnswer's. Bytes over
 * `maxBodyBytes` go through assessStoredAnswer, which refuses them as it refuses them stored.
 */
export async function assessAnswerBytes(
  pool: pg.Pool,
  ref: StoredAnswerRef,
  answer: { sha256: string; bytes: Uint8Array },
  maxBodyBytes: number,
): Promise<Assessment> {
  if (answer.bytes.byteLength > maxBodyBytes) return assessStoredAnswer(pool, ref, maxBodyBytes);
  const body = Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength).toString(
    'utf8',
  );
  return judgeBody(pool, ref, answer.sha256, body, maxBodyBytes);
}

async function judgeBody(
  pool: pg.Pool,
  { dataset, day, rawResponseId }: StoredAnswerRef,
  sha256: string,
  body: string,
  maxBodyBytes: number,
): Promise<Assessment> {
  const { assessment, readCatalogue } = await laneOf(dataset).judge(pool, { dataset, day }, body);
  // A judgement that read the catalogue is not kept: the catalogue moves.
  if (!readCatalogue) keepJudged(judgedAnswersOf(pool), rawResponseId, { sha256, maxBodyBytes, assessment });
  return assessment;
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
