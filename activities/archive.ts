// The archive's activities (docs/archive.md): shipping the writes not archived yet (then, under RAW_RETENTION_DAYS,
// dropping the old bodies the archive holds), and restoring a database from an archive batch by batch. Neither has
// a JAO client: nothing they do reaches JAO.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type pg from 'pg';
import { archivedBodyReader } from '../archive/archivedBody';
import { openArchiveStore } from '../archive/openStore';
import { pruneArchivedBodies } from '../archive/prune';
import {
  checkRestoreTarget,
  NotAnArchive,
  planRestore,
  type RestoreBatchResult,
  type RestorePlan,
  type RestoreRange,
  RestoreRefused,
  restoreBatch,
} from '../archive/restore';
import { type ShipProgress, shipPendingWrites } from '../archive/ship';
import type { ArchiveStore } from '../archive/store';
import { ConfigError } from '../common/config';
import type { ArchivedBodyReader } from '../db/storedAnswer';
import { ARCHIVE_MISCONFIGURED, RESTORE_REFUSED } from '../domain/archiveInputs';
import { withHeartbeat } from './heartbeat';
import { recordDroppedRawBodies } from './metrics';

export interface ArchiveDeps {
  pool: pg.Pool;
  /** ARCHIVE_URL (undefined: the default under the data directory). */
  archiveUrl?: string;
  /** JAO_MAX_BODY_BYTES: a restored answer larger than its dataset's bound from it (domain/storedAnswerLimit.ts) is refused. */
  maxBodyBytes?: number;
  /** RAW_RETENTION_DAYS: after shipping, bodies archived and older than this leave the database (unset: none). */
  rawRetentionDays?: number;
  /** Called after a restored batch wrote days (the keeper of the bad-day markers: activities/badDays.ts). */
  onOutcomeChanged?: () => Promise<void>;
}

/** What one run of the archive did. `bodiesDropped` is absent when no retention is set. */
export type ArchiveRunProgress = ShipProgress & { location: string; bodiesDropped?: number };

export interface RestoreTargetInput extends RestoreRange {
  from: string;
  merge: boolean;
}

export interface RestoreBatchInput extends RestoreRange {
  from: string;
  plan: RestorePlan;
  after: string | null;
  limit: number;
}

/** Runs `work`: a mistake the user must correct fails the workflow at once; anything else (an outage) is retried. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RestoreRefused)
      throw ApplicationFailure.nonRetryable(error.message, RESTORE_REFUSED);
    if (error instanceof ConfigError || error instanceof NotAnArchive)
      throw ApplicationFailure.nonRetryable(error.message, ARCHIVE_MISCONFIGURED);
    throw error;
  }
}

/** The archive at a URL (undefined: ARCHIVE_URL), opened on first use and again after a failed opening. */
function archiveOpener(env: NodeJS.ProcessEnv): (url: string | undefined) => Promise<ArchiveStore> {
  const stores = new Map<string, Promise<ArchiveStore>>();
  return (url) => {
    const key = url ?? '';
    let store = stores.get(key);
    if (!store) {
      store = openArchiveStore(url, env);
      stores.set(key, store);
      store.catch(() => stores.delete(key));
    }
    return store;
  };
}

/** Reads bodies dropped under RAW_RETENTION_DAYS back from the archive at `archiveUrl` (undefined: ARCHIVE_URL). */
export function createArchivedBodyReader(
  archiveUrl?: string,
  env: NodeJS.ProcessEnv = process.env,
): ArchivedBodyReader {
  const storeAt = archiveOpener(env);
  return archivedBodyReader(() => storeAt(archiveUrl));
}

export function createArchiveActivities({
  pool,
  archiveUrl,
  maxBodyBytes,
  rawRetentionDays,
  onOutcomeChanged,
}: ArchiveDeps) {
  const storeAt = archiveOpener(process.env);

  return {
    /**
     * Ships every write not archived yet to ARCHIVE_URL, heartbeating its progress after each batch; then, under
     * RAW_RETENTION_DAYS, drops the bodies of old answers whose archive object it read back with the right hash.
     */
    shipToArchive: (): Promise<ArchiveRunProgress> =>
      guarded(async () => {
        const store = await storeAt(archiveUrl);
        const { cancellationSignal } = Context.current();
        const progress = await shipPendingWrites(pool, store, {
          onProgress: (p) => Context.current().heartbeat(p),
          signal: cancellationSignal,
        });
        // Cancelled (a worker shutting down): what was shipped is marked, the rest waits for the next run.
        cancellationSignal.throwIfAborted();
        if (rawRetentionDays === undefined) return { ...progress, location: store.location };
        const pruned = await pruneArchivedBodies(pool, store, rawRetentionDays);
        recordDroppedRawBodies(pruned.dropped);
        const log = Context.current().log;
        log.info(`raw bodies dropped: ${pruned.dropped} (RAW_RETENTION_DAYS ${rawRetentionDays})`, {
          bodiesDropped: pruned.dropped,
          rawRetentionDays,
        });
        for (const fault of pruned.faults) log.warn(fault);
        return { ...progress, location: store.location, bodiesDropped: pruned.dropped };
      }),

    /** Checks the database may be restored into (refused when it holds days, unless merging) and counts the work. */
    planArchiveRestore: (input: RestoreTargetInput): Promise<{ plan: RestorePlan; heldDays: number }> =>
      guarded(async () => {
        const { heldDays } = await checkRestoreTarget(pool, input.merge);
        const plan = await planRestore(await storeAt(input.from), input);
        return { plan, heldDays };
      }),

    /** Restores the next batch of the journal after `after`. */
    restoreArchiveBatch: (input: RestoreBatchInput): Promise<RestoreBatchResult> =>
      guarded(async () => {
        const store = await storeAt(input.from);
        const restore = async () => {
          const batch = await restoreBatch(
            pool,
            store,
            input.plan,
            input,
            { after: input.after },
            input.limit,
            maxBodyBytes,
          );
          // Restored days may be bad ones: one word to the keeper of the markers per batch that wrote any.
          if (batch.applied > 0) await onOutcomeChanged?.();
          return batch;
        };
        return withHeartbeat(restore, 5_000, () => input.after);
      }),
  };
}

export type ArchiveActivities = ReturnType<typeof createArchiveActivities>;
