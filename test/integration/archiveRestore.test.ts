// The archive and the exact restore (docs/archive.md): two weeks of days with revisions at known instants, a partial
// day, a failed one, a failed re-check, is archived; an empty database restored from the archive then answers
// jao.max_exchanges_as_of identically at every instant anything changed and just around it, and holds the same
// revision history, day quality records and lineage (surrogate ids aside), with zero requests to the simulator.
// In a namespace of the file's own: days 2023-05-01..2023-05-14.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, Worker } from '@temporalio/worker';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createArchiveActivities } from '../../activities/archive';
import { FileArchiveStore } from '../../archive/fileStore';
import { decodeEntry } from '../../archive/format';
import { openArchiveStore } from '../../archive/openStore';
import { RestoreRefused, restoreArchive } from '../../archive/restore';
import { archiveLag, shipPendingWrites } from '../../archive/ship';
import { messageWithCauses } from '../../cli/errors';
import { checkWorkerDatabase } from '../../control/workerDatabase';
import { describeDatabase, readDatabaseIdentity } from '../../db/databaseIdentity';
import { createPool } from '../../db/pool';
import { ARCHIVE_MISCONFIGURED, RESTORE_REFUSED, RESTORE_WORKFLOW_ID } from '../../domain/archiveInputs';
import { archiveProblem } from '../../domain/health';
import type { BackfillResult } from '../../domain/workflowInputs';
import type { restoreWorkflow } from '../../workflows';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness, runBundle } from '../helpers/pipeline';
import { startS3Server } from '../helpers/s3Server';

const FROM = '2023-05-01';
const TO = '2023-05-14';
const DAY_COUNT = 14;
const WITH_NULLS = '2023-05-03';
const REFUSED = '2023-05-04';
const REVISED = ['2023-05-10', '2023-05-11'];
const REFETCHED = '2023-05-12';
const MALFORMED_RECHECK = '2023-05-13';

let h: PipelineHarness;
let archiveDir: string;
let restored: TestDatabase;

