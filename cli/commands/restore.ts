// `npx jao restore --from <archive URL> [--from-day D --to-day D] [--merge] [--wait]`: rebuilds the database of
// DATABASE_URL from an archive as the durable restore workflow (docs/archive.md), with zero requests to JAO.
// Exit 0: started (or, with --wait, done); 2: a usage mistake, a bad URL, a database that holds days without
// --merge, or workers that write to another database than DATABASE_URL's; 1: the restore failed.
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { parseArchiveUrl } from '../../archive/archiveUrl';
import { checkRestoreTarget, RestoreRefused } from '../../archive/restore';
import { connectClient } from '../../common/temporal';
import { type DatabaseIdentity, readDatabaseIdentity } from '../../db/databaseIdentity';
import { createPool } from '../../db/pool';
import {
  parseRestoreInput,
  RESTORE_WORKFLOW_ID,
  type RestoreProgressView,
  type RestoreRequest,
  restoreProgressLine,
} from '../../domain/archiveInputs';
import type { restoreWorkflow } from '../../workflows';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import { COMMAND_OPTIONS } from '../options';
import { pollProgress } from '../progressLine';
import { refuseOtherWorkerDatabase } from '../workerDatabase';
import { resultThroughOutages } from './backfill';

const OPTIONS = COMMAND_OPTIONS.restore;

export function parseRestoreArgs(argv: string[]): { request: RestoreRequest; wait: boolean } {
  const { values } = parseCommandArgs('restore', argv, OPTIONS, 0);
  if (!values.from)
    throw new UsageError('restore: --from <archive URL> is required (file:///… or s3://bucket/prefix)');
  parseArchiveUrl(values.from, '--from');
  const parsed = parseRestoreInput({
    from: values.from,
    ...(values['from-day'] === undefined ? {} : { fromDay: values['from-day'] }),
    ...(values['to-day'] === undefined ? {} : { toDay: values['to-day'] }),
    merge: values.merge ?? false,
  });
  if (!parsed.ok)
    throw new UsageError(
      `restore: ${parsed.message.replace('fromDay', '--from-day').replace('toDay', '--to-day')}`,
    );
  return { request: parsed.value, wait: values.wait ?? false };
}

export async function restoreCommand(argv: string[], io: CliIo): Promise<void> {
  const { request, wait } = parseRestoreArgs(argv);
  const config = configFromEnv(io.env);
  // Refused here too, so the mistake is one line before anything starts (the workflow checks again).
  const pool = createPool(config.DATABASE_URL, { max: 1, applicationName: 'jao restore' });
  let database: DatabaseIdentity;
  try {
    await checkRestoreTarget(pool, request.merge);
    database = await readDatabaseIdentity(pool);
  } catch (error) {
    if (error instanceof RestoreRefused) throw new UsageError(`restore: ${error.message}`);
    throw error;
  } finally {
    await pool.end();
  }
  const temporal = await connectClient(config);
  try {
    // The workers restore into their own database: it must be the one just checked.
    await refuseOtherWorkerDatabase(temporal, config, async () => database);
    const handle = await temporal.client.workflow.start<typeof restoreWorkflow>('restoreWorkflow', {
      workflowId: RESTORE_WORKFLOW_ID,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [request],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      staticSummary: `restore from ${request.from}${request.merge ? ' (merge)' : ''}`,
    });
    io.out(`restore workflow ${handle.workflowId} (run ${handle.firstExecutionRunId}) from ${request.from}`);
    if (!wait) return;
    const stopProgress = pollProgress(io.stderr, async () =>
      restoreProgressLine(await handle.query<RestoreProgressView>('progress')),
    );
    let result: RestoreProgressView;
    try {
      // A failure reaches cli/main.ts, which prints its root cause (cli/errors.ts).
      result = await resultThroughOutages<RestoreProgressView>(handle, io.err);
    } finally {
      await stopProgress();
    }
    io.out(`${restoreProgressLine(result)}; no request to JAO`);
  } finally {
    await temporal.close();
  }
}
