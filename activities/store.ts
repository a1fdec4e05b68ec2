// Activities that work on what the fetch activity stored: validate, write, assemble a paged day's answer, record
// a failure. The backfill's planning activities are activities/plan.ts's.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { redactSecrets } from '../common/redact';
import { dayWriteOf } from '../db/dayWriteTypes';
import { laneOf, storedRowsOf } from '../db/lanes';
import { type AssembleInput, assemblePagedDay, rawPagesBytes } from '../db/lanes/constraints/rawPages';
import { slicedWorkCancelledBy } from '../db/lanes/timeSliced';
import {
  type AnswerJudging,
  type ArchivedBodyReader,
  judgeStoredAnswer,
  storedAnswerBytes,
} from '../db/storedAnswer';
import { recordFailedDay, writeDayWithFacts } from '../db/writeDay';
import { DEFAULT_MAX_BODY_BYTES } from '../domain/bodyLimit';
import { expectedMtuCount } from '../domain/calendar';
import { declarationOf, declaredResolutionOn } from '../domain/datasets';
import { reasonOfWrite } from '../domain/dayStatus';
import { DATABASE_RETRY_HORIZON, type TransactionTimeouts } from '../domain/timeBudget';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';
import type { DayResult } from '../domain/workflowInputs';
import { processAnswerBudget } from './answerBudget';
import { withDatabaseFailures } from './databaseFailure';
import { recordPublicationLatency } from './freshness';
import { recordDayMetrics, recordDriftMetrics, recordLatestCompleteDay } from './metrics';
import { retriedDatabaseWork } from './retryHorizon';

export interface StoreDeps {
  pool: pg.Pool;
  /** The worker's build, recorded on every day it writes. */
  buildId: string | null;
  /** How long after the day started failing database work is retried before the day fails (DATABASE_RETRY_HORIZON). */
  retryHorizonMs?: number;
  /** JAO_MAX_BODY_BYTES: stored bodies larger than their dataset's bound from it (domain/storedAnswerLimit.ts) are not re-processed. */
  maxBodyBytes?: number;
  /** Masked in every error text stored or logged (the JAO API key). */
  secrets?: string[];
  /** Lock and statement timeouts of a day's write (default WRITE_TIMEOUTS). */
  writeTimeouts?: TransactionTimeouts;
  /** Reads a body dropped under RAW_RETENTION_DAYS back from the archive. */
  readArchived?: ArchivedBodyReader;
  /** Called after a write that changed a day's outcome (the keeper of the bad-day markers: activities/badDays.ts). */
  onOutcomeChanged?: () => Promise<void>;
}

export interface StoredDayRef {
  dataset: Dataset;
  day: DeliveryDay;
  rawResponseId: number;
  /** When the day workflow started (epoch ms): the retry horizon counts from here (FetchDayInput). */
  horizonStartMs?: number;
}

export interface ValidationSummary {
  status: Exclude<DayStatus, 'failed'>;
  resolutionMinutes: number | null;
  expectedMtus: number;
  receivedMtus: number;
  missingMtus: number;
  points: number;
  keys: number;
  rejections: number;
  reason: string | null;
}

