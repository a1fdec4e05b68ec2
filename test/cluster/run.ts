// `npm run test:cluster`: the pipeline on the real Temporal server (`jao cluster`, one process per service on
// PostgreSQL), scaled out to three worker processes, while the cluster's services fail one by one. A 120-day
// backfill runs with the poll schedule active; during it history is killed with SIGKILL and restarted, then
// matching, then the frontend is restarted. It passes (exit 0) only when every day is complete with exact
// counts, nothing is duplicated or revised, and the fetches of all three workers together kept to the limit.
//
// It uses the running cluster or brings one up (and down again at the end), its own namespace, task queue and
// database (created and dropped here), and an in-process JAO simulator: it never touches real data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type pg from 'pg';
import { loadConfig } from '../../common/config';
import { pollScheduleIdFor } from '../../control/pollSchedule';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import {
  clusterDown,
  clusterStatus,
  clusterUp,
  frontendAddress,
  startClusterService,
} from '../../devstack/cluster/cluster';
import { ensureNamespace, waitForNamespaceRefresh } from '../../devstack/cluster/namespace';
import { killService, stopService } from '../../devstack/cluster/services';
import type { ClusterService } from '../../devstack/cluster/settings';
import { type ClusterState, clusterLayout } from '../../devstack/cluster/state';
import { daysInRange } from '../../domain/calendar';
import { fetchRatePerSecond } from '../../domain/fetchRate';
import type { BackfillProgress, BackfillResult } from '../../domain/workflowInputs';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { BUNDLE_FILE, writeWorkflowBundle } from '../../workers/workflowBundle';
import { databaseUrlFor, dropDatabase, quoteIdent, withAdminClient } from '../helpers/postgres';
import { type JaoProcess, spawnJao, stopProcess } from '../helpers/processes';
import { type Check, checkDays, maxInWindow } from './checks';

/** 120 days before the simulator's key-set change (2026-06-01): 132 keys, and the 23-hour 2026-03-29. */
const FROM = '2026-01-01';
const TO = '2026-04-30';
const CORE_KEYS = 132;
const NAMESPACE = 'jao-cluster-test';
const TASK_QUEUE = 'jao-cluster-test';
const POLL_SCHEDULE_ID = pollScheduleIdFor(TASK_QUEUE, 'maxExchanges');
const WORKER_COUNT = 3;
const MAX_REQUESTS_PER_MINUTE = 90;
const POLL_INTERVAL = '20s';
const CONCURRENCY = 8;
/** A crashed service stays down this long before its "supervisor" starts it again. */
const DOWN_MS = 5_000;
/** After each fault the backfill must complete this many more days before the next fault. */
const RECOVERY_DAYS = 5;
const RECOVERY_TIMEOUT_MS = 5 * 60_000;
const BACKFILL_TIMEOUT_MS = 20 * 60_000;

interface Fault {
  service: ClusterService;
  how: 'SIGKILL' | 'restart';
  atDone: number;
}
const FAULTS: Fault[] = [
  { service: 'history', how: 'SIGKILL', atDone: 15 },
  { service: 'matching', how: 'SIGKILL', atDone: 45 },
  { service: 'frontend', how: 'restart', atDone: 75 },
];

const say = (line: string) => console.log(`test:cluster: ${line}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Everything started here, undone in reverse order at the end, on failure and on Ctrl-C. */
const cleanups: { label: string; run: () => Promise<void> | void }[] = [];
async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const step = cleanups.pop()!;
    try {
      await step.run();
    } catch (error) {
      console.error(`test:cluster: cleanup of ${step.label} failed: ${String(error)}`);
    }
  }
}

async function useOrStartCluster(config: ReturnType<typeof loadConfig>): Promise<ClusterState> {
  const status = await clusterStatus(config);
  if (status.state && status.frontend && status.services.every((service) => service.running)) {
    say(
      `using the running cluster: frontend ${frontendAddress(status.state)}, state in ${status.layout.dir}`,
    );
    return status.state;
  }
  say('no running cluster: bringing one up (npx jao cluster up)');
  const report = await clusterUp(config, { log: (line) => say(`  ${line}`) });
  // stopped again at the end only when none of it ran before
  if (report.alreadyRunning.length === 0) {
    cleanups.push({
      label: 'cluster',
      run: async () => {
        say('stopping the cluster this test brought up');
        await clusterDown(config);
      },
    });
  }
  return report.state;
}

async function createDatabase(adminUrl: string): Promise<{ url: string; pool: pg.Pool }> {
  const name = `jao_cluster_test_${process.pid}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  cleanups.push({ label: `database ${name}`, run: () => dropDatabase(adminUrl, name) });
  const url = databaseUrlFor(adminUrl, name);
  const pool = createPool(url, { max: 4, applicationName: 'test:cluster' });
  cleanups.push({ label: 'database pool', run: () => pool.end() });
  await migrate(pool);
  say(`database ${name} created and migrated`);
  return { url, pool };
}

