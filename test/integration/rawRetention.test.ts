// Retention of raw bodies (RAW_RETENTION_DAYS, docs/archive.md "Retention"): days with revisions are archived to a
// file archive; the archive workflow then drops the bodies of archived answers last fetched before the retention,
// but each day's newest; reprocessing reads a dropped body back from the archive with zero requests to JAO and
// derives what it derived before; lineage names the archive object. With the archive out of reach, reprocessing
// fails in one clear line and changes nothing, and pruning drops nothing; then the same against an S3-compatible
// server. In a namespace of the file's own: days 2023-06-05..2023-06-08.
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkflowFailedError } from '@temporalio/client';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createArchivedBodyReader } from '../../activities/archive';
import { reprocessDay } from '../../activities/reprocess';
import { FileArchiveStore } from '../../archive/fileStore';
import { openArchiveStore } from '../../archive/openStore';
import { pruneArchivedBodies } from '../../archive/prune';
import { shipPendingWrites } from '../../archive/ship';
import { verifyArchive } from '../../archive/verify';
import { createPool } from '../../db/pool';
import { reprocessDayWorkflowId, reprocessWorkflowId } from '../../domain/reprocessInputs';
import type { ArchiveRunResult } from '../../workflows/archive';
import { runCli } from '../helpers/cli';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness, type RunningWorkers } from '../helpers/pipeline';
import { startS3Server } from '../helpers/s3Server';

/** Revised twice: three answers. */
const REVISED = '2023-06-05';
/** Answered once, revised after the archive ran: its later answers are not archived. */
const REVISED_LATE = '2023-06-06';
const ONCE = '2023-06-07';
/** Its newest answer is malformed: its values come from the older one, whose body is dropped. */
const LATER_MALFORMED = '2023-06-08';
const DAYS = [REVISED, REVISED_LATE, ONCE, LATER_MALFORMED];
const RETENTION_DAYS = 30;

let h: PipelineHarness;
let archiveDir: string;
let cliEnv: NodeJS.ProcessEnv;
let workers: RunningWorkers;
/** LATER_MALFORMED's values as first derived. */
let laterMalformedValues: unknown[];
const pools: pg.Pool[] = [];

interface RawRow {
  id: number;
  day: string;
  archived: boolean;
  newest: boolean;
  aged: boolean;
  dropped: boolean;
}

async function rawRows(): Promise<RawRow[]> {
  const result = await h.db.pool.query<RawRow>(
    `SELECT r.raw_response_id::int AS id, r.day::text AS day, r.archive_key IS NOT NULL AS archived,
            NOT EXISTS (SELECT 1 FROM jao.raw_response n
                         WHERE n.day = r.day AND n.raw_response_id > r.raw_response_id) AS newest,
            r.last_fetched_at < now() - interval '${RETENTION_DAYS} days' AS aged, r.body IS NULL AS dropped
       FROM jao.raw_response r ORDER BY r.raw_response_id`,
  );
  return result.rows;
}

/** The derived state reprocessing could touch: current values, revision history, day records, lineage rows. */
async function derived() {
  const query = async (sql: string) => (await h.db.pool.query(sql)).rows;
  return {
    values: await query(
      'SELECT mtu, border, value_mw, revision, first_seen_at, updated_at FROM jao.max_exchanges ORDER BY mtu, border',
    ),
    history: await query('SELECT count(*)::int AS n FROM jao.max_exchanges_history'),
    days: await query(
      `SELECT day::text, status, content_hash, revision_count, points, last_raw_response_id::int, reason
         FROM jao.delivery_day ORDER BY day`,
    ),
    derivations: await query('SELECT count(*)::int AS n FROM jao.derivation'),
  };
}

const damage = (day: string) =>
  h.db.pool.query(
    `UPDATE jao.observation SET value = value + 7
      WHERE mtu >= ($1::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
        AND mtu < ($1::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'`,
    [day],
  );

const valuesOf = async (day: string) =>
  (
    await h.db.pool.query(
      'SELECT mtu, border, value_mw FROM jao.max_exchanges WHERE delivery_day = $1 ORDER BY mtu, border',
      [day],
    )
  ).rows;

