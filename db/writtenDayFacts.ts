// What the write activity reports after a day's write, read inside the write's own transaction (one statement, only
// when any of it is wanted) instead of three reads after the commit.
import type pg from 'pg';
import { withFirstSeenKeys } from '../domain/drift';
import type { DayStatus } from '../domain/types';
import { type DriftColumns, driftOf } from './dayQuality';
import type { WriteDayInput, WrittenDayFacts } from './dayWriteTypes';
import { FACTS_OF_DAY, type FactsRow, toFacts } from './freshness';
import { namedStatement } from './namedStatement';

type WrittenFactsRow = { [K in keyof DriftColumns]: DriftColumns[K] | null } & {
  latest_complete_day: string | null;
} & { [K in keyof FactsRow as `first_${K}`]: FactsRow[K] | null };

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
          latest.day AS latest_complete_day,
          first_completion.day AS first_day, first_completion.published_after AS first_published_after,
          first_completion.seen_at AS first_seen_at, first_completion.stored_at AS first_stored_at
     FROM (SELECT 1) AS one
     LEFT JOIN jao.day_quality q ON :withDrift::boolean AND q.dataset = :dataset AND q.day = :day::date
     LEFT JOIN LATERAL (
       SELECT max(l.day)::text AS day FROM jao.delivery_day l
        WHERE :withLatestComplete::boolean AND l.dataset = :dataset AND l.status = 'complete') AS latest ON true
     -- the write first made the day complete: it set first_complete_at and last_checked_at to its own time
     LEFT JOIN LATERAL (
       SELECT d.day::text AS day, empty.at AS published_after, seen.fetched_at AS seen_at,
              d.first_complete_at AS stored_at
         FROM jao.delivery_day d ${FACTS_OF_DAY}
        WHERE :withFirstCompletion::boolean AND d.dataset = :dataset AND d.day = :day::date
          AND d.first_complete_at = d.last_checked_at AND d.last_raw_response_id = :rawResponseId) AS first_completion ON true`,
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
  const withFirstCompletion = complete && written.contentChanged && input.rawResponseId !== null;
  if (!written.contentChanged && !complete)
    return { drift: null, latestCompleteDay: null, firstCompletion: null };
  const result = await WRITTEN_DAY_FACTS.run(client, {
    dataset: input.dataset,
    day: input.day,
    withDrift: written.contentChanged,
    withLatestComplete: complete,
    withFirstCompletion,
    rawResponseId: input.rawResponseId,
  });
  const row = result.rows[0]!;
  const drift = row.drift === null ? null : driftOf({ ...row, drift: row.drift }, input);
  // Keys no earlier day of the dataset carried are drift too, whatever the previous day held (domain/drift.ts).
  const firstSeen = written.contentChanged ? firstSeenKeys : [];
  return {
    drift: withFirstSeenKeys(drift, firstSeen, input.validated?.resolutionMinutes ?? null),
    latestCompleteDay: row.latest_complete_day,
    firstCompletion:
      row.first_day === null
        ? null
        : toFacts({
            day: row.first_day,
            published_after: row.first_published_after,
            seen_at: row.first_seen_at,
            stored_at: row.first_stored_at,
          }),
  };
}
