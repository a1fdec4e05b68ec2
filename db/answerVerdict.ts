// The verdict of a stored answer, recorded where the judgement was made (the day workflow's validate) and read by the
// write that follows, both through db/storedAnswer.ts, in jao.answer_verdict (migration 027): what the judgement
// decided (status, reason, error), what it counted, and what it read beyond the body. The write has the lane read the
// body's rows again with the same inputs and takes the rest from here: it judges nothing, and trusts no memory of the
// process.
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { z } from 'zod';
import type { Assessment } from '../domain/assess';
import { DAY_STATUSES } from '../domain/types';
import { storedRowsOf } from './lanes';
import type {
  JsonValue,
  JudgedAnswerRef,
  JudgementInputs,
  Lane,
  LaneReading,
  LaneVerdict,
} from './lanes/lane';

/** What a reading of the body counted beside its rejections: the write's reading must count what the judgement did. */
const ReadingCounts = z
  .object({
    rows: z.number().int(),
    receivedMtus: z.number().int(),
    missingMtus: z.number().int(),
    storedRows: z.number().int(),
    keys: z.number().int(),
  })
  .strict();
type ReadingCounts = z.infer<typeof ReadingCounts>;

/** A lane's inputs: checked as JSON here, as its own fields by the lane that reads them. */
const Inputs: z.ZodType<JudgementInputs> = z.record(z.string(), z.json() as z.ZodType<JsonValue>);

/** The verdict's format; a row of another is no verdict to this build (its write judges again). */
const VERDICT_FORMAT = 1;

const AnswerVerdictSchema = z
  .object({
    format: z.literal(VERDICT_FORMAT),
    /** The lane that judged: a verdict of another lane is no verdict of this answer's. */
    lane: z.string(),
    status: z.enum(DAY_STATUSES).exclude(['failed']),
    reason: z.string().nullable(),
    error: z.string().nullable(),
    expectedMtus: z.number().int(),
    /** Null when the body could not be read (an invalid envelope, a refused answer): no rows to count. */
    counts: ReadingCounts.nullable(),
    /** Rejections of the reading (stored by the write, which reads them again with the rows). */
    rejections: z.number().int(),
    inputs: Inputs,
  })
  .strict();

type AnswerVerdict = z.infer<typeof AnswerVerdictSchema>;

/** A stored answer judged for its day. */
export type JudgedAnswer = JudgedAnswerRef & { rawResponseId: number };

function countsOf(reading: LaneReading): ReadingCounts | null {
  const day = reading.validated;
  if (day === null) return null;
  return {
    rows: day.rows,
    receivedMtus: day.receivedMtus,
    missingMtus: day.missingMtus.length,
    storedRows: storedRowsOf(day),
    keys: day.keys.length,
  };
}

/**
 * The judgement a verdict recorded, with the rows of `reading` (the body read again with the verdict's inputs); null
 * when the reading does not count what the judgement counted (the verdict is not of this reading: judge again).
 */
function assessmentOf(verdict: AnswerVerdict, reading: LaneReading): Assessment | null {
  const agrees =
    reading.rejections.length === verdict.rejections && isDeepStrictEqual(countsOf(reading), verdict.counts);
  if (!agrees) return null;
  return {
    status: verdict.status,
    validated: reading.validated,
    rejections: reading.rejections,
    expectedMtus: verdict.expectedMtus,
    reason: verdict.reason,
    error: verdict.error,
  };
}

/**
 * Records the verdict of the stored answer `rawResponseId` as the lane `lane` judged it (`judged`) in the build
 * `judgedBy`: one row per answer, replaced by another build's judgement or a judgement that differs (the catalogue
 * moved), left as it is by the same one again.
 */
export async function recordVerdict(
  pool: pg.Pool,
  rawResponseId: number,
  lane: string,
  judged: LaneVerdict,
  judgedBy: string | null,
): Promise<void> {
  const { assessment, inputs } = judged;
  const verdict: AnswerVerdict = {
    format: VERDICT_FORMAT,
    lane,
    status: assessment.status,
    reason: assessment.reason,
    error: assessment.error,
    expectedMtus: assessment.expectedMtus,
    counts: countsOf({ validated: assessment.validated, rejections: assessment.rejections }),
    rejections: assessment.rejections.length,
    inputs,
  };
  await pool.query({
    name: 'jao.answerVerdict.record',
    text: `INSERT INTO jao.answer_verdict AS v (raw_response_id, verdict, judged_by) VALUES ($1, $2::jsonb, $3)
           ON CONFLICT (raw_response_id) DO UPDATE
              SET verdict = EXCLUDED.verdict, judged_by = EXCLUDED.judged_by, judged_at = now()
            WHERE v.verdict IS DISTINCT FROM EXCLUDED.verdict OR v.judged_by IS DISTINCT FROM EXCLUDED.judged_by`,
    values: [rawResponseId, JSON.stringify(verdict), judgedBy],
  });
}

/**
 * The judgement recorded for a stored answer by the build `judgedBy`, its rows read again from `body` by `lane` with
 * the verdict's inputs (the day workflow's write). Null when there is none, when another build or lane judged it (its
 * rules may differ), when the row is not a verdict this build reads, or when the reading does not count what the
 * judgement counted: then the answer is judged again.
 */
export async function recordedAssessment(
  pool: pg.Pool,
  lane: Lane,
  answer: JudgedAnswer,
  body: string,
  judgedBy: string | null,
): Promise<Assessment | null> {
  const result = await pool.query<{ verdict: unknown }>({
    name: 'jao.answerVerdict.read',
    text: `SELECT verdict FROM jao.answer_verdict
            WHERE raw_response_id = $1 AND judged_by IS NOT DISTINCT FROM $2`,
    values: [answer.rawResponseId, judgedBy],
  });
  const row = result.rows[0];
  if (!row) return null;
  const parsed = AnswerVerdictSchema.safeParse(row.verdict);
  if (!parsed.success || parsed.data.lane !== lane.name) return null;
  const reading = await lane.read(answer, body, parsed.data.inputs);
  return reading && assessmentOf(parsed.data, reading);
}