/**
 * Leftovers of an interrupted earlier run in the test namespace would interfere (the cluster's database outlives a
 * run: an earlier run's schedules kept starting polls that took the backfill's fetch budget): remove them all.
 */
async function clearNamespace(client: Client): Promise<void> {
  await deleteSchedules(client);
  for await (const execution of client.workflow.list({ query: 'ExecutionStatus="Running"' })) {
    await client.workflow
      .getHandle(execution.workflowId, execution.runId)
      .terminate('test:cluster: left over from an earlier run');
  }
}

/** Every schedule of the test namespace: the poll's, the publication window's, any an earlier build created. */
async function deleteSchedules(client: Client): Promise<void> {
  const ids: string[] = [];
  for await (const schedule of client.schedule.list()) ids.push(schedule.scheduleId);
  for (const id of ids) {
    try {
      await client.schedule.getHandle(id).delete();
    } catch {
      // deleted meanwhile
    }
  }
}

async function bundleWorkflows(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'jao-cluster-test-'));
  cleanups.push({ label: 'workflow bundle', run: () => rmSync(dir, { recursive: true, force: true }) });
  await writeWorkflowBundle(dir);
  return join(dir, BUNDLE_FILE);
}

async function startWorkers(env: NodeJS.ProcessEnv): Promise<JaoProcess[]> {
  const workers: JaoProcess[] = [];
  cleanups.push({
    label: 'workers',
    run: async () => {
      for (const worker of workers) await stopProcess(worker, 'SIGKILL');
    },
  });
  // one after the other: each creates or updates the poll schedule at start-up, as deployed workers do
  for (let i = 0; i < WORKER_COUNT; i += 1) {
    const worker = spawnJao(['worker'], env);
    workers.push(worker);
    await worker.waitFor('worker polling task queue', 180_000);
  }
  return workers;
}

function clock(startedAt: number): string {
  return `t+${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)}s`;
}

