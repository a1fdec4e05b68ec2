// Which database the workers of a task queue write to, as a command sees it before it starts a workflow: a command
// that names one database (DATABASE_URL) while the workers write to another would act on the other one (a restore
// into the worker's full database while the command checked an empty one). Each worker puts its database into its
// Temporal identity, which the server lists with the queue's pollers (DescribeTaskQueue) and the Web UI shows; the
// command compares it with the identity of its own database (db/databaseIdentity.ts). Nothing is stored for it and
// no workflow changes.
import { hostname } from 'node:os';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ConfigError } from '../common/config';
import { type DatabaseIdentity, describeDatabase } from '../db/databaseIdentity';
import { fetchTaskQueueOf } from '../domain/workflowInputs';
import { POLLER_ALIVE_MS, pollAgesMs } from './fetchRateLimit';
import { unlessRefused } from './refusal';

/** A database as a worker names it in its identity. */
export interface NamedDatabase {
  /** DatabaseIdentity.key: equal for the same database however it is addressed. */
  key: string;
  /** describeDatabase(): `jao on 127.0.0.1:5432 (system 7711091539950401663)`. */
  description: string;
}

export class WorkerDatabaseMismatch extends ConfigError {
  override name = 'WorkerDatabaseMismatch';
}

const TAG = /; database (.+) \[([0-9a-f]{16})\]$/;

export const namedDatabase = (identity: DatabaseIdentity): NamedDatabase => ({
  key: identity.key,
  description: describeDatabase(identity),
});

/**
 * `4242@host; database jao on 127.0.0.1:5432 (system 77…) [5f0c…]`: the SDK's default identity and the database.
 * Its key only where PostgreSQL tells its system identifier: a key made of the server's address (a managed service
 * refusing pg_control_system()) differs with the path a connection takes, so it is not compared.
 */
export function workerIdentityWith(
  database: DatabaseIdentity,
  base = `${process.pid}@${hostname()}`,
): string {
  const key = comparable(database) ? ` [${database.key}]` : '';
  return `${base}; database ${describeDatabase(database)}${key}`;
}

/** Whether two sides can compare this identity: its key does not depend on how the database was reached. */
export const comparable = (database: DatabaseIdentity): boolean => database.systemIdentifier !== null;

/** The database a worker's identity names; null for a worker that names none (another build, a test's worker). */
export function databaseOfWorker(identity: string): NamedDatabase | null {
  const match = TAG.exec(identity);
  return match ? { description: match[1]!, key: match[2]! } : null;
}

/**
 * The refusal when no running worker writes to the command's database but some name another; null otherwise. A
 * worker restarted on another database can stay listed for POLLER_ALIVE_MS after its last poll, so one worker on
 * the command's database is enough.
 */
export function workerDatabaseMismatch(
  own: NamedDatabase,
  workers: readonly NamedDatabase[],
  taskQueue: string,
): string | null {
  if (workers.length === 0 || workers.some((worker) => worker.key === own.key)) return null;
  const theirs = [...new Set(workers.map((worker) => worker.description))];
  const who = theirs.length === 1 ? 'the worker' : 'the workers';
  return (
    `${who} of task queue ${taskQueue} ${theirs.length === 1 ? 'writes' : 'write'} to database ${theirs.join(' and ')}, ` +
    `but DATABASE_URL names database ${own.description}: point DATABASE_URL at the worker's database, or stop ` +
    'the worker and start one on this database'
  );
}

const ACTIVITY_QUEUE = temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY;

/**
 * The databases named by the workers that polled the task queue or its fetch queue within POLLER_ALIVE_MS; null
 * where Temporal refuses DescribeTaskQueue (a managed namespace): then nothing can be compared.
 */
export async function readWorkerDatabases(
  connection: Pick<Connection, 'workflowService'>,
  namespace: string,
  taskQueue: string,
  now = Date.now(),
): Promise<NamedDatabase[] | null> {
  const found: NamedDatabase[] = [];
  for (const name of [taskQueue, fetchTaskQueueOf(taskQueue)]) {
    const read = await unlessRefused('DescribeTaskQueue', () =>
      connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: ACTIVITY_QUEUE,
      }),
    );
    if (read.refusal) return null;
    const pollers = read.value.pollers ?? [];
    const ages = pollAgesMs(pollers, now);
    for (const [index, poller] of pollers.entries()) {
      if (ages[index]! >= POLLER_ALIVE_MS) continue;
      const database = databaseOfWorker(poller.identity ?? '');
      if (database) found.push(database);
    }
  }
  return found;
}

/**
 * Throws WorkerDatabaseMismatch (one line, exit 2) when the running workers of the task queue write to another
 * database than the command's. `ownDatabase` is asked only when some worker names one; it answers null when the
 * command's database cannot be identified (then nothing is compared).
 */
export async function checkWorkerDatabase(
  connection: Pick<Connection, 'workflowService'>,
  target: { namespace: string; taskQueue: string },
  ownDatabase: () => Promise<DatabaseIdentity | null>,
): Promise<void> {
  const workers = await readWorkerDatabases(connection, target.namespace, target.taskQueue);
  if (!workers || workers.length === 0) return;
  const own = await ownDatabase();
  if (!own || !comparable(own)) return;
  const mismatch = workerDatabaseMismatch(namedDatabase(own), workers, target.taskQueue);
  if (mismatch) throw new WorkerDatabaseMismatch(mismatch);
}
