// What the write activity reports after a day's write, read inside the write's own transaction (one statement, only
// when any of it is wanted) instead of three reads after the commit.
import type pg from 'pg';
import { withFirstSeenKeys } from '../domain/drift';
import type { PublicationTimes } from '../domain/freshness';
import type { DayStatus } from '../domain/types';
import { type DriftColumns, driftOf } from './dayQuality';
import type { WriteDayInput, WrittenDayFacts } from './dayWriteTypes';
import { firstCompletionSql } from './freshness';
import { namedStatement } from './namedStatement';

type WrittenFactsRow = { [K in keyof DriftColumns]: DriftColumns[K] | null } & {
  latest_complete_day: string | null;
} & { [K in keyof PublicationTimes]: PublicationTimes[K] | null };

const WRITTEN_DAY_FACTS = namedStatement<
  {
    dataset: string;
    day: string;
    withDrift: boolean;
    withLatestComplete: boolean;
    withFirstCompletion: boolean;
    rawResponseId: number | null;
  },
  WrittenFactsRow
>(
  'jao.writeDay.writtenDayFacts',
  `SELECT q.drift, q.previous_day::text AS previous_day, q.resolution_minutes, q.previous_resolution_minutes,
          q.keys_added, q.keys_vanished, q.empty_keys_with_values,
          latest.day AS latest_complete_day, first_completion.*
     FROM (SELECT 1) AS one
     LEFT JOIN jao.day_quality q ON :withDrift::boolean AND q.dataset = :dataset AND q.day = :day::date
     LEFT JOIN LATERAL (
       SELECT max(l.day)::text AS day FROM jao.delivery_day l
        WHERE :withLatestComplete::boolean AND l.dataset = :dataset AND l.status = 'complete') AS latest ON true
     LEFT JOIN LATERAL (${firstCompletionSql(':dataset', ':day', ':rawResponseId')}
          AND :withFirstCompletion::boolean) AS first_completion ON true`,
);

/**
 * Reads, under the day's lock after its record is written, the facts the write's caller reports: drift when the
 * content changed (with the keys seen first, by the day's lane), the latest complete day when the day is complete, and the publication facts when this write first
 * made it complete. No round trip when none applies.
 */
export async function readWrittenDayFacts(
  client: pg.PoolClient,
  input: WriteDayInput,
  written: { status: DayStatus; contentChanged: boolean },
  firstSeenKeys: readonly string[],
): Promise<WrittenDayFacts> {
  const complete = written.status === 'complete';
  if (!written.contentChanged && !complete)
    return { drift: null, latestCompleteDay: null, firstCompletion: null };
  const result = await WRITTEN_DAY_FACTS.run(client, {
    dataset: input.dataset,
    day: input.day,
    withDrift: written.contentChanged,
    withLatestComplete: complete,
    withFirstCompletion: complete && written.contentChanged && input.rawResponseId !== null,
    rawResponseId: input.rawResponseId,
  });
  const row = result.rows[0]!;
  const { day, publishedAfter, seenAt, storedAt } = row;
  const drift = row.drift === null ? null : driftOf({ ...row, drift: row.drift }, input);
  // Keys no earlier day of the dataset carried are drift too, whatever the previous day held (domain/drift.ts).
  const firstSeen = written.contentChanged ? firstSeenKeys : [];
  return {
    drift: withFirstSeenKeys(drift, firstSeen, input.validated?.resolutionMinutes ?? null),
    latestCompleteDay: row.latest_complete_day,
    firstCompletion: day === null ? null : { day, publishedAfter, seenAt, storedAt },
  };
}
