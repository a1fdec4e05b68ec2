// The archive's workflows (docs/archive.md). archiveWorkflow, started by the archive schedule, ships every write not
// archived yet; restoreWorkflow rebuilds a database from an archive, batch by batch, resumable at its last batch
// after a crash, with its progress in a query, its current details and the CLI. Neither reaches JAO.
import {
  ApplicationFailure,
  continueAsNew,
  defineQuery,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import type { RestorePlan } from '../archive/restore';
import type { ShippedDays } from '../archive/ship';
import {
  parseRestoreInput,
  type RestoreInput,
  type RestoreProgressView,
  restoreProgressLine,
} from '../domain/archiveInputs';
import { archiveActivities } from './activities';
import { INVALID_INPUT } from './deliveryDay';

export const restoreProgressQuery = defineQuery<RestoreProgressView>('progress');

export interface ArchiveRunResult {
  location: string;
  shipped: number;
  /** The days of the writes shipped, per dataset (absent from runs before release 1.2.0). */
  shippedDays?: ShippedDays[];
  answersWritten: number;
  pending: number;
  /** Raw bodies dropped under RAW_RETENTION_DAYS after shipping (absent when no retention is set). */
  bodiesDropped?: number;
}

/**
 * What a run shipped, as its details in the Web UI say (Markdown): the writes, then a line per dataset with the days
 * they were of.
 */
export function describeShipped(result: ArchiveRunResult): string {
  const days = (result.shippedDays ?? []).map(
    (of) =>
      `- ${of.dataset}: ${of.days} day(s), ${of.first === of.last ? of.first : `${of.first}..${of.last}`}`,
  );
  const shipped = `shipped ${result.shipped} write(s) to ${result.location} (${result.answersWritten} new answer(s)); ${result.pending} waiting`;
  return days.length ? `${shipped}\n\n${days.join('\n')}` : shipped;
}

/** Ships what is not archived yet (the archive schedule's action; `jao archive` does the same in its process). */
export async function archiveWorkflow(): Promise<ArchiveRunResult> {
  setCurrentDetails('shipping the writes not archived yet');
  const result = await archiveActivities.shipToArchive();
  setCurrentDetails(describeShipped(result));
  return result;
}

/** State carried across continue-as-new. Fields are only ever added, optional with a default. */
export interface RestoreCarry {
  plan: RestorePlan;
  after: string | null;
  progress: RestoreProgressView;
}

export async function restoreWorkflow(
  input: RestoreInput,
  carry?: RestoreCarry,
): Promise<RestoreProgressView> {
  const parsed = parseRestoreInput(input);
  if (!parsed.ok)
    throw ApplicationFailure.nonRetryable(`invalid restore input: ${parsed.message}`, INVALID_INPUT);
  const { from, fromDay, toDay, merge, batchSize, batchesPerRun } = parsed.value;
  const range = { ...(fromDay ? { fromDay } : {}), ...(toDay ? { toDay } : {}) };

  let progress: RestoreProgressView = carry?.progress ?? {
    from,
    total: 0,
    applied: 0,
    skipped: 0,
    lastDay: null,
    done: false,
  };
  setHandler(restoreProgressQuery, () => progress);
  const show = () => setCurrentDetails(restoreProgressLine(progress));
  show();

  let plan = carry?.plan;
  if (!plan) {
    // Refuses a database that holds days (unless merging): checked once, before the first write of the restore.
    ({ plan } = await archiveActivities.planArchiveRestore({ from, merge, ...range }));
    progress = { ...progress, total: plan.total };
    show();
  }
  let after = carry?.after ?? null;
  for (let batches = 0; batches < batchesPerRun; batches++) {
    const batch = await archiveActivities.restoreArchiveBatch({
      from,
      plan,
      after,
      limit: batchSize,
      ...range,
    });
    after = batch.lastKey ?? after;
    progress = {
      ...progress,
      applied: progress.applied + batch.applied,
      skipped: progress.skipped + batch.skipped,
      lastDay: batch.lastDay ?? progress.lastDay,
      done: batch.done,
    };
    show();
    if (batch.done) return progress;
  }
  return continueAsNew<typeof restoreWorkflow>(input, { plan, after, progress });
}