export function createStoreActivities({
  pool,
  buildId,
  retryHorizonMs = DATABASE_RETRY_HORIZON.defaultMs,
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
  secrets = [],
  writeTimeouts,
  readArchived,
  onOutcomeChanged,
}: StoreDeps) {
  /** Database errors classified (a deterministic one is not retried), transient ones retried up to the horizon. */
  const retried = retriedDatabaseWork(retryHorizonMs, secrets);
  /**
   * Runs a step on `bytes` of a stored answer once the process has heap for it (activities/answerBudget.ts); its
   * sliced work (db/lanes/timeSliced.ts) stops when the activity is cancelled.
   */
  const holding = <T>(bytes: number, work: () => Promise<T>): Promise<T> => {
    const signal = Context.current().cancellationSignal;
    return processAnswerBudget().hold(bytes, () => slicedWorkCancelledBy(signal, work), signal);
  };
  /** A step on a day's stored answer (`validate`, `write`): retried database work, holding the answer's bytes. */
  const onAnswer = <T>(step: string, ref: StoredDayRef, work: () => Promise<T>): Promise<T> =>
    retried(`${step} ${ref.day}`, ref.horizonStartMs, async () =>
      holding(await storedAnswerBytes(pool, ref.rawResponseId), work),
    );
  const redact = (text: string | null) => (text === null ? null : redactSecrets(text, secrets));

  const judging: AnswerJudging = { maxBodyBytes, readArchived, buildId };

  return {
    /** Judges the stored answer and records its verdict (db/answerVerdict.ts) for the write that follows. */
    validateStoredDay: (ref: StoredDayRef): Promise<ValidationSummary> =>
      onAnswer('validate', ref, async () => {
        const assessment = await judgeStoredAnswer(pool, ref, judging, 'record');
        const validated = assessment.validated;
        return {
          status: assessment.status,
          resolutionMinutes: validated?.resolutionMinutes ?? null,
          expectedMtus: assessment.expectedMtus,
          receivedMtus: validated?.receivedMtus ?? 0,
          missingMtus: validated?.missingMtus.length ?? assessment.expectedMtus,
          points: validated ? storedRowsOf(validated) : 0,
          keys: validated?.keys.length ?? 0,
          rejections: assessment.rejections.length,
          reason: redact(assessment.reason),
        };
      }),

    /** Writes the day as its validate's verdict judged it; judges the answer itself only where none is recorded. */
    writeStoredDay: (ref: StoredDayRef): Promise<DayResult> =>
      onAnswer('write', ref, async () => {
        const assessment = await judgeStoredAnswer(pool, ref, judging, 'reuse');
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? null;
        const written = await writeDayWithFacts(
          pool,
          dayWriteOf(ref, assessment, { workflowId, buildId, redact }),
          writeTimeouts,
        );
        await laneOf(ref.dataset).afterDayWritten(pool, ref);
        recordDayMetrics({
          dataset: ref.dataset,
          day: ref.day,
          status: written.status,
          points: written.newPoints + written.changedPoints,
          changedPoints: written.changedPoints,
          rejections: assessment.rejections.length,
          republished: written.republished,
        });
        const drift = written.facts.drift;
        if (drift) recordDriftMetrics(ref.dataset, drift.kinds);
        recordLatestCompleteDay(ref.dataset, written.facts.latestCompleteDay);
        // Only the write that first made the day complete observes the publication latency.
        if (written.facts.firstCompletion) await recordPublicationLatency(pool, ref);
        if (written.outcomeChanged) await onOutcomeChanged?.();
        const { facts: _facts, ...counts } = written;
        Context.current().log.info('day written', {
          day: ref.day,
          ...counts,
          ...(assessment.reason ? { reason: redact(assessment.reason) } : {}),
          ...(drift ? { drift: drift.kinds } : {}),
        });
        const reason = redact(reasonOfWrite(assessment, written.status) ?? null) ?? undefined;
        return {
          day: ref.day,
          status: written.status,
          mtus: written.mtus,
          points: written.points,
          changedPoints: written.changedPoints,
          revision: written.revision,
          ...(reason === undefined ? {} : { reason }),
        };
      }),

    /** A paged day's answer assembled from one consistent reading's pages (db/lanes/constraints/rawPages.ts). */
    assemblePagedDay: (
      input: AssembleInput & { horizonStartMs?: number },
    ): Promise<{ rawResponseId: number; isNew: boolean; pages: number }> =>
      retried(`assemble the answer of ${input.day}`, input.horizonStartMs, async () => {
        const { horizonStartMs: _horizon, ...assemble } = input;
        // The pages and the answer made of them are held at once: the day's answer, about, as validate holds it.
        return holding(await rawPagesBytes(pool, assemble.rawPageIds), async () => {
          const stored = await assemblePagedDay(pool, assemble);
          return { rawResponseId: stored.id, isNew: stored.isNew, pages: stored.pages };
        });
      }),

    /** The last word of a failed day: retried by its workflow for as long as the database is away. */
    async recordDayFailure(input: { dataset: Dataset; day: DeliveryDay; error: string }): Promise<void> {
      const error = redactSecrets(input.error, secrets);
      const written = await withDatabaseFailures(
        `record the failure of ${input.day}`,
        () =>
          recordFailedDay(
            pool,
            {
              dataset: input.dataset,
              day: input.day,
              expectedMtus: expectedMtuCount(
                input.day,
                declaredResolutionOn(declarationOf(input.dataset), input.day),
              ),
              workflowId: Context.current().info.workflowExecution?.workflowId ?? null,
              buildId,
              error,
            },
            writeTimeouts,
          ),
        secrets,
      );
      recordDayMetrics({
        dataset: input.dataset,
        day: input.day,
        status: 'failed',
        points: 0,
        changedPoints: 0,
        rejections: 0,
      });
      if (written.outcomeChanged) await onOutcomeChanged?.();
      // The day's outcome, recorded: what went wrong unexpectedly (an outage, a refused statement) was a warning
      // where it happened.
      Context.current().log.info('day failed', { day: input.day, error });
    },
  };
}

export type DayStoreActivities = ReturnType<typeof createStoreActivities>;
