// Inputs, ids and progress of the archive's workflows (docs/archive.md): shipping writes to the archive, and
// restoring a database from it. Pure: imported by workflows, activities and the CLI.
import type { z } from 'zod';
import type { DeliveryDay } from './types';
import { type Parsed, parsedOf } from './workflowInputs';
import { deliveryDaySchema, lazily, zod } from './zod';

/** One restore at a time per task queue: a second start attaches to the running one (jao restore). */
export const RESTORE_WORKFLOW_ID = 'archive/restore';
/** Failure types the archive's activities raise for mistakes a retry cannot mend. */
export const RESTORE_REFUSED = 'RestoreRefused';
export const ARCHIVE_MISCONFIGURED = 'ArchiveMisconfigured';

/** The archive schedule's workflow (per task queue, control/archiveSchedule.ts). */
export const ARCHIVE_WORKFLOW_ID = 'archive/ship';

function buildSchemas() {
  const z = zod();
  const deliveryDay = deliveryDaySchema();
  return {
    restore: z
      .object({
        /** The archive's URL (file:///… or s3://bucket/prefix); checked by the activity that opens it. */
        from: z.string().min(1, 'from must name an archive (file:///… or s3://bucket/prefix)'),
        fromDay: deliveryDay.optional(),
        toDay: deliveryDay.optional(),
        merge: z.boolean().default(false),
        /** Journal entries restored per activity. */
        batchSize: z.number().int().min(1).max(5_000).default(500),
        /** Batches per run before continuing as new, which keeps each run's history small. */
        batchesPerRun: z.number().int().min(1).max(1_000).default(200),
      })
      .refine((input) => !input.fromDay || !input.toDay || input.fromDay <= input.toDay, {
        error: 'the range is reversed: fromDay is after toDay',
      }),
  };
}

type Schemas = ReturnType<typeof buildSchemas>;
const inputSchemas = lazily(buildSchemas);

export type RestoreInput = z.input<Schemas['restore']>;
export type RestoreRequest = z.output<Schemas['restore']>;

export function parseRestoreInput(raw: unknown): Parsed<RestoreRequest> {
  return parsedOf(inputSchemas().restore.safeParse(raw));
}

/** Where a restore stands: its query `progress`, its current details, the CLI's progress line. */
export interface RestoreProgressView {
  from: string;
  total: number;
  applied: number;
  skipped: number;
  lastDay: DeliveryDay | null;
  done: boolean;
}

/**
 * `restore from …: 50/200 writes (25%), …`. The total is counted before the first write; until then (total 0, not
 * done) the line says it is counting rather than showing a share of nothing.
 */
export function restoreProgressLine(progress: RestoreProgressView): string {
  if (progress.total === 0) {
    return progress.done
      ? `restore from ${progress.from}: no write in the archive's range, done`
      : `restore from ${progress.from}: counting the archive's writes`;
  }
  const handled = progress.applied + progress.skipped;
  const share = Math.floor((100 * handled) / progress.total);
  const skipped = progress.skipped > 0 ? `, ${progress.skipped} held already` : '';
  const at = progress.lastDay ? `, at ${progress.lastDay}` : '';
  return `restore from ${progress.from}: ${handled}/${progress.total} writes (${share}%)${skipped}${at}${progress.done ? ', done' : ''}`;
}
