// A command that starts work only through Temporal (backfill, rerun, reprocess) is refused, before it starts
// anything, when the running workers of its task queue write to another database than the one its own environment
// names (cli/workerDatabase.ts, control/workerDatabase.ts); it starts its workflow when they write to the same one,
// or when its environment names none. The command's environment is the one it is given (a test's, in-process), not
// the test process's. In a namespace of the file's own.
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readWorkerDatabases } from '../../control/workerDatabase';
import { type DatabaseIdentity, describeDatabase, readDatabaseIdentity } from '../../db/databaseIdentity';
import { reprocessWorkflowId } from '../../domain/reprocessInputs';
import { backfillWorkflowId, dayWorkflowId } from '../../domain/workflowInputs';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { untilRead } from '../helpers/until';

/** Each command with days of its own, so that no run of one is another's. */
const COMMANDS = [
  {
    command: 'backfill',
    args: (day: string) => ['backfill', '--from', day, '--to', day],
    workflowId: (day: string) => backfillWorkflowId('maxExchanges', day, day, 'missing'),
    days: { refused: '2024-02-01', proceeds: '2024-02-02' },
  },
  {
    command: 'rerun',
    args: (day: string) => ['rerun', day],
    workflowId: (day: string) => dayWorkflowId('maxExchanges', day),
    days: { refused: '2024-02-03', proceeds: '2024-02-04' },
  },
  {
    command: 'reprocess',
    args: (day: string) => ['reprocess', '--from', day, '--to', day],
    workflowId: (day: string) => reprocessWorkflowId('maxExchanges', day, day),
    days: { refused: '2024-02-05', proceeds: '2024-02-06' },
  },
] as const;

describe("a command that starts work through Temporal, and the workers' database", () => {
  let h: PipelineHarness;
  let other: TestDatabase;
  let theirs: DatabaseIdentity;
  let mine: DatabaseIdentity;

  beforeAll(async () => {
    const namespace = await createTestNamespace('worker-database');
    h = await createPipelineHarness('worker-database', {}, { namespace });
    await h.startWorkers();
    other = await createTestDatabase();
    theirs = await readDatabaseIdentity(h.db.pool);
    mine = await readDatabaseIdentity(other.pool);
    // The workers name their database to the commands once the server lists them with the queue's pollers.
    await untilRead(
      "the workers listed with their database among the task queue's pollers",
      () => readWorkerDatabases(h.temporal.connection, namespace, h.taskQueue),
      (workers) => workers?.some((worker) => worker.key === theirs.key) ?? false,
    );
  }, 120_000);

  afterAll(async () => {
    await other?.release();
    await h?.close();
  });

  const cliEnv = (databaseUrl: string) => ({
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: h.temporal.namespace,
    TEMPORAL_TASK_QUEUE: h.taskQueue,
  });

  const expectStarted = async (workflowId: string, run: { code: number; stdout: string; stderr: string }) => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain(workflowId);
    const described = await h.temporal.client.workflow.getHandle(workflowId).describe();
    expect(described.taskQueue).toBe(h.taskQueue);
  };

  it.each(COMMANDS)(
    "refuses a $command whose DATABASE_URL is not the workers' database, naming both, before starting it",
    async ({ command, args, workflowId, days }) => {
      const refused = await runCli(args(days.refused), cliEnv(other.url));
      expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: '' });
      expect(refused.stderr).toBe(
        `jao ${command}: the worker of task queue ${h.taskQueue} writes to database ${describeDatabase(theirs)}, ` +
          `but DATABASE_URL names database ${describeDatabase(mine)}: point DATABASE_URL at the worker's database, ` +
          'or stop the worker and start one on this database\n',
      );
      await expect(h.temporal.client.workflow.getHandle(workflowId(days.refused)).describe()).rejects.toThrow(
        WorkflowNotFoundError,
      );
    },
  );

  it.each(COMMANDS)(
    "starts a $command whose DATABASE_URL is the workers' database",
    async ({ args, workflowId, days }) => {
      await expectStarted(workflowId(days.proceeds), await runCli(args(days.proceeds), cliEnv(h.db.url)));
    },
  );

  it('starts a command whose environment names no database (DATABASE_URL empty), whatever the process holds', async () => {
    // Its default database is not the workers': compared, it would be refused.
    const day = '2024-02-07';
    await expectStarted(
      backfillWorkflowId('maxExchanges', day, day, 'missing'),
      await runCli(['backfill', '--from', day, '--to', day], cliEnv('')),
    );
  });
});