describe('raw body retention', () => {
  beforeAll(async () => {
    const namespace = await createTestNamespace('retention');
    h = await createPipelineHarness('retention', {}, { namespace });
    archiveDir = await mkdtemp(path.join(tmpdir(), 'jao-retention-'));
    workers = await h.startWorkers({
      archiveUrl: pathToFileURL(archiveDir).href,
      rawRetentionDays: RETENTION_DAYS,
    });
    cliEnv = {
      DATABASE_URL: h.db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      ARCHIVE_URL: pathToFileURL(archiveDir).href,
      RAW_RETENTION_DAYS: String(RETENTION_DAYS),
    };
    for (const day of DAYS) expect((await h.runDay(day)).status).toBe('complete');
    for (let revision = 0; revision < 2; revision++) {
      h.simulator.reviseDay(REVISED);
      expect((await h.runDay(REVISED)).status).toBe('complete');
    }
    h.simulator.setFaults({ malformedDays: [LATER_MALFORMED] });
    expect((await h.runDay(LATER_MALFORMED)).status).toBe('complete');
    h.simulator.setFaults({ malformedDays: [] });
    await shipPendingWrites(h.db.pool, new FileArchiveStore(archiveDir));
    // Two answers after the archive ran: the first is neither archived nor its day's newest.
    for (let revision = 0; revision < 2; revision++) {
      h.simulator.reviseDay(REVISED_LATE);
      expect((await h.runDay(REVISED_LATE)).status).toBe('complete');
    }
    // Every answer but REVISED's second was last fetched before the retention.
    await h.db.pool.query(
      `UPDATE jao.raw_response SET last_fetched_at = last_fetched_at - interval '40 days'
        WHERE raw_response_id <> (SELECT raw_response_id FROM jao.raw_response WHERE day = $1
                                   ORDER BY raw_response_id OFFSET 1 LIMIT 1)`,
      [REVISED],
    );
  }, 120_000);

  afterAll(async () => {
    await workers?.stop();
    for (const pool of pools) await pool.end();
    await h?.close();
    if (archiveDir) {
      await rm(archiveDir, { recursive: true, force: true });
      await rm(`${archiveDir}-away`, { recursive: true, force: true });
    }
  });

  it('drops only the bodies of archived old answers that are not their day’s newest, also in the archive workflow', async () => {
    const before = await rawRows();
    const expected = before.filter((r) => r.archived && r.aged && !r.newest).map((r) => r.id);
    // REVISED's first answer, LATER_MALFORMED's data answer and REVISED_LATE's first (archived, then superseded).
    expect(expected).toHaveLength(3);
    // Kept: a young archived answer, an unarchived old one, and each day's newest.
    const unarchived = before.find((r) => !r.archived && r.aged && !r.newest)!;
    expect(unarchived).toBeDefined();
    expect(before.some((r) => r.archived && !r.aged && !r.newest)).toBe(true);

    // Twice at once: each body goes once.
    const store = new FileArchiveStore(archiveDir);
    const [a, b] = await Promise.all([
      pruneArchivedBodies(h.db.pool, store, RETENTION_DAYS),
      pruneArchivedBodies(h.db.pool, store, RETENTION_DAYS),
    ]);
    expect(a.dropped + b.dropped).toBe(3);
    expect([...a.faults, ...b.faults]).toEqual([]);
    expect((await rawRows()).filter((r) => r.dropped).map((r) => r.id)).toEqual(expected);

    // The scheduled path: the archive workflow ships the unarchived answer's write, then drops its body.
    const run: ArchiveRunResult = await h.temporal.client.workflow.execute('archiveWorkflow', {
      workflowId: 'archive/retention-test',
      taskQueue: h.taskQueue,
    });
    expect(run).toMatchObject({ pending: 0, bodiesDropped: 1 });
    const after = await rawRows();
    expect(after.filter((r) => r.dropped).map((r) => r.id)).toEqual(
      [...expected, unarchived.id].sort((x, y) => x - y),
    );
    expect(after.filter((r) => !r.archived)).toEqual([]);

    const again = await runCli(['archive'], cliEnv);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `raw bodies: 0 dropped from the database (archived, read back, last fetched over ${RETENTION_DAYS} day(s) ago)`,
    );
    expect(await verifyArchive(h.db.pool, store)).toMatchObject({ faults: [] });
    // A body missing without its archive object read back cannot exist.
    await expect(
      h.db.pool.query(
        `UPDATE jao.raw_response SET body = NULL
          WHERE raw_response_id = (SELECT max(raw_response_id) FROM jao.raw_response)`,
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'raw_response_body_or_archive' });
  });

  it('reprocesses from the archive with zero requests, deriving what it derived before', async () => {
    const truth = await derived();
    const requests = h.simulator.requests.length;
    const unchanged = await h.temporal.client.workflow.execute('reprocessWorkflow', {
      workflowId: reprocessWorkflowId('maxExchanges', REVISED, LATER_MALFORMED),
      taskQueue: h.taskQueue,
      args: [{ from: REVISED, to: LATER_MALFORMED }],
    });
    expect(unchanged).toMatchObject({ total: 4, changedDays: 0, notCompleted: [] });
    expect(await derived()).toEqual(truth);

    // Its values damaged, LATER_MALFORMED is re-derived from its data answer, whose body only the archive holds.
    const right = await valuesOf(LATER_MALFORMED);
    laterMalformedValues = right;
    await damage(LATER_MALFORMED);
    const repaired = await h.temporal.client.workflow.execute('reprocessDayWorkflow', {
      workflowId: reprocessDayWorkflowId('maxExchanges', LATER_MALFORMED),
      taskQueue: h.taskQueue,
      args: [{ day: LATER_MALFORMED }],
    });
    expect(repaired).toMatchObject({ changed: true, latestAnswer: false });
    expect(await valuesOf(LATER_MALFORMED)).toEqual(right);
    expect(h.simulator.requests.length).toBe(requests);

    // Lineage names the archive object of the dropped answer the repair came from.
    const source = await h.db.pool.query<{ id: number; archive_key: string; dropped: boolean }>(
      `SELECT raw_response_id::int AS id, archive_key, body IS NULL AS dropped FROM jao.raw_response
        WHERE day = $1 ORDER BY raw_response_id LIMIT 1`,
      [LATER_MALFORMED],
    );
    expect(source.rows[0]).toMatchObject({
      dropped: true,
      archive_key: expect.stringMatching(/^answers\/[0-9a-f]{64}$/),
    });
    const mtu = (right[0] as { mtu: Date }).mtu;
    const lineage = await h.db.pool.query<{
      kind: string;
      raw_response_id: number;
      archive_object: string | null;
    }>(`SELECT kind, raw_response_id, archive_object FROM jao.value_lineage('AT_BE', $1) WHERE is_current`, [
      mtu,
    ]);
    expect(lineage.rows).toEqual([
      {
        kind: 'reprocess',
        raw_response_id: source.rows[0]!.id,
        archive_object: source.rows[0]!.archive_key,
      },
    ]);
  });

  it('with the archive out of reach, fails the reprocessing in one clear line, changes nothing and drops nothing', async () => {
    await rename(archiveDir, `${archiveDir}-away`);
    await writeFile(archiveDir, 'not an archive');
    await damage(LATER_MALFORMED);
    const before = await derived();
    const failed = await h.temporal.client.workflow
      .execute('reprocessDayWorkflow', {
        workflowId: reprocessDayWorkflowId('maxExchanges', LATER_MALFORMED),
        taskQueue: h.taskQueue,
        args: [{ day: LATER_MALFORMED }],
      })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    expect((failed as WorkflowFailedError).cause?.message).toMatch(
      new RegExp(
        `^reprocessing ${LATER_MALFORMED} failed: reprocess ${LATER_MALFORMED}: raw response \\d+ of ${LATER_MALFORMED} \\(its body was dropped under RAW_RETENTION_DAYS; archive object answers/[0-9a-f]{64}\\): not in the archive file:///`,
      ),
    );
    expect(await derived()).toEqual(before);

    // REVISED's second answer grows old: with its archive object out of reach, its body stays.
    await h.db.pool.query(
      `UPDATE jao.raw_response SET last_fetched_at = last_fetched_at - interval '40 days' WHERE body IS NOT NULL`,
    );
    const dropped = (await rawRows()).filter((r) => r.dropped).map((r) => r.id);
    const pruned = await pruneArchivedBodies(h.db.pool, new FileArchiveStore(archiveDir), RETENTION_DAYS);
    expect(pruned.dropped).toBe(0);
    expect(pruned.faults).toEqual([
      expect.stringMatching(/^answers\/[0-9a-f]{64} \(raw response \d+\) is missing/),
    ]);
    expect((await rawRows()).filter((r) => r.dropped).map((r) => r.id)).toEqual(dropped);
  });

  it('does the same with an S3-compatible archive', async () => {
    const server = await startS3Server();
    const pool = createPool(h.db.url, { max: 2 });
    pools.push(pool);
    try {
      const url = server.freshUrl('retention');
      const store = await openArchiveStore(url, server.env);
      // The archive's answers, moved to object storage.
      const moved = new FileArchiveStore(`${archiveDir}-away`);
      for await (const key of moved.list('answers/')) await store.putIfAbsent(key, (await moved.get(key))!);

      // LATER_MALFORMED, damaged by the previous test, is repaired from its dropped body read from S3.
      const requests = h.simulator.requests.length;
      const result = await reprocessDay(
        { pool, buildId: 'retention-test', readArchived: createArchivedBodyReader(url, server.env) },
        { dataset: 'maxExchanges', day: LATER_MALFORMED, workflowId: null, dryRun: false },
      );
      expect(result).toMatchObject({ changed: true, latestAnswer: false });
      expect(await valuesOf(LATER_MALFORMED)).toEqual(laterMalformedValues);
      expect(h.simulator.requests.length).toBe(requests);

      // REVISED's second answer, old now, goes once its object is read back from S3.
      const pruned = await pruneArchivedBodies(h.db.pool, store, RETENTION_DAYS);
      expect(pruned).toEqual({ dropped: 1, faults: [] });
    } finally {
      await server.stop();
    }
  }, 60_000);
});