/** One text per row of `sql`, for comparing two databases row by row (small results). */
async function rows(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<string[]> {
  // As the database writes them: instants to the microsecond.
  const result = await pool.query<{ line: string }>(
    `SELECT row_to_json(r)::text AS line FROM (${sql}) AS r`,
    params,
  );
  return result.rows.map((row) => row.line);
}

/** The row count and a digest of the rows of `sql` (as a set), computed by the database (large results). */
async function digest(pool: pg.Pool, sql: string): Promise<string> {
  const result = await pool.query<{ rows: string; digest: string }>(
    `SELECT count(*) AS rows, md5(string_agg(q.line, E'\\n' ORDER BY q.line)) AS digest
       FROM (SELECT row_to_json(r)::text AS line FROM (${sql}) AS r) AS q`,
  );
  return `${result.rows[0]!.rows} ${result.rows[0]!.digest}`;
}

const HISTORY = `SELECT mtu, border, value_mw, revision, first_seen_at, valid_from, valid_to
                   FROM jao.max_exchanges_history ORDER BY mtu, border, revision`;
const QUALITY = 'SELECT * FROM jao.day_quality ORDER BY dataset, day';
const LINEAGE = `SELECT mtu, border, revision, value_mw, valid_from, valid_to, is_current, lineage_known, kind, reason,
                        build_id, workflow_id, fetched_at, sha256, archive_object
                   FROM jao.max_exchanges_lineage ORDER BY mtu, border, revision`;
const DAYS = `SELECT day, status, expected_mtus, received_mtus, points, content_hash, revision_count, first_complete_at,
                     last_changed_at, last_checked_at, attempts, last_error, last_workflow_id, last_build_id,
                     content_build_id, reason
                FROM jao.delivery_day ORDER BY dataset, day`;
const RAW = `SELECT day, sha256, bytes, http_status, fetched_at, last_fetched_at, fetch_count, answer, request_from
               FROM jao.raw_response WHERE answer IS DISTINCT FROM 'rejected' ORDER BY day, raw_response_id`;
const REJECTIONS = `SELECT r.day, r.workflow_id, r.row_index, r.key, r.mtu, r.rule, r.raw, r.rejected_at, rr.sha256
                      FROM jao.rejection r LEFT JOIN jao.raw_response rr USING (raw_response_id)
                     ORDER BY r.day, r.rejected_at, r.row_index, r.key, r.mtu`;
const DERIVATIONS = `SELECT day, kind, build_id, workflow_id, reason, derived_at FROM jao.derivation
                      ORDER BY day, derived_at`;
const EVENTS =
  'SELECT type, dataset, day, status, revision, build_id, raised_at, error FROM jao.day_event ORDER BY raised_at, day';

/** Every instant at which a value changed, and a millisecond before and after each. */
async function changeInstants(pool: pg.Pool): Promise<Date[]> {
  const result = await pool.query<{ at: Date }>(
    `SELECT DISTINCT t + d AS at
       FROM (SELECT valid_from AS t FROM jao.max_exchanges_history
             UNION SELECT valid_to FROM jao.max_exchanges_history WHERE valid_to IS NOT NULL) AS changes,
            unnest(ARRAY[INTERVAL '-1 millisecond', INTERVAL '0', INTERVAL '1 millisecond']) AS d
      ORDER BY 1`,
  );
  return result.rows.map((row) => row.at);
}

/**
 * What jao.max_exchanges_as_of answers at each instant for a few borders (every instant), and in full at the last
 * instant of each date: its row count and a digest of its rows.
 */
async function asOfDigests(pool: pg.Pool, instants: Date[]): Promise<string[]> {
  const select = (filter: string) =>
    `SELECT t.at, count(a.*) AS rows,
            md5(string_agg(concat_ws(',', a.mtu, a.border, a.value_mw, a.revision, a.first_seen_at, a.updated_at),
                           ';' ORDER BY a.mtu, a.border)) AS digest
       FROM unnest($1::timestamptz[]) AS t(at)
       LEFT JOIN LATERAL (SELECT * FROM jao.max_exchanges_as_of(t.at) WHERE ${filter}) AS a ON true
      GROUP BY t.at ORDER BY t.at`;
  const sampled = await rows(pool, select(`border IN ('AT_BE', 'DE_FR', 'PL_CZ')`), [instants]);
  const lastOfEachDate = [
    ...new Map(instants.map((at) => [at.toISOString().slice(0, 10), at] as const)).values(),
  ];
  const full = await rows(pool, select('true'), [lastOfEachDate]);
  return [...sampled, ...full];
}

/** What the digests read of the original: a write, derivation, rejection or archived answer since changes it. */
async function digestedVersion(pool: pg.Pool): Promise<string> {
  const result = await pool.query<{ version: string }>(
    `SELECT concat_ws(' ', (SELECT count(*) FROM jao.observation), (SELECT max(updated_at) FROM jao.observation),
                     (SELECT count(*) FROM jao.observation_history), (SELECT count(*) FROM jao.derivation),
                     (SELECT count(*) FROM jao.rejection),
                     (SELECT count(archive_key) FROM jao.raw_response)) AS version`,
  );
  return result.rows[0]!.version;
}

/** The original's digests, read once per version of what they read: three restores compare against the same. */
const originalReads = new Map<string, Promise<unknown>>();
async function readOriginal<T>(what: string, read: () => Promise<T>): Promise<T> {
  const key = `${await digestedVersion(h.db.pool)} ${what}`;
  if (!originalReads.has(key)) originalReads.set(key, read());
  return originalReads.get(key) as Promise<T>;
}

/** The restored database holds what the original holds (surrogate ids aside). */
async function expectSameHistory(copy: pg.Pool): Promise<void> {
  for (const query of [DAYS, QUALITY, RAW, DERIVATIONS, EVENTS]) {
    expect(await rows(copy, query)).toEqual(await rows(h.db.pool, query));
  }
  for (const query of [HISTORY, LINEAGE, REJECTIONS]) {
    if ((await digest(copy, query)) !== (await readOriginal(query, () => digest(h.db.pool, query)))) {
      // Only on a difference: the rows themselves, so the failure shows which.
      const [got, want] = [await rows(copy, query), await rows(h.db.pool, query)];
      const first = got.findIndex((line, i) => line !== want[i]);
      expect(got.slice(first, first + 3)).toEqual(want.slice(first, first + 3));
    }
  }
  const instants = await readOriginal('instants', () => changeInstants(h.db.pool));
  expect(instants.length).toBeGreaterThan(3 * 5);
  expect(await asOfDigests(copy, instants)).toEqual(
    await readOriginal('as of', () => asOfDigests(h.db.pool, instants)),
  );
}

describe('archive and restore', () => {
  beforeAll(async () => {
    const namespace = await createTestNamespace('archive');
    h = await createPipelineHarness('archive', {}, { namespace });
    await h.startWorkers();
    archiveDir = await mkdtemp(path.join(tmpdir(), 'jao-archive-'));
    h.simulator.setFaults({ nullValueDays: [WITH_NULLS], rejectedDays: [REFUSED] });
    const backfill: BackfillResult = await h.temporal.client.workflow.execute('backfillWorkflow', {
      workflowId: `maxExchanges/backfill/${FROM}..${TO}/all`,
      taskQueue: h.taskQueue,
      args: [{ from: FROM, to: TO, mode: 'all', concurrency: 8 }],
    });
    expect(backfill.byStatus).toEqual({ complete: DAY_COUNT - 2, partial: 1, failed: 1 });
    h.simulator.setFaults({ nullValueDays: [], rejectedDays: [], malformedDays: [MALFORMED_RECHECK] });
    // Revisions one after another, each at an instant of its own; a re-fetch of an unchanged answer; a failed re-check.
    for (const day of [REVISED[0]!, REVISED[1]!, REVISED[0]!]) {
      h.simulator.reviseDay(day);
      expect((await h.runDay(day)).status).toBe('complete');
    }
    await h.runDay(REFETCHED);
    await h.runDay(MALFORMED_RECHECK);
    await h.runDay(WITH_NULLS);
    await h.runDay(REFUSED);
    restored = await createTestDatabase();
  }, 240_000);

  afterAll(async () => {
    await restored?.release();
    await h?.close();
    if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
  });

  it('keeps every write waiting through an archive outage, and says so in health', async () => {
    // The archive's directory cannot be made: a file stands where it should be.
    const blocker = path.join(archiveDir, 'blocked');
    await writeFile(blocker, 'not a directory');
    const lag = await archiveLag(h.db.pool);
    await expect(
      shipPendingWrites(h.db.pool, new FileArchiveStore(path.join(blocker, 'archive'))),
    ).rejects.toThrow(/archive file:.*cannot write/);
    expect(await archiveLag(h.db.pool)).toEqual(lag);
    const now = new Date(lag.oldest!.getTime() + 2 * 3_600_000);
    const problem = archiveProblem({
      pending: lag.pending,
      oldestAgeMs: now.getTime() - lag.oldest!.getTime(),
      maxLagMs: 3_600_000,
    });
    expect(problem).toBe(
      `archive lagging: ${lag.pending} write(s) not archived, the oldest for 120 min (ARCHIVE_MAX_LAG 60 min; run jao archive, or see the archive workflow's failures)`,
    );
    await rm(blocker);
  });

  it('ships nothing once its activity is cancelled (a worker shutting down), and confirms the cancellation', async () => {
    const lag = await archiveLag(h.db.pool);
    const activities = createArchiveActivities({
      pool: h.db.pool,
      archiveUrl: pathToFileURL(archiveDir).href,
    });
    const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
    env.cancel('WORKER_SHUTDOWN');
    await expect(env.run(activities.shipToArchive)).rejects.toBeInstanceOf(CancelledFailure);
    expect(await archiveLag(h.db.pool)).toEqual(lag);
  });

  it('ships every write once, however often it runs', async () => {
    const store = new FileArchiveStore(archiveDir);
    const lag = await archiveLag(h.db.pool);
    expect(lag.pending).toBeGreaterThan(DAY_COUNT);
    const waiting = await h.db.pool.query<{ day: string }>(
      'SELECT DISTINCT day::text AS day FROM jao.day_write WHERE archived_at IS NULL ORDER BY day',
    );
    // A run told to stop (a worker shutting down) ships nothing more and marks what it shipped.
    const stopped = new AbortController();
    stopped.abort();
    expect((await shipPendingWrites(h.db.pool, store, { signal: stopped.signal })).shipped).toBe(0);
    const stopping = new AbortController();
    const early = await shipPendingWrites(h.db.pool, store, {
      batchSize: 4,
      signal: stopping.signal,
      onProgress: () => stopping.abort(),
    });
    expect(early).toMatchObject({ shipped: 4, pending: lag.pending - 4 });
    expect((await archiveLag(h.db.pool)).pending).toBe(lag.pending - 4);
    // One of the two on a pool as the worker makes it (db/pool.ts: bigint columns read as numbers).
    const workerPool = createPool(h.db.url, { max: 2, applicationName: 'archive-test' });
    const [first, second] = await Promise.all([
      shipPendingWrites(workerPool, store, { batchSize: 7 }).finally(() => workerPool.end()),
      // Each answer's body read on its own: what a batch of flow-based days' answers gets.
      shipPendingWrites(h.db.pool, store, { batchSize: 5, bodyReadBytes: 1 }),
    ]);
    expect(early.shipped + first.shipped + second.shipped).toBeGreaterThanOrEqual(lag.pending);
    // Each run says which days it shipped; together, every day that waited.
    const shipped = [...early.shippedDays, ...first.shippedDays, ...second.shippedDays];
    expect(shipped.every((of) => of.dataset === 'maxExchanges')).toBe(true);
    expect(shipped.map((of) => of.first).sort()[0]).toBe(waiting.rows[0]!.day);
    expect(
      shipped
        .map((of) => of.last)
        .sort()
        .at(-1),
    ).toBe(waiting.rows.at(-1)!.day);
    expect(await archiveLag(h.db.pool)).toEqual({ pending: 0, oldest: null });
    expect(await shipPendingWrites(h.db.pool, store)).toEqual({
      shipped: 0,
      shippedDays: [],
      answersWritten: 0,
      pending: 0,
    });
    const journal: string[] = [];
    for await (const key of store.list('journal/')) journal.push(key);
    expect(journal).toHaveLength(lag.pending);
  });

  it('rebuilds the history exactly in an empty database, without a request to JAO', async () => {
    const requestsBefore = h.simulator.requests.length;
    // The restore workflow, on a worker whose database is the empty one: small batches and few per run, so that it
    // goes through several batches and continues as new on the way.
    const worker = await Worker.create({
      connection: h.temporal.workerConnection,
      namespace: h.temporal.namespace,
      taskQueue: `${h.taskQueue}-restore`,
      workflowBundle: { code: runBundle().code },
      activities: createArchiveActivities({ pool: restored.pool }),
    });
    const progress = await worker.runUntil(
      h.temporal.client.workflow.execute<typeof restoreWorkflow>('restoreWorkflow', {
        workflowId: `${RESTORE_WORKFLOW_ID}/test`,
        taskQueue: `${h.taskQueue}-restore`,
        args: [{ from: pathToFileURL(archiveDir).href, batchSize: 5, batchesPerRun: 2 }],
      }),
    );
    expect(h.simulator.requests.length).toBe(requestsBefore);
    expect(progress).toMatchObject({ skipped: 0, applied: progress.total, done: true });
    // Small keyed days' checks share a transaction (archive/restore.ts): fewer transactions than journaled writes.
    const journal = await restored.pool.query<{ writes: number; transactions: number }>(
      'SELECT count(*)::int AS writes, count(DISTINCT xmin::text)::int AS transactions FROM jao.day_write',
    );
    expect(journal.rows[0]!.transactions).toBeLessThan(journal.rows[0]!.writes);

    await expectSameHistory(restored.pool);
  }, 120_000);

  it('refuses a database that holds days; a merge of the same archive adds nothing', async () => {
    const store = new FileArchiveStore(archiveDir);
    await expect(restoreArchive(restored.pool, store, {})).rejects.toThrow(RestoreRefused);
    const refused = await runCli(['restore', '--from', pathToFileURL(archiveDir).href], {
      DATABASE_URL: restored.url,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(
      new RegExp(`^jao restore: the database holds ${DAY_COUNT} day\\(s\\)`),
    );
    const before = await rows(restored.pool, DAYS);
    const merged = await restoreArchive(restored.pool, store, { merge: true });
    expect(merged.applied).toBe(0);
    expect(merged.skipped).toBe(merged.total);
    expect(await rows(restored.pool, DAYS)).toEqual(before);
  });

  it('stops at a damaged answer, naming it, and resumes from there once it is mended', async () => {
    const store = new FileArchiveStore(archiveDir);
    // The answer of a write in the middle of the journal, by its place in it (the backfill's days end in any order), and
    // of that write alone: the batches before it commit, and the answers after it are read ahead of the writes.
    const answers: string[] = [];
    for await (const key of store.list('journal/')) {
      const entry = decodeEntry(key, (await store.get(key))!);
      if (entry.answer) answers.push(entry.answer.object);
    }
    const once = answers.filter((object) => answers.indexOf(object) === answers.lastIndexOf(object));
    const damaged = once[Math.floor(once.length / 2)];
    const objectPath = path.join(archiveDir, ...damaged!.split('/'));
    const original = await readFile(objectPath);
    const copy = await createTestDatabase();
    try {
      await writeFile(objectPath, 'not the answer');
      await expect(restoreArchive(copy.pool, store, { batchSize: 5 })).rejects.toThrow(
        `${damaged} does not hold the bytes its name says (sha256 mismatch)`,
      );
      await writeFile(objectPath, original);
      const resumed = await restoreArchive(copy.pool, store, { merge: true });
      expect(resumed.skipped).toBeGreaterThan(0);
      expect(resumed.applied + resumed.skipped).toBe(resumed.total);
      await expectSameHistory(copy.pool);
    } finally {
      await writeFile(objectPath, original);
      await copy.release();
    }
  }, 120_000);

  it('fails a restore through the workers with its reason in one line, at once', async () => {
    const failure = await h.temporal.client.workflow
      .execute<typeof restoreWorkflow>('restoreWorkflow', {
        workflowId: `${RESTORE_WORKFLOW_ID}/refused`,
        taskQueue: h.taskQueue,
        args: [{ from: pathToFileURL(archiveDir).href }],
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(messageWithCauses(failure)).toBe(
      `the database holds ${DAY_COUNT} day(s): restore rebuilds an empty database (create one and run jao migrate), or pass --merge to add the archive's writes that are newer than what each day holds`,
    );
  });

  it('refuses at once, with the fix, an archive URL that names no archive', async () => {
    const empty = await createTestDatabase();
    try {
      const nothing = pathToFileURL(path.join(archiveDir, 'nothing-here')).href;
      const activities = createArchiveActivities({ pool: empty.pool });
      const refused = await activities.planArchiveRestore({ from: nothing, merge: false }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ApplicationFailure);
      expect(refused).toMatchObject({ nonRetryable: true, type: ARCHIVE_MISCONFIGURED });
      expect((refused as Error).message).toMatch(
        /^file:\/\/\/.*nothing-here is not an archive of jao-scraper \(no manifest\.json\): restore from the ARCHIVE_URL the pipeline shipped to \(--from\)$/,
      );
    } finally {
      await empty.release();
    }
  });

  it('refuses through the activity, without a retry, a database that holds days', async () => {
    const activities = createArchiveActivities({ pool: h.db.pool });
    const refused = await activities
      .planArchiveRestore({ from: pathToFileURL(archiveDir).href, merge: false })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ nonRetryable: true, type: RESTORE_REFUSED });
    expect((refused as Error).message).toMatch(new RegExp(`^the database holds ${DAY_COUNT} day\\(s\\): `));
  });

  it("refuses a restore whose DATABASE_URL is not the workers' database, naming both, before starting it", async () => {
    const empty = await createTestDatabase();
    try {
      const target = { namespace: h.temporal.namespace, taskQueue: h.taskQueue };
      const theirs = await readDatabaseIdentity(h.db.pool);
      const mine = await readDatabaseIdentity(empty.pool);
      await expect(
        checkWorkerDatabase(h.temporal.connection, target, async () => theirs),
      ).resolves.toBeUndefined();

      const refused = await runCli(['restore', '--from', pathToFileURL(archiveDir).href, '--wait'], {
        DATABASE_URL: empty.url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: h.temporal.namespace,
        TEMPORAL_TASK_QUEUE: h.taskQueue,
      });
      expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: '' });
      expect(refused.stderr).toBe(
        `jao restore: the worker of task queue ${h.taskQueue} writes to database ${describeDatabase(theirs)}, ` +
          `but DATABASE_URL names database ${describeDatabase(mine)}: point DATABASE_URL at the worker's database, ` +
          'or stop the worker and start one on this database\n',
      );
      await expect(h.temporal.client.workflow.getHandle(RESTORE_WORKFLOW_ID).describe()).rejects.toThrow(
        WorkflowNotFoundError,
      );
    } finally {
      await empty.release();
    }
  });

  it('does the same through an S3-compatible server', async () => {
    const server = await startS3Server();
    const copy = await createTestDatabase();
    try {
      await h.db.pool.query('UPDATE jao.day_write SET archived_at = NULL, archive_key = NULL');
      const store = await openArchiveStore(server.freshUrl('restore'), server.env);
      const shipped = await shipPendingWrites(h.db.pool, store);
      expect(shipped.pending).toBe(0);
      const requestsBefore = h.simulator.requests.length;
      const progress = await restoreArchive(copy.pool, store, { batchSize: 50 });
      expect(progress).toMatchObject({ applied: shipped.shipped, skipped: 0 });
      expect(h.simulator.requests.length).toBe(requestsBefore);
      await expectSameHistory(copy.pool);
    } finally {
      await copy.release();
      await server.stop();
    }
  }, 180_000);
});
