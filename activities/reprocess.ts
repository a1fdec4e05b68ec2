// Reprocessing (docs/design.md §13): a day re-validated and re-written from its stored raw answer by the current
// build. Reads jao.raw_response, and the archive for a body dropped under RAW_RETENTION_DAYS: nothing here can reach
// JAO (no JAO client is given to these activities).
import { ApplicationFailure, Context } from '@temporalio/activity';
import type pg from 'pg';
import { redactSecrets } from '../common/redact';
import { dayWriteOf } from '../db/dayWriteTypes';
import { daysWithStoredAnswers, readStoredAnswerIds } from '../db/rawResponse';
import { ArchivedBodyUnreadable, assessStoredAnswer } from '../db/storedAnswer';
import {
  type NewerAnswer,
  NewerAnswerStored,
  previewReprocessedDay,
  type ReprocessedDayResult,
  writeReprocessedDay,
} from '../db/writeDay';
import type { Assessment } from '../domain/assess';
import { DEFAULT_MAX_BODY_BYTES } from '../domain/bodyLimit';
import { daysInRange } from '../domain/calendar';
import { reasonOfWrite } from '../domain/dayStatus';
import type { ReprocessBatchOutcome, ReprocessDayResult, ReprocessPlan } from '../domain/reprocessInputs';
import { DATABASE_RETRY_HORIZON, HEARTBEAT_INTERVAL_MS } from '../domain/timeBudget';
import type { Dataset, DeliveryDay } from '../domain/types';
import { withDatabaseFailures } from './databaseFailure';
import { withHeartbeat } from './heartbeat';
import { recordReprocessedDay } from './metrics';
import { withinRetryHorizon } from './retryHorizon';
import type { StoreDeps } from './store';

/** A reprocessing's dependencies are the store's: `buildId`, the build re-deriving the days, is named in the reason
 * of every revision it writes. */
export type ReprocessDeps = Omit<StoreDeps, 'retryHorizonMs'>;

export interface ReprocessDayRequest {
  dataset: Dataset;
  day: DeliveryDay;
  workflowId: string | null;
  /** Compute what would change, write nothing. */
  dryRun: boolean;
}

/** A day without any stored raw answer: reported, never fetched. */
export class NoStoredAnswer extends Error {
  override name = 'NoStoredAnswer';
  constructor(day: DeliveryDay) {
    super(`${day} has no stored raw answer: nothing to reprocess (fetch it with jao rerun ${day})`);
  }
}

const carriesValues = (assessment: Assessment) =>
  assessment.status === 'complete' || assessment.status === 'partial';

/**
 * The answer a day is re-derived from: its latest stored answer that carries values for the current build (a later
 * empty, malformed or refused answer left the stored values in place, so they come from that one), else its latest.
 */
async function chooseSource(
  deps: ReprocessDeps,
  dataset: Dataset,
  day: DeliveryDay,
  ids: number[],
): Promise<{ id: number; assessment: Assessment }> {
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let latest: { id: number; assessment: Assessment } | null = null;
  for (const id of ids) {
    const assessment = await assessStoredAnswer(
      deps.pool,
      { dataset, day, rawResponseId: id },
      maxBodyBytes,
      deps.readArchived,
    );
    latest ??= { id, assessment };
    if (carriesValues(assessment)) return { id, assessment };
  }
  return latest!;
}

/** Times a day is chosen again when fetches keep storing newer answers while it is reprocessed. */
const CHOICES = 5;

/** Re-derives one day from its stored raw answers (or, with `dryRun`, says what that would change). */
export async function reprocessDay(
  deps: ReprocessDeps,
  request: ReprocessDayRequest,
): Promise<ReprocessDayResult> {
  for (let choice = 1; ; choice += 1) {
    const done = await reprocessOnce(deps, request);
    if (!('newerAnswerId' in done)) return done;
    if (choice >= CHOICES)
      throw new NewerAnswerStored(
        `${request.day}: a newer answer (raw response ${done.newerAnswerId}) was stored while it was reprocessed, ` +
          `${CHOICES} times: left for a later reprocessing`,
      );
  }
}

/** The day re-derived from the source chosen now; NewerAnswer when a fetch stored a newer answer meanwhile. */
async function reprocessOnce(
  deps: ReprocessDeps,
  request: ReprocessDayRequest,
): Promise<ReprocessDayResult | NewerAnswer> {
  const { dataset, day } = request;
  const redact = (text: string | null) => (text === null ? null : redactSecrets(text, deps.secrets ?? []));
  const ids = await readStoredAnswerIds(deps.pool, dataset, day);
  if (ids.length === 0) throw new NoStoredAnswer(day);
  const source = await chooseSource(deps, dataset, day, ids);
  const { assessment } = source;
  const build = deps.buildId ?? 'an unnamed build';
  const derived = dayWriteOf({ dataset, day, rawResponseId: source.id }, assessment, {
    workflowId: request.workflowId,
    buildId: deps.buildId,
    redact,
  });
  const write = request.dryRun ? previewReprocessedDay : writeReprocessedDay;
  const written: ReprocessedDayResult | NewerAnswer = await write(
    deps.pool,
    {
      ...derived,
      derivation: {
        kind: 'reprocess',
        reason: `reprocessed by build ${build} from raw response ${source.id}`,
      },
    },
    ids[0]!,
    deps.writeTimeouts,
  );
  if ('newerAnswerId' in written) return written;
  const reprocessed = written.reprocessed;
  if (written.outcomeChanged) await deps.onOutcomeChanged?.();
  const reason = redact(reasonOfWrite(assessment, written.status) ?? null);
  return {
    day,
    status: written.status,
    statusBefore: reprocessed.statusBefore,
    changed: written.contentChanged || reprocessed.dayChanged,
    values: {
      changed: written.changedPoints,
      added: written.newPoints,
      vanished: written.vanishedPoints,
    },
    revision: written.revision,
    rawResponseId: source.id,
    latestAnswer: source.id === ids[0],
    ...(reason === null ? {} : { reason }),
  };
}