async function main(): Promise<boolean> {
  const config = loadConfig(process.env);
  const layout = clusterLayout(config.JAO_DATA_DIR);
  const state = await useOrStartCluster(config);
  const address = frontendAddress(state);

  const connection = await Connection.connect({ address });
  cleanups.push({ label: 'client connection', run: () => connection.close() });
  const client = new Client({ connection, namespace: NAMESPACE });
  const namespace = await ensureNamespace(connection, NAMESPACE, 1);
  if (namespace.registered || namespace.searchAttributesAdded.length > 0) {
    say(
      `namespace ${NAMESPACE} ${namespace.registered ? 'registered' : 'updated'}; waiting until every service has loaded it`,
    );
    await waitForNamespaceRefresh();
  }
  await clearNamespace(client);
  cleanups.push({ label: 'schedules', run: () => deleteSchedules(client) });

  const adminUrl = databaseUrlFor(config.DATABASE_URL, 'postgres');
  const database = await createDatabase(adminUrl);
  const simulator: SimulatorHandle = await startSimulator();
  cleanups.push({ label: 'simulator', run: () => simulator.close() });
  const bundlePath = await bundleWorkflows();
  const workers = await startWorkers({
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    JAO_BASE_URL: simulator.origin,
    JAO_MAX_REQUESTS_PER_MINUTE: String(MAX_REQUESTS_PER_MINUTE),
    // The default dataset's polls beside the backfill: ten datasets' polls every 20 s ask for more fetches than the
    // budget of 90 a minute, and the backfill's fetches wait behind them (seen on the merged tree of issue 58).
    JAO_DATASETS: 'maxExchanges',
    POLL_INTERVAL,
    POLL_LOOKBACK_DAYS: '2',
    METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    WORKFLOW_BUNDLE_PATH: bundlePath,
  });
  say(
    `${workers.length} workers polling ${TASK_QUEUE} (pids ${workers.map((w) => w.child.pid).join(', ')}); ` +
      `simulator at ${simulator.origin}; poll schedule every ${POLL_INTERVAL}; fetch limit ${MAX_REQUESTS_PER_MINUTE}/min`,
  );

  const days = daysInRange(FROM, TO);
  const handle = await client.workflow.start('backfillWorkflow', {
    workflowId: `cluster-test/backfill/${FROM}..${TO}/${Date.now()}`,
    taskQueue: TASK_QUEUE,
    args: [{ dataset: 'maxExchanges', from: FROM, to: TO, concurrency: CONCURRENCY, mode: 'all' }],
  });
  const startedAt = Date.now();
  say(
    `backfill ${FROM}..${TO} (${days.length} days, concurrency ${CONCURRENCY}) started at ${new Date(startedAt).toISOString()}`,
  );

  const faults = await injectFaults(config, state, layout, connection, handle, startedAt);
  const result = await awaitResult(handle);
  const seconds = (Date.now() - startedAt) / 1000;
  say(
    `${clock(startedAt)}  backfill finished: ${result.byStatus.complete ?? 0}/${result.total} complete in ${seconds.toFixed(0)} s`,
  );

  const checks: Check[] = [];
  checks.push({
    name: 'backfill result',
    ok:
      faults.recovered === FAULTS.length &&
      result.total === days.length &&
      result.byStatus.complete === days.length &&
      result.notCompleted.length === 0,
    detail:
      `${result.total} days, by status ${JSON.stringify(result.byStatus)}, not completed ${result.notCompleted.length}; ` +
      `recovered from ${faults.recovered} of ${FAULTS.length} faults`,
  });
  checks.push(...(await checkDays(database.pool, FROM, TO, CORE_KEYS)));

  const requests = simulator.requests;
  const busiestMinute = maxInWindow(
    requests.map((request) => request.at),
    60_000,
  );
  const refused = requests.filter((request) => request.status === 429).length;
  checks.push({
    name: `fetch rate limit held across ${WORKER_COUNT} workers`,
    ok: busiestMinute <= MAX_REQUESTS_PER_MINUTE && refused === 0,
    detail:
      `at most ${busiestMinute} requests in any 60 s (limit ${MAX_REQUESTS_PER_MINUTE}, steady rate ` +
      `${Math.round(fetchRatePerSecond(MAX_REQUESTS_PER_MINUTE) * 60)}/min); ${requests.length} requests in all, ${refused} answered 429`,
  });

  const written = workers.map((worker) => worker.output().split('"message":"day written"').length - 1);
  const alive = workers.every((worker) => worker.child.exitCode === null && worker.child.signalCode === null);
  checks.push({
    name: 'every worker took part and survived every fault',
    ok: alive && written.every((n) => n > 0),
    detail: `days written per worker: ${written.join(' / ')}; ${alive ? 'all still running' : 'a worker died'}`,
  });

  const schedule = await client.schedule.getHandle(POLL_SCHEDULE_ID).describe();
  const pollDays = await database.pool.query<{ day: string; status: string }>(
    `SELECT day::text AS day, status FROM jao.delivery_day WHERE day NOT BETWEEN $1 AND $2 ORDER BY day`,
    [FROM, TO],
  );
  const pollOk = pollDays.rows.every((row) => row.status === 'complete' || row.status === 'not_published');
  checks.push({
    name: 'poll schedule kept running',
    ok: schedule.info.numActionsTaken >= 2 && pollDays.rows.length > 0 && pollOk,
    detail:
      `${schedule.info.numActionsTaken} polls started; days polled: ` +
      pollDays.rows.map((row) => `${row.day} ${row.status}`).join(', '),
  });

  for (const worker of workers) await stopProcess(worker, 'SIGTERM');
  const exitCodes = workers.map((worker) => worker.child.exitCode);
  checks.push({
    name: 'workers stop cleanly',
    ok: exitCodes.every((code) => code === 0),
    detail: `exit codes ${exitCodes.join(', ')}`,
  });

  console.log('\nfaults:');
  for (const line of faults.log) console.log(`  ${line}`);
  console.log('\nchecks:');
  for (const check of checks) console.log(`  ${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`);
  const passed = checks.every((check) => check.ok);
  console.log(`\ntest:cluster: ${passed ? 'PASSED' : 'FAILED'}`);
  return passed;
}

