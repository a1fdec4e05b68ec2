// Activities that work on what the fetch activity stored: validate, write, record a failure, plan a backfill.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { readDayQuality } from '../db/dayQuality';
import { readLatestCompleteDay } from '../db/dayStatus';
import { loadRawResponse } from '../db/rawResponse';
import { readCatalogKeys } from '../db/seriesCatalog';
import { writeDay } from '../db/writeDay';
import { type Assessment, assessBody } from '../domain/assess';
import { expectedMtuCount } from '../domain/calendar';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';
import type { DayResult } from '../domain/workflowInputs';
import { withHeartbeat } from './heartbeat';
import { recordDayMetrics, recordDriftMetrics, recordLatestCompleteDay } from './metrics';
import { type PlanInput, planDays } from './plan';
import { withinRetryHorizon } from './retryHorizon';

export interface StoreDeps {
  pool: pg.Pool;
  /** The worker's build, recorded on every day it writes. */
  buildId: string | null;
  /** How long failing database work is retried before the day fails (DATABASE_RETRY_HORIZON). */
  retryHorizonMs?: number;
}

export const DEFAULT_RETRY_HORIZON_MS = 30 * 60_000;

/** Why a written day is not complete, in one sentence (undefined when it is). */
export function reasonOfWrite(assessment: Assessment, written: DayStatus): string | undefined {
  if (written === 'complete') return undefined;
  const found = assessment.reason ?? `ended ${assessment.status}`;
  return assessment.status === written
    ? found
    : `kept the stored ${written} values; the re-check found: ${found}`;
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
  retryHorizonMs = DEFAULT_RETRY_HORIZON_MS,
}: StoreDeps) {
  const retried = <T>(work: () => Promise<T>) => withinRetryHorizon(retryHorizonMs, work);

  async function assessStored({ dataset, day, rawResponseId }: StoredDayRef): Promise<Assessment> {
    const raw = await loadRawResponse(pool, rawResponseId);
    if (!raw) throw new Error(`raw response ${rawResponseId} for ${day} is not in jao.raw_response`);
    const assessment = assessBody(day, raw.body);
    // Only a day with more new keys than a day may add needs to know which keys are new (domain/limits.ts).
    if (!assessment.rejections.some((r) => r.rule === 'too_many_keys')) return assessment;
    return assessBody(day, raw.body, { knownKeys: await readCatalogKeys(pool, dataset) });
  }

  return {
    validateStoredDay: (ref: StoredDayRef): Promise<ValidationSummary> =>
      retried(async () => {
        const assessment = await assessStored(ref);
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
          reason: assessment.reason,
        };
      }),

    writeStoredDay: (ref: StoredDayRef): Promise<DayResult> =>
      retried(async () => {
        const assessment = await assessStored(ref);
        const written = await withHeartbeat(() =>
          writeDay(pool, {
            dataset: ref.dataset,
            day: ref.day,
            status: assessment.status,
            validated: assessment.validated,
            rejections: assessment.rejections,
            expectedMtus: assessment.expectedMtus,
            rawResponseId: ref.rawResponseId,
            workflowId: Context.current().info.workflowExecution?.workflowId ?? null,
            buildId,
            error: assessment.error,
            reason: assessment.reason,
          }),
        );
        recordDayMetrics({
          day: ref.day,
          status: written.status,
          points: written.newPoints + written.changedPoints,
          changedPoints: written.changedPoints,
          rejections: assessment.rejections.length,
        });
        const drift = written.contentChanged
          ? ((await readDayQuality(pool, ref.dataset, ref.day, ref.day))[0]?.drift ?? null)
          : null;
        if (drift) recordDriftMetrics(drift.kinds);
        if (written.status === 'complete')
          recordLatestCompleteDay(await readLatestCompleteDay(pool, ref.dataset));
        Context.current().log.info('day written', {
          day: ref.day,
          ...written,
          ...(assessment.reason ? { reason: assessment.reason } : {}),
          ...(drift ? { drift: drift.kinds } : {}),
        });
        const reason = reasonOfWrite(assessment, written.status);
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

    async recordDayFailure(input: { dataset: Dataset; day: DeliveryDay; error: string }): Promise<void> {
      await writeDay(pool, {
        dataset: input.dataset,
        day: input.day,
        status: 'failed',
        validated: null,
        expectedMtus: expectedMtuCount(input.day, 60),
        rawResponseId: null,
        workflowId: Context.current().info.workflowExecution?.workflowId ?? null,
        buildId,
        error: input.error,
      });
      recordDayMetrics({ day: input.day, status: 'failed', points: 0, changedPoints: 0, rejections: 0 });
      Context.current().log.warn('day failed', { day: input.day, error: input.error });
    },

    planBackfillDays: (input: PlanInput): Promise<DeliveryDay[]> => retried(() => planDays(pool, input)),
  };
}

export type StoreActivities = ReturnType<typeof createStoreActivities>;
