// Activities that work on what the fetch activity stored: validate, write, record a failure, plan a backfill.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { redactSecrets } from '../common/redact';
import type { TransactionTimeouts } from '../db/locks';
import { loadRawResponse } from '../db/rawResponse';
import { writeDay } from '../db/writeDay';
import { type Assessment, assessBody } from '../domain/assess';
import { DEFAULT_MAX_BODY_BYTES } from '../domain/bodyLimit';
import { expectedMtuCount } from '../domain/calendar';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';
import { DEFAULT_RESOLUTION_MINUTES } from '../domain/validate';
import type { DayResult } from '../domain/workflowInputs';
import { withDatabaseFailures } from './databaseFailure';
import { withHeartbeat } from './heartbeat';
import { recordDayMetrics } from './metrics';
import { type PlanInput, planDays } from './plan';

export interface StoreDeps {
  pool: pg.Pool;
  /** The worker's build, recorded on every day it writes. */
  buildId: string | null;
  /** Stored bodies larger than this are not re-processed (JAO_MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Masked in every error text stored or logged (the JAO API key). */
  secrets?: string[];
  /** Lock and statement timeouts of a day's write (default WRITE_TIMEOUTS). */
  writeTimeouts?: TransactionTimeouts;
}

export interface StoredDayRef {
  dataset: Dataset;
  day: DeliveryDay;
  rawResponseId: number;
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
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
  secrets = [],
  writeTimeouts,
}: StoreDeps) {
  const redact = (text: string | null) => (text === null ? null : redactSecrets(text, secrets));

  async function assessStored({ day, rawResponseId }: StoredDayRef): Promise<Assessment> {
    const raw = await loadRawResponse(pool, rawResponseId, maxBodyBytes);
    if (!raw) throw new Error(`raw response ${rawResponseId} for ${day} is not in jao.raw_response`);
    if (raw.body === null) return refusedAssessment(day, raw.refused);
    return assessBody(day, raw.body);
  }

  return {
    async validateStoredDay(ref: StoredDayRef): Promise<ValidationSummary> {
      const assessment = await withDatabaseFailures(`validate ${ref.day}`, () => assessStored(ref), secrets);
      const validated = assessment.validated;
      return {
        status: assessment.status,
        resolutionMinutes: validated?.resolutionMinutes ?? null,
        expectedMtus: assessment.expectedMtus,
        receivedMtus: validated?.receivedMtus ?? 0,
        missingMtus: validated?.missingMtus.length ?? assessment.expectedMtus,
        points: validated?.points.length ?? 0,
        keys: validated?.keys.length ?? 0,
        rejections: assessment.rejections.length,
        reason: redact(assessment.reason),
      };
    },

    async writeStoredDay(ref: StoredDayRef): Promise<DayResult> {
      const written = await withDatabaseFailures(
        `write ${ref.day}`,
        async () => {
          const assessment = await assessStored(ref);
          const result = await withHeartbeat(() =>
            writeDay(
              pool,
              {
                dataset: ref.dataset,
                day: ref.day,
                status: assessment.status,
                validated: assessment.validated,
                rejections: assessment.rejections,
                expectedMtus: assessment.expectedMtus,
                rawResponseId: ref.rawResponseId,
                workflowId: Context.current().info.workflowExecution?.workflowId ?? null,
                buildId,
                error: redact(assessment.reason),
              },
              writeTimeouts,
            ),
          );
          return { ...result, rejections: assessment.rejections.length };
        },
        secrets,
      );
      recordDayMetrics({
        day: ref.day,
        status: written.status,
        points: written.newPoints + written.changedPoints,
        changedPoints: written.changedPoints,
        rejections: written.rejections,
      });
      Context.current().log.info('day written', { day: ref.day, ...written });
      return {
        day: ref.day,
        status: written.status,
        mtus: written.mtus,
        points: written.points,
        changedPoints: written.changedPoints,
        revision: written.revision,
      };
    },

    async recordDayFailure(input: { dataset: Dataset; day: DeliveryDay; error: string }): Promise<void> {
      const error = redactSecrets(input.error, secrets);
      await withDatabaseFailures(
        `record the failure of ${input.day}`,
        () =>
          writeDay(
            pool,
            {
              dataset: input.dataset,
              day: input.day,
              status: 'failed',
              validated: null,
              expectedMtus: expectedMtuCount(input.day, 60),
              rawResponseId: null,
              workflowId: Context.current().info.workflowExecution?.workflowId ?? null,
              buildId,
              error,
            },
            writeTimeouts,
          ),
        secrets,
      );
      recordDayMetrics({ day: input.day, status: 'failed', points: 0, changedPoints: 0, rejections: 0 });
      Context.current().log.warn('day failed', { day: input.day, error });
    },

    planBackfillDays(input: PlanInput): Promise<DeliveryDay[]> {
      return withDatabaseFailures(
        `plan the backfill ${input.from}..${input.to}`,
        () => planDays(pool, input),
        secrets,
      );
    },
  };
}

export type StoreActivities = ReturnType<typeof createStoreActivities>;

/** A stored answer that is not processed (too large): the day is invalid, nothing of it is written. */
function refusedAssessment(day: DeliveryDay, reason: string): Assessment {
  return {
    status: 'invalid',
    validated: null,
    rejections: [],
    expectedMtus: expectedMtuCount(day, DEFAULT_RESOLUTION_MINUTES),
    reason,
  };
}