async function progressOf(connection: Connection, handle: WorkflowHandle): Promise<BackfillProgress | null> {
  try {
    return await connection.withDeadline(Date.now() + 5_000, () =>
      handle.query<BackfillProgress>('progress'),
    );
  } catch {
    return null;
  }
}

async function waitForDone(
  connection: Connection,
  handle: WorkflowHandle,
  atLeast: number,
  timeoutMs: number,
): Promise<BackfillProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await progressOf(connection, handle);
    if (progress && progress.done >= atLeast) return progress;
    if (progress && progress.total > 0 && progress.done >= progress.total) {
      throw new Error(
        `the backfill finished (${progress.done} days) before reaching ${atLeast}: too fast for the faults`,
      );
    }
    if (Date.now() > deadline) throw new Error(`the backfill did not reach ${atLeast} done days in time`);
    await sleep(500);
  }
}

/** Kills or restarts one service at a time, each once the backfill has recovered from the previous one. */
async function injectFaults(
  config: ReturnType<typeof loadConfig>,
  state: ClusterState,
  layout: ReturnType<typeof clusterLayout>,
  connection: Connection,
  handle: WorkflowHandle,
  startedAt: number,
): Promise<{ log: string[]; recovered: number }> {
  const log: string[] = [];
  let recovered = 0;
  const note = (line: string) => {
    const stamped = `${clock(startedAt)}  ${line}`;
    say(stamped);
    log.push(stamped);
  };
  for (const fault of FAULTS) {
    const before = await waitForDone(connection, handle, fault.atDone, RECOVERY_TIMEOUT_MS);
    const faultAt = Date.now();
    if (fault.how === 'SIGKILL') {
      const pid = await killService(layout, fault.service);
      note(
        `done ${before.done}/${before.total}: SIGKILL ${fault.service} (pid ${pid ?? 'none: not running'})`,
      );
      await sleep(DOWN_MS);
    } else {
      const outcome = await stopService(layout, fault.service);
      note(`done ${before.done}/${before.total}: restarting ${fault.service} (SIGTERM: ${outcome})`);
    }
    const pid = await startClusterService(config, state, fault.service);
    note(`${fault.service} started again (pid ${pid}), down ${((Date.now() - faultAt) / 1000).toFixed(1)} s`);
    const after = await waitForDone(connection, handle, before.done + RECOVERY_DAYS, RECOVERY_TIMEOUT_MS);
    note(
      `done ${after.done}/${after.total}: ${RECOVERY_DAYS}+ more days completed ` +
        `${((Date.now() - faultAt) / 1000).toFixed(1)} s after the ${fault.service} fault`,
    );
    recovered += 1;
  }
  return { log, recovered };
}

async function awaitResult(handle: WorkflowHandle): Promise<BackfillResult> {
  const deadline = Date.now() + BACKFILL_TIMEOUT_MS;
  for (;;) {
    try {
      return (await handle.result()) as BackfillResult;
    } catch (error) {
      // a long poll cut by a restarting service is retried; a failed backfill is not
      if ((error as Error).name === 'WorkflowFailedError' || Date.now() > deadline) throw error;
      await sleep(1000);
    }
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`test:cluster: ${signal}, cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main().then(
  async (passed) => {
    await cleanUp();
    if (!interrupted) process.exit(passed ? 0 : 1);
  },
  async (error: unknown) => {
    console.error(`test:cluster: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanUp();
    if (!interrupted) process.exit(1);
  },
);
