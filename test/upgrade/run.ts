// `npm run test:upgrade`: the previous release (the one CHANGELOG names: test/upgrade/previousRelease.ts) fills a
// database through its own worker and CLI: two months with a DST day, revisions, a partial day, raw answers, lineage,
// an API key, and on TimescaleDB its older chunk compressed. Then, while that release's worker and API keep serving,
// a backfill of its is in flight and one of its re-runs writes a revision into compressed history, this tree's
// `jao migrate` runs, with a probe reading and writing a day every 100 ms. The worker and the API are then rolled to
// this tree (docs/howto/upgrade.md "Upgrading from the previous release"), and back again (rollback one release).
//
// It passes (exit 0) only when everything stored before reads the same after, the in-flight backfill completes with
// no day fetched twice (but once more a day whose request the stopped worker abandoned, as workers do since 1.2.0),
// an event-stream consumer that reconnects by Last-Event-ID misses no event, no probe operation waited more than 1 s,
// the schema equals a fresh install's, and the previous release, started again on the upgraded database, re-runs a
// day and serves its values. It uses its own database, dev server and simulator.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type pg from 'pg';
import { Cleanup } from '../../bench/cleanup';
import { startProbe } from '../../bench/migrationProbe';
import { freePort } from '../../common/ports';
import { readEngine } from '../../db/engine';
import { createPool } from '../../db/pool';
import { startDevServer } from '../../devstack/devServer';
import { dayOfInstant, daysInRange } from '../../domain/calendar';
import type { DeliveryDay } from '../../domain/types';
import { backfillWorkflowId } from '../../domain/workflowInputs';
import { startSimulator } from '../../simulator/server';
import { SseReader } from '../helpers/api';
import { databaseUrlFor, dropDatabase, quoteIdent, withAdminClient } from '../helpers/postgres';
import { type JaoProcess, REPO_ROOT, runJao, spawnJao, stopProcess } from '../helpers/processes';
import { checkOutRelease, previousRelease } from './previousRelease';
import { snapshot, snapshotDifferences } from './snapshot';

/** Two months with the end of summer time (2025-10-26), across a chunk boundary on TimescaleDB (2025-12-18). */
const FROM = '2025-10-20';
const TO = '2025-12-19';
/** Stored partial by the previous release (a few values published empty). */
const PARTIAL_DAY = '2025-11-05';
/** Revised and re-run by the previous release before the upgrade. */
const REVISED_BEFORE = ['2025-10-27', '2025-12-19'];
/** Revised, and re-run by the previous release while the migration runs: a revision into compressed history. */
const REVISED_DURING = '2025-10-28';
/** The backfill of the previous release in flight during the migration. */
const IN_FLIGHT = { from: '2025-12-20', to: '2026-01-18' };
/** Read and written by the probe during the migration. */
const PROBE_DAY = '2025-12-10';
/** Revised and re-run by the previous release after the rollback. */
const ROLLBACK_DAY = '2025-11-20';
/** The newest chunk boundary on TimescaleDB before TO (chunks of 365 days from the epoch). */
const COMPRESS_BEFORE = '2025-12-18T00:00:00Z';
const TASK_QUEUE = 'jao-upgrade';

const say = (line: string) => console.log(`test:upgrade: ${line}`);

