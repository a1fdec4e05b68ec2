// Stub activities for workflow tests: each day ends as a script says, and every call is recorded.
import { ApplicationFailure } from '@temporalio/common';
import type { FetchedDay, StoreActivities } from '../../activities';
import { daysInRange } from '../../domain/calendar';
import { FAILURE_TYPES } from '../../domain/failureTypes';
import type { DayStatus, DeliveryDay } from '../../domain/types';
import type { DayResult } from '../../domain/workflowInputs';
import type { StubActivities } from './workflowEnvironment';

/** How one run of a day ends: a stored status, the fetch failing for good, or the write failing for good. */
export type StubOutcome = Exclude<DayStatus, 'failed'> | { fetchFails: string } | { writeFails: string };

/** Decides the outcome of the `attempt`-th fetch of `day` (1-based); may wait, e.g. to keep a day running. */
export type StubScript = (day: DeliveryDay, attempt: number) => StubOutcome | Promise<StubOutcome>;

export interface StubCalls {
  fetches: DeliveryDay[];
  writes: DeliveryDay[];
  failures: { day: DeliveryDay; error: string }[];
  plans: number;
  /** Backfill re-checks of its days against the "database" (what the stubs stored). */
  rechecks: number;
  statusReads: number;
  /** Asks whether the polls stand down (pollsStandDown). */
  modeReads: number;
}

export const REASONS: Record<Exclude<DayStatus, 'failed' | 'complete'>, string> = {
  partial: '1 of 24 MTUs missing',
  invalid: 'not a JAO envelope',
  not_published: 'JAO has not published the day yet',
};

export interface Stubs {
  stubs: StubActivities;
  /** The calls since the start, or since the last reset. */
  calls: StubCalls;
  /** Forgets the calls and what was stored, and follows `script` from now on (workers stay as they are). */
  reset(script: StubScript): void;
  /** Whether JAO's monitoring of the region is healthy, as pollsStandDown answers (default false: the polls run). */
  monitoring: { healthy: boolean };
}

/** Stubs that follow `script`; storedDayStatus answers the status of the day's last write (null: none). */
export function stubActivities(initialScript: StubScript): Stubs {
  let script = initialScript;
  const calls: StubCalls = {
    fetches: [],
    writes: [],
    failures: [],
    plans: 0,
    rechecks: 0,
    statusReads: 0,
    modeReads: 0,
  };
  const monitoring = { healthy: false };
  const outcomes = new Map<number, StubOutcome>();
  const stored = new Map<DeliveryDay, DayStatus>();
  let nextRawResponseId = 1;

  const outcomeOf = (rawResponseId: number): StubOutcome => {
    const outcome = outcomes.get(rawResponseId);
    if (outcome === undefined) throw new Error(`no stub fetch returned raw response ${rawResponseId}`);
    return outcome;
  };
  const statusOf = (outcome: StubOutcome): Exclude<DayStatus, 'failed'> =>
    typeof outcome === 'string' ? outcome : 'complete';
  const reasonOf = (status: Exclude<DayStatus, 'failed'>) =>
    status === 'complete' ? undefined : REASONS[status];

  const store: StoreActivities = {
    async assemblePagedDay() {
      throw new Error('the stub activities serve the border datasets only: no paged day to assemble');
    },
    async validateStoredDay(ref) {
      const status = statusOf(outcomeOf(ref.rawResponseId));
      return {
        status,
        resolutionMinutes: 60,
        expectedMtus: 24,
        receivedMtus: status === 'complete' ? 24 : 0,
        missingMtus: status === 'complete' ? 0 : 24,
        points: 0,
        keys: 0,
        rejections: 0,
        reason: reasonOf(status) ?? null,
      };
    },
    async writeStoredDay(ref) {
      calls.writes.push(ref.day);
      const outcome = outcomeOf(ref.rawResponseId);
      if (typeof outcome === 'object' && 'writeFails' in outcome) {
        throw ApplicationFailure.nonRetryable(outcome.writeFails, FAILURE_TYPES.databaseRefused);
      }
      const status = statusOf(outcome);
      stored.set(ref.day, status);
      const reason = reasonOf(status);
      const result: DayResult = { day: ref.day, status, mtus: 24, points: 0, changedPoints: 0, revision: 1 };
      return reason === undefined ? result : { ...result, reason };
    },
    async recordDayFailure({ day, error }) {
      calls.failures.push({ day, error });
      stored.set(day, 'failed');
    },
    async planBackfillDays({ from, to }) {
      calls.plans += 1;
      return daysInRange(from, to);
    },
    async findIncompleteDays({ days }) {
      calls.rechecks += 1;
      return days
        .filter((day) => stored.get(day) !== 'complete')
        .map((day) => ({ day, status: stored.get(day) ?? null }));
    },
  };

  return {
    calls,
    monitoring,
    reset(next) {
      script = next;
      stored.clear();
      monitoring.healthy = false;
      Object.assign(calls, {
        fetches: [],
        writes: [],
        failures: [],
        plans: 0,
        rechecks: 0,
        statusReads: 0,
        modeReads: 0,
      });
    },
    stubs: {
      fetch: {
        async fetchDomainPage() {
          throw new Error('the stub activities serve the border datasets only: no page to fetch');
        },
        async fetchDayFromJao({ day }): Promise<FetchedDay> {
          calls.fetches.push(day);
          const attempt = calls.fetches.filter((fetched) => fetched === day).length;
          const outcome = await script(day, attempt);
          if (typeof outcome === 'object' && 'fetchFails' in outcome) {
            throw ApplicationFailure.nonRetryable(outcome.fetchFails, FAILURE_TYPES.permanent);
          }
          const rawResponseId = nextRawResponseId++;
          outcomes.set(rawResponseId, outcome);
          return {
            answer: outcome === 'not_published' ? 'not_published' : 'data',
            rawResponseId,
            sha256: `stub-${rawResponseId}`,
            bytes: 0,
            isNew: true,
            requests: 1,
          };
        },
      },
      store,
      freshness: {
        async storedDayStatus({ day }) {
          calls.statusReads += 1;
          return stored.get(day) ?? null;
        },
        async pollsStandDown() {
          calls.modeReads += 1;
          return monitoring.healthy
            ? { standDown: true, region: 'core', reason: "JAO's monitoring of core fetches its days (stub)" }
            : { standDown: false };
        },
      },
    },
  };
}
