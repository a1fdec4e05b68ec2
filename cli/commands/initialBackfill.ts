// `jao start`'s first backfill: started or attached to, and what it left in this start's database once it ends.
import { type IncompleteDay, incompleteDays } from '../../activities/plan';
import type { Config } from '../../common/config';
import { connectClient } from '../../common/temporal';
import { openBackfill } from '../../control/runStarts';
import { daysInRange } from '../../domain/calendar';
import type { BackfillRequest } from '../../domain/workflowInputs';
import { withPool } from '../context';
import { marketInstant } from '../marketTime';
import { datasetLabel, resultThroughOutages } from './backfill';

/** Days named in full in the closing line; more are counted. */
const DAYS_NAMED = 5;

export interface RangeInDatabase {
  days: number;
  complete: number;
  /** Every day of the range not complete in the database, with its status (null: no row). */
  notComplete: IncompleteDay[];
}

export async function readRangeInDatabase(
  databaseUrl: string,
  request: Pick<BackfillRequest, 'dataset' | 'from' | 'to'>,
): Promise<RangeInDatabase> {
  const days = daysInRange(request.from, request.to);
  const notComplete = await withPool(databaseUrl, { max: 1, applicationName: 'jao-start' }, (pool) =>
    incompleteDays(pool, { dataset: request.dataset, days }),
  );
  return { days: days.length, complete: days.length - notComplete.length, notComplete };
}

export function describeRange(range: RangeInDatabase): string {
  const head = `${range.complete} of ${range.days} days complete in this database`;
  if (range.notComplete.length === 0) return head;
  const named = range.notComplete
    .slice(0, DAYS_NAMED)
    .map(({ day, status }) => `${day} ${status ?? 'absent'}`)
    .join(', ');
  const more = range.notComplete.length - DAYS_NAMED;
  return `${head}; not complete: ${named}${more > 0 ? ` and ${more} more` : ''}`;
}

export interface BackfillWatch {
  /** Every day of the range was complete already: no backfill was started. */
  nothingToDo: boolean;
  /** Resolves once the watch is over: true when the backfill ended, false when the watch was stopped first. */
  ended: Promise<boolean>;
  /** Stops watching (the backfill itself goes on in Temporal). */
  stop(): Promise<void>;
}

/**
 * Starts the backfill or resumes the run going on, says which, and once it ends says what this database holds of its
 * range: the counts come from the database, never from the run's own tally. A range this database already holds
 * complete starts nothing (a restart would otherwise add a backfill per dataset that has nothing to do).
 */
export async function startInitialBackfill(
  config: Config,
  request: BackfillRequest,
  say: (line: string) => void,
): Promise<BackfillWatch> {
  const label = `initial backfill of ${datasetLabel(request.dataset)}${request.from}..${request.to}`;
  const before = await readRangeInDatabase(config.DATABASE_URL, request);
  if (before.notComplete.length === 0) {
    say(`${label}: nothing to do, all ${before.days} days complete in this database`);
    return { nothingToDo: true, ended: Promise.resolve(true), stop: async () => {} };
  }
  const temporal = await connectClient(config);
  const stopped = new AbortController();
  let watching: Promise<boolean>;
  try {
    const { handle, workflowId, runId, attachedSince } = await openBackfill(
      temporal.client,
      config.TEMPORAL_TASK_QUEUE,
      request,
    );
    say(
      attachedSince
        ? `${label}: resumed ${workflowId} (run ${runId}), running since ${marketInstant(attachedSince)}; before it ends it checks every day it counts complete against this database (${before.complete} of ${before.days} days complete now)`
        : `${label}: started ${workflowId} (run ${runId}); ${before.complete} of ${before.days} days already complete in this database`,
    );
    watching = (async () => {
      let ending = 'ended';
      try {
        // The signal also ends the wait in flight (a long poll of the server), not only the next one.
        await temporal.connection.withAbortSignal(stopped.signal, () =>
          resultThroughOutages(handle, say, stopped.signal),
        );
      } catch (error) {
        if (stopped.signal.aborted) return false;
        ending = `ended without a result (${error instanceof Error ? error.message : String(error)})`;
      }
      say(`${label} ${ending}: ${describeRange(await readRangeInDatabase(config.DATABASE_URL, request))}`);
      return true;
    })().catch((error: unknown) => {
      if (!stopped.signal.aborted) say(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    });
  } catch (error) {
    await temporal.close();
    throw error;
  }
  return {
    nothingToDo: false,
    ended: watching,
    async stop() {
      stopped.abort();
      await temporal.close();
      await watching;
    },
  };
}