const cleanup = new Cleanup('test:upgrade');

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
const checks: Check[] = [];
function check(name: string, ok: boolean, detail: string): void {
  checks.push({ name, ok, detail });
  say(`${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
}

async function runOk(args: string[], env: NodeJS.ProcessEnv, root: string, what: string): Promise<string> {
  const result = await runJao(args, env, root);
  if (result.code !== 0) {
    throw new Error(
      `${what} (jao ${args.join(' ')}) exited with ${result.code}:\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

async function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  root: string,
  ready: RegExp,
  label: string,
): Promise<JaoProcess> {
  const process = spawnJao(args, env, root);
  cleanup.add(label, () => stopProcess(process));
  await process.waitFor(ready, 180_000);
  return process;
}

/** How long the API did not answer /livez while it was rolled, polled every 50 ms. */
function watchAvailability(url: string): { stop(): Promise<number> } {
  let running = true;
  let downSince: number | null = null;
  let downMs = 0;
  const loop = (async () => {
    while (running) {
      const ok = await fetch(`${url}/livez`, { signal: AbortSignal.timeout(1000) })
        .then((response) => response.ok)
        .catch(() => false);
      const now = performance.now();
      if (!ok && downSince === null) downSince = now;
      if (ok && downSince !== null) {
        downMs += now - downSince;
        downSince = null;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      if (downSince !== null) downMs += performance.now() - downSince;
      return downMs;
    },
  };
}

function subscribe(apiUrl: string, key: string, lastEventId: string | null): Promise<SseReader> {
  const controller = new AbortController();
  cleanup.add('event stream', () => controller.abort());
  return fetch(`${apiUrl}/v1/events`, {
    headers: { authorization: `Bearer ${key}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  }).then((response) => {
    if (response.status !== 200) throw new Error(`GET /v1/events answered ${response.status}`);
    return new SseReader(response);
  });
}

const eventIds = (reader: SseReader) =>
  reader.events.flatMap((event) => (event.id ? [Number(event.id)] : []));

/**
 * The schema `jao` as pg_dump writes it, as the set of its objects' definitions: pg_dump orders objects of a kind
 * by their dependencies, which the order a database was built in can change without any definition changing.
 */
function schemaOf(url: string): string[] {
  const dump = spawnSync(
    process.env.PG_DUMP ?? 'pg_dump',
    ['--schema-only', '--schema=jao', '--no-owner', url],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr.trim()}`);
  return dump.stdout
    .split(/^--\n-- (?=Name: )/m)
    .map((block) =>
      block
        .split('\n')
        .filter((line) => !/^\\(un)?restrict /.test(line) && line.trim() !== '' && line !== '--')
        .join('\n'),
    )
    .filter((block) => block.startsWith('Name: '))
    .sort();
}

/**
 * The upgraded database dumped (`pg_dump -Fc`) and restored into `target` as docs/howto/restore.md "The database backup"
 * says: on TimescaleDB between timescaledb_pre_restore() and timescaledb_post_restore(), then `jao migrate`.
 */
async function dumpAndRestore(url: string, adminUrl: string, target: string, dir: string): Promise<string> {
  const dump = join(dir, 'upgraded.dump');
  const tool = (name: string, fallback: string, args: string[]) => {
    const run = spawnSync(process.env[name] ?? fallback, args, { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${fallback} ${args[0]} failed: ${run.stderr.trim()}`);
  };
  tool('PG_DUMP', 'pg_dump', ['-Fc', '--file', dump, '--dbname', url]);
  const targetUrl = databaseUrlFor(adminUrl, target);
  const timescale = await withAdminClient(url, async (client) => {
    const { rows } = await client.query<{ v: string }>(
      `SELECT extversion AS v FROM pg_extension WHERE extname = 'timescaledb'`,
    );
    return rows[0]?.v ?? null;
  });
  if (timescale !== null) {
    await withAdminClient(targetUrl, async (client) => {
      await client.query(`CREATE EXTENSION timescaledb VERSION '${timescale}'`);
      await client.query('SELECT timescaledb_pre_restore()');
    });
  }
  tool('PG_RESTORE', 'pg_restore', ['--dbname', targetUrl, dump]);
  if (timescale !== null) {
    await withAdminClient(targetUrl, (client) => client.query('SELECT timescaledb_post_restore()'));
  }
  return targetUrl;
}

/** The objects only one of two schemas has, named, for the failure message. */
function schemaDifferences(upgraded: string[], fresh: string[]): string[] {
  const only = (a: string[], b: string[]) =>
    a.filter((block) => !b.includes(block)).map((block) => block.split('\n')[0]);
  return [
    ...only(upgraded, fresh).map((name) => `upgraded only: ${name}`),
    ...only(fresh, upgraded).map((name) => `fresh only: ${name}`),
  ];
}

async function requestsByDay(simulatorRequests: { fromUtc: string | null; status: number }[]) {
  const counts = new Map<DeliveryDay, number>();
  for (const request of simulatorRequests) {
    if (request.fromUtc === null || request.status !== 200) continue;
    const day = dayOfInstant(request.fromUtc);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return counts;
}

/** The days whose fetch a stopping worker abandoned, from its log lines (`fetch of D stopped: …`). */
function abandonedFetches(output: string): Set<DeliveryDay> {
  return new Set([...output.matchAll(/fetch of (\d{4}-\d{2}-\d{2}) stopped/g)].map((match) => match[1]!));
}

async function valuesWithoutTheirDay(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ wrong: number }>(
    `SELECT count(*)::int AS wrong FROM (SELECT mtu, delivery_day FROM jao.observation
                                          UNION ALL SELECT mtu, delivery_day FROM jao.observation_history) AS v
      WHERE delivery_day IS DISTINCT FROM (mtu AT TIME ZONE 'Europe/Amsterdam')::date`,
  );
  return rows[0]!.wrong;
}

async function main(): Promise<void> {
  const release = previousRelease();
  say(`upgrading from ${release.version} (${release.commit.slice(0, 12)}) to this tree`);
  const oldRoot = checkOutRelease(release, say);

  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `jao_upgrade_${randomBytes(4).toString('hex')}`;
  for (const database of [name, `${name}_fresh`, `${name}_restored`]) {
    await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(database)}`));
    cleanup.add(`database ${database}`, () => dropDatabase(adminUrl, database));
  }
  const url = databaseUrlFor(adminUrl, name);
  const pool = createPool(url, { max: 6, applicationName: 'test-upgrade' });
  cleanup.add('pool', () => pool.end());

  const devServer = await startDevServer({ port: await freePort(), log: say });
  cleanup.add('Temporal dev server', () => devServer.stop());
  const simulator = await startSimulator({ port: 0 });
  cleanup.add('simulator', () => simulator.close());
  simulator.setFaults({ nullValueDays: [PARTIAL_DAY], nullValueCells: 5 });
  const dataDir = mkdtempSync(join(tmpdir(), 'jao-upgrade-'));
  cleanup.add('data directory', () => rmSync(dataDir, { recursive: true, force: true }));
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: url,
    TEMPORAL_ADDRESS: devServer.address,
    TEMPORAL_NAMESPACE: devServer.namespace,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    JAO_BASE_URL: simulator.origin,
    JAO_MAX_REQUESTS_PER_MINUTE: '300',
    POLL_INTERVAL: '1h',
    METRICS_PORT: '0',
    API_PORT: String(apiPort),
    JAO_DATA_DIR: dataDir,
  };

  // 1. The previous release fills its database.
  say(`${release.version}: migrate, worker, backfill ${FROM}..${TO}`);
  await runOk(['migrate'], env, oldRoot, `${release.version}'s migrate`);
  const keyOutput = await runOk(['api-key', 'create', '--name', 'desk'], env, oldRoot, 'an API key');
  const key = keyOutput.trim().split('\n').pop()!.trim();
  let worker = await startProcess(
    ['worker'],
    env,
    oldRoot,
    /worker polling task queue/,
    `${release.version} worker`,
  );
  await runOk(['backfill', '--from', FROM, '--to', TO, '--wait'], env, oldRoot, 'the first backfill');
  const asOfFirst = new Date().toISOString();
  for (const day of REVISED_BEFORE) simulator.reviseDay(day);
  await runOk(['rerun', ...REVISED_BEFORE, '--wait'], env, oldRoot, 'a re-run of revised days');
  const engine = await readEngine(pool);
  say(engine.line);
  if (engine.kind === 'timescaledb') {
    const compressed = await pool.query(
      `SELECT count(compress_chunk(format('%I.%I', chunk_schema, chunk_name)::regclass, if_not_compressed => true))
         AS chunks
         FROM timescaledb_information.chunks
        WHERE hypertable_schema = 'jao' AND hypertable_name LIKE 'observation%' AND range_end <= $1`,
      [COMPRESS_BEFORE],
    );
    say(`compressed ${compressed.rows[0]!.chunks} chunks before ${COMPRESS_BEFORE}`);
  }
  // Every write so far shipped, so that the archive schedule (every ARCHIVE_INTERVAL, on the wall clock) has nothing of
  // these days left to mark between the two snapshots: a lineage row's archive_object is NULL only until it ships.
  say((await runOk(['archive'], env, oldRoot, `${release.version}'s archive`)).trim().split('\n')[0]!);
  let api = await startProcess(['api'], env, oldRoot, /listening on/, `${release.version} API`);
  const asOfSecond = new Date().toISOString();
  const keptDays = daysInRange(FROM, TO).filter((day) => day !== REVISED_DURING);
  const before = await snapshot(pool, keptDays, [asOfFirst, asOfSecond]);
  const revisionsBefore = await pool.query<{ revision_count: number }>(
    `SELECT revision_count FROM jao.delivery_day WHERE dataset = 'maxExchanges' AND day = $1`,
    [REVISED_DURING],
  );
  const lastEvent = await pool.query<{ id: string | null }>(
    'SELECT max(event_id)::text AS id FROM jao.day_event',
  );
  // From the last event stored, so that none raised before the stream opens (a scheduled poll's) goes unheard.
  const firstStream = await subscribe(apiUrl, key, lastEvent.rows[0]!.id);

  // 2. While it serves, with a backfill of its in flight and a re-run into compressed history, this tree migrates.
  simulator.setFaults({ latencyMs: 300 });
  await runOk(
    ['backfill', '--from', IN_FLIGHT.from, '--to', IN_FLIGHT.to, '--concurrency', '1'],
    env,
    oldRoot,
    'the backfill in flight',
  );
  simulator.reviseDay(REVISED_DURING);
  const rerunDuring = runJao(['rerun', REVISED_DURING, '--wait'], env, oldRoot);
  const probe = startProbe(pool, PROBE_DAY);
  const migrateStarted = performance.now();
  const migration = await runJao(['migrate'], env, REPO_ROOT);
  const migrateSeconds = (performance.now() - migrateStarted) / 1000;
  const probed = await probe.stop();
  process.stdout.write(migration.stdout);
  if (migration.code !== 0)
    throw new Error(`this tree's migrate exited with ${migration.code}:\n${migration.stderr}`);
  say(`migrated in ${migrateSeconds.toFixed(1)} s`);
  check(
    'the probe never waited more than 1 s',
    probed.failures.length === 0 && probed.longestReadMs <= 1000 && probed.longestWriteMs <= 1000,
    `${probed.reads} reads, longest ${probed.longestReadMs.toFixed(0)} ms; ${probed.writes} writes, longest ` +
      `${probed.longestWriteMs.toFixed(0)} ms${probed.failures.length ? `; failures: ${probed.failures.join('; ')}` : ''}`,
  );

  // 3. The worker and the API roll to this tree: stop the old one, start the new one.
  const availability = watchAvailability(apiUrl);
  await stopProcess(worker);
  // Since 1.2.0 a worker that stops abandons a request to JAO in flight at once, and says which (its next attempt
  // asks again): the days it names are the ones the roll may fetch twice.
  const abandonedAtRoll = abandonedFetches(worker.output());
  worker = await startProcess(['worker'], env, REPO_ROOT, /worker polling task queue/, 'worker');
  await stopProcess(api);
  api = await startProcess(['api'], env, REPO_ROOT, /listening on/, 'API');
  const unavailableMs = await availability.stop();
  say(`the API did not answer for ${(unavailableMs / 1000).toFixed(2)} s while it was rolled (goal 0 s)`);
  const firstIds = eventIds(firstStream);
  const secondStream = await subscribe(
    apiUrl,
    key,
    firstIds.length ? String(firstIds.at(-1)) : lastEvent.rows[0]!.id,
  );

  const connection = await Connection.connect({ address: devServer.address });
  cleanup.add('Temporal client', () => connection.close());
  const temporal = new Client({ connection, namespace: devServer.namespace });
  await temporal.workflow
    .getHandle(backfillWorkflowId('maxExchanges', IN_FLIGHT.from, IN_FLIGHT.to, 'missing'))
    .result();
  const rerun = await rerunDuring;
  check('the re-run during the migration finished', rerun.code === 0, `exit ${rerun.code}`);
  simulator.setFaults({ latencyMs: 0 });

  // 4. What must hold after the upgrade.
  const after = await snapshot(pool, keptDays, [asOfFirst, asOfSecond], before.columns);
  const differences = snapshotDifferences(before, after);
  check(
    'everything stored before reads the same',
    differences.length === 0,
    differences.length
      ? differences.join('; ')
      : `${Object.keys(before.hashes).length} row sets of ${keptDays.length} days`,
  );
  const days = await pool.query<{
    day: string;
    status: string;
    expected_mtus: number;
    received_mtus: number;
  }>(
    `SELECT day::text, status, expected_mtus, received_mtus FROM jao.delivery_day
      WHERE dataset = 'maxExchanges' AND day BETWEEN $1 AND $2 ORDER BY day`,
    [FROM, IN_FLIGHT.to],
  );
  const wrongDays = days.rows.filter((row) =>
    row.day === PARTIAL_DAY
      ? row.status !== 'partial'
      : row.status !== 'complete' || row.received_mtus !== row.expected_mtus,
  );
  const allDays = daysInRange(FROM, IN_FLIGHT.to);
  check(
    'every day complete (the partial one partial), the in-flight backfill finished',
    wrongDays.length === 0 && days.rows.length === allDays.length,
    `${days.rows.length} of ${allDays.length} days${wrongDays.length ? `; not as expected: ${wrongDays.map((row) => `${row.day} ${row.status}`).join(', ')}` : ''}`,
  );
  const revisionsAfter = await pool.query<{ revision_count: number }>(
    `SELECT revision_count FROM jao.delivery_day WHERE dataset = 'maxExchanges' AND day = $1`,
    [REVISED_DURING],
  );
  check(
    'the revision written during the migration is stored',
    revisionsAfter.rows[0]!.revision_count === revisionsBefore.rows[0]!.revision_count + 1,
    `revision count ${revisionsBefore.rows[0]!.revision_count} → ${revisionsAfter.rows[0]!.revision_count}`,
  );
  const counts = await requestsByDay(simulator.requests);
  const unexplained = daysInRange(IN_FLIGHT.from, IN_FLIGHT.to).filter(
    (day) => counts.get(day) !== (abandonedAtRoll.has(day) ? 2 : 1),
  );
  const again = [...abandonedAtRoll].sort().map((day) => `${day} ${counts.get(day) ?? 0}×`);
  check(
    'no day of the in-flight backfill fetched twice, but one whose request the stopped worker abandoned (once more)',
    unexplained.length === 0,
    unexplained.length
      ? unexplained
          .map(
            (day) =>
              `${day} ${counts.get(day) ?? 0}×${abandonedAtRoll.has(day) ? ' (abandoned at the roll)' : ''}`,
          )
          .join(', ')
      : `${IN_FLIGHT.from}..${IN_FLIGHT.to} once each${again.length ? `, but the abandoned ${again.join(', ')}` : ''}`,
  );
  const wrongDay = await valuesWithoutTheirDay(pool);
  check('every value stores its delivery day', wrongDay === 0, `${wrongDay} values without their day`);
  const raised = await pool.query<{ id: string }>(
    'SELECT event_id::text AS id FROM jao.day_event WHERE event_id > $1 ORDER BY event_id',
    [lastEvent.rows[0]!.id ?? '0'],
  );
  const expectedIds = raised.rows.map((row) => Number(row.id));
  // Those raised after the query above (a scheduled poll's) are left out: heard or not yet, they are not missed.
  const lastRaised = expectedIds.at(-1) ?? 0;
  const heardUpTo = () => [...firstIds, ...eventIds(secondStream)].filter((id) => id <= lastRaised);
  await secondStream.until(() => heardUpTo().length >= expectedIds.length, 10_000).catch(() => {});
  const heard = heardUpTo();
  check(
    'the event stream, resumed by Last-Event-ID across the roll, missed and repeated nothing',
    JSON.stringify(heard) === JSON.stringify(expectedIds),
    `${heard.length} events heard, ${expectedIds.length} raised (${firstIds.length} before the roll)`,
  );
  await runOk(
    ['migrate'],
    { ...env, DATABASE_URL: databaseUrlFor(adminUrl, `${name}_fresh`) },
    REPO_ROOT,
    'a fresh install',
  );
  const upgradedSchema = schemaOf(url);
  const freshSchema = schemaOf(databaseUrlFor(adminUrl, `${name}_fresh`));
  const schemaDiffers = schemaDifferences(upgradedSchema, freshSchema);
  check(
    "the schema is a fresh install's",
    schemaDiffers.length === 0,
    schemaDiffers.length ? schemaDiffers.join('; ') : `${upgradedSchema.length} objects, the same`,
  );
  const restoredUrl = await dumpAndRestore(url, adminUrl, `${name}_restored`, dataDir);
  await runOk(['migrate'], { ...env, DATABASE_URL: restoredUrl }, REPO_ROOT, 'migrate after the restore');
  const restoredDiffers = schemaDifferences(schemaOf(restoredUrl), freshSchema);
  check(
    "the schema is a fresh install's after pg_dump and pg_restore too",
    restoredDiffers.length === 0,
    restoredDiffers.length ? restoredDiffers.join('; ') : 'the same',
  );

  // 5. Rollback one release: the previous release runs again on the upgraded database.
  await stopProcess(worker);
  await stopProcess(api);
  worker = await startProcess(
    ['worker'],
    env,
    oldRoot,
    /worker polling task queue/,
    `${release.version} worker again`,
  );
  api = await startProcess(['api'], env, oldRoot, /listening on/, `${release.version} API again`);
  simulator.reviseDay(ROLLBACK_DAY);
  const rollbackRerun = await runJao(['rerun', ROLLBACK_DAY, '--wait'], env, oldRoot);
  const served = await fetch(
    `${apiUrl}/v1/datasets/maxExchanges/values?from=${ROLLBACK_DAY}&to=${ROLLBACK_DAY}&border=AT_BE`,
    { headers: { authorization: `Bearer ${key}` } },
  );
  const rows = served.ok ? ((await served.json()) as { mtu: string; value_mw: number }[]) : [];
  const wrongValues = rows.filter(
    (row) =>
      row.value_mw !== simulator.expectedValue(ROLLBACK_DAY, 'border_AT_BE', new Date(row.mtu).toISOString()),
  );
  check(
    `${release.version} re-runs a revised day and serves its values again after the upgrade`,
    rollbackRerun.code === 0 && served.status === 200 && rows.length === 24 && wrongValues.length === 0,
    `re-run exit ${rollbackRerun.code}; GET values ${served.status}: ${rows.length} values, ` +
      `${wrongValues.length} not the ones published`,
  );
  const wrongAfterRollback = await valuesWithoutTheirDay(pool);
  check(
    `every value ${release.version} wrote after the rollback has its day`,
    wrongAfterRollback === 0,
    `${wrongAfterRollback} values without their day`,
  );
}

main()
  .catch((error: unknown) => {
    check(
      'the upgrade ran to its end',
      false,
      error instanceof Error ? (error.stack ?? error.message) : String(error),
    );
  })
  .finally(async () => {
    await cleanup.runAll();
    const failed = checks.filter((entry) => !entry.ok);
    console.log(`test:upgrade: ${checks.length - failed.length} passed, ${failed.length} failed`);
    process.exit(failed.length === 0 ? 0 : 1);
  });