/** Which days of a range reprocessing can re-derive, and which have no stored answer. */
export async function planReprocess(
  pool: pg.Pool,
  input: { dataset: Dataset; from: DeliveryDay; to: DeliveryDay },
): Promise<ReprocessPlan> {
  const stored = new Set(await daysWithStoredAnswers(pool, input.dataset, input.from, input.to));
  const all = daysInRange(input.from, input.to);
  return {
    days: all.filter((day) => stored.has(day)),
    withoutRawAnswer: all.filter((day) => !stored.has(day)),
  };
}

/** The reprocessing activities' dependencies, with the retry horizon of a day's reprocessing. */
export type ReprocessActivityDeps = StoreDeps;

/**
 * The outcomes an earlier attempt of the same batch heartbeated, in the order of its days: the retry resumes after
 * them. Anything else (no details, another batch's) resumes nothing.
 */
function resumedOutcomes(details: unknown, days: readonly DeliveryDay[]): ReprocessBatchOutcome[] {
  if (!Array.isArray(details) || details.length > days.length) return [];
  const ours = details.every(
    (outcome: unknown, i) =>
      typeof outcome === 'object' && outcome !== null && 'day' in outcome && outcome.day === days[i],
  );
  return ours ? (details as ReprocessBatchOutcome[]) : [];
}

export function createReprocessActivities(deps: ReprocessActivityDeps) {
  const retryHorizonMs = deps.retryHorizonMs ?? DATABASE_RETRY_HORIZON.defaultMs;
  const secrets = deps.secrets ?? [];
  const retried = <T>(action: string, horizonStartMs: number | undefined, work: () => Promise<T>) =>
    withinRetryHorizon(retryHorizonMs, horizonStartMs, () => withDatabaseFailures(action, work, secrets));

  /** One day re-derived, logged and counted; a day that cannot be is a non-retryable failure saying why. */
  const reprocessCounted = async (
    dataset: Dataset,
    day: DeliveryDay,
    horizonStartMs: number | undefined,
  ): Promise<ReprocessDayResult> => {
    const context = Context.current();
    try {
      const result = await retried(`reprocess ${day}`, horizonStartMs, () =>
        reprocessDay(deps, {
          dataset,
          day,
          workflowId: context.info.workflowExecution?.workflowId ?? null,
          dryRun: false,
        }),
      );
      context.log.info('day reprocessed', { ...result });
      recordReprocessedDay(result.changed ? 'changed' : 'unchanged', result.values);
      return result;
    } catch (error) {
      if (error instanceof NoStoredAnswer) {
        recordReprocessedDay('no_stored_answer');
        throw ApplicationFailure.nonRetryable(error.message, 'NoStoredAnswer');
      }
      // Nothing was written: the operator makes the archive reachable and reprocesses the day again.
      if (error instanceof ArchivedBodyUnreadable)
        throw ApplicationFailure.nonRetryable(`reprocess ${day}: ${error.message}`, 'ArchivedBodyUnreadable');
      throw error;
    }
  };

  return {
    planReprocessDays: (input: { dataset: Dataset; from: DeliveryDay; to: DeliveryDay }) =>
      retried(`plan the reprocessing of ${input.from}..${input.to}`, undefined, () =>
        withHeartbeat(() => planReprocess(deps.pool, input)),
      ),

    reprocessStoredDay: (input: {
      dataset: Dataset;
      day: DeliveryDay;
      /** When the day's reprocessing workflow started (epoch ms): the retry horizon counts from here. */
      horizonStartMs?: number;
    }): Promise<ReprocessDayResult> => reprocessCounted(input.dataset, input.day, input.horizonStartMs),

    /**
     * Re-derives a batch of days one after the other (reprocessWorkflow: one activity for many days instead of a
     * child workflow per day), heartbeating the outcomes so far. A retry resumes after the last day heartbeated; the
     * retry horizon counts from the batch's first attempt. A day that cannot be re-derived (no stored answer, an
     * archived body out of reach, database work given up past the horizon) is a failed outcome with its reason, and
     * the batch goes on; a database failure within the horizon fails the attempt, which the server retries. A
     * cancellation is seen between two days, never inside a day's write.
     */
    reprocessStoredDays: async (input: {
      dataset: Dataset;
      days: DeliveryDay[];
    }): Promise<ReprocessBatchOutcome[]> => {
      const context = Context.current();
      const outcomes = resumedOutcomes(context.info.heartbeatDetails, input.days);
      const work = async () => {
        for (const day of input.days.slice(outcomes.length)) {
          if (context.cancellationSignal.aborted) await context.cancelled;
          try {
            outcomes.push({ day, ok: true, result: await reprocessCounted(input.dataset, day, undefined) });
          } catch (error) {
            if (!(error instanceof ApplicationFailure && error.nonRetryable)) throw error;
            outcomes.push({ day, ok: false, reason: `reprocessing ${day} failed: ${error.message}` });
          }
          context.heartbeat(outcomes);
        }
        return outcomes;
      };
      return withHeartbeat(work, HEARTBEAT_INTERVAL_MS, () => outcomes);
    },
  };
}

export type ReprocessActivities = ReturnType<typeof createReprocessActivities>;
