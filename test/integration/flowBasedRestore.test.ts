// The flow-based domain from its stored answers alone (docs/flow-based.md, "Paging": a paged day is one stored
// answer holding every page): reprocessed with zero requests to JAO, and restored into an empty database from the
// archive with every version, its times and the days' records equal to the original's.
import { createHash } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileArchiveStore } from '../../archive/fileStore';
import { pruneArchivedBodies } from '../../archive/prune';
import { restoreArchive } from '../../archive/restore';
import { shipPendingWrites } from '../../archive/ship';
import { verifyArchive } from '../../archive/verify';
import type { ReprocessResult } from '../../domain/reprocessInputs';
import { reprocessWorkflowId } from '../../domain/reprocessInputs';
import type { Dataset } from '../../domain/types';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { SMALL_FLOW_BASED_DOMAIN } from '../helpers/smallDomain';

const DATASET: Dataset = 'coreFinalComputation';
const DAYS = ['2026-11-02', '2026-11-03'];
const REVISED = '2026-11-03';
const NOW = new Date('2026-11-22T12:00:00Z');

let h: PipelineHarness;
let archiveDir: string;
let restored: TestDatabase;

beforeAll(async () => {
  h = await createPipelineHarness('flow-based-restore', { now: () => NOW, ...SMALL_FLOW_BASED_DOMAIN });
  await h.startWorkers();
  archiveDir = await mkdtemp(path.join(tmpdir(), 'jao-flow-based-archive-'));
  for (const day of DAYS) expect((await h.runDay(day, DATASET)).status).toBe('complete');
  const revise = await fetch(
    `${h.simulator.origin}/_simulator/flowbased/revise?day=${REVISED}&endpoint=finalComputation`,
    { method: 'POST' },
  );
  expect(revise.status).toBe(200);
  expect((await h.runDay(REVISED, DATASET)).revision).toBe(2);
});

afterAll(async () => {
  await h?.close();
  await restored?.release();
  if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
});

/** The row count and a digest of every row of `sql`, computed by the database. */
async function digest(pool: pg.Pool, sql: string): Promise<string> {
  const result = await pool.query<{ rows: string; digest: string }>(
    `SELECT count(*) AS rows, md5(string_agg(q.line, E'\\n' ORDER BY q.line)) AS digest
       FROM (SELECT row_to_json(r)::text AS line FROM (${sql}) AS r) AS q`,
  );
  return `${result.rows[0]!.rows} ${result.rows[0]!.digest}`;
}

// Every version with its times, the constraint named by its identity (its id is a surrogate of each database).
const VERSIONS = `
  SELECT dataset, delivery_day, mtu, tso, cne_eic, cne_name, direction, contingency_eics, presolved, ram,
         min_ram_target, min_ram_factor, imax, u, fmax, frm, fref_init, fnrao, fref, fcore, fall, fuaf, amr,
         lta_margin, cva, iva, ftotal_ltn, fltn, cne_status, hub_from, hub_to, substation_from, substation_to,
         element_type, fmax_type, cont_tso, cont_name, justification, contingencies, ptdf_hubs, ptdf_values, extra,
         jao_id, revision, first_seen_at, valid_from, valid_to
    FROM jao.constraint_history`;
// The catalogue: a constraint's times are those of the committed writes that stored it, in whatever order.
const CONSTRAINTS = `
  SELECT dataset, constraint_key, tso, cne_eic, cne_name, direction, contingency_eics, first_seen_at, last_seen_at
    FROM jao.flow_constraint`;
const DAY_RECORDS = `
  SELECT dataset, day, status, expected_mtus, received_mtus, points, content_hash, revision_count, first_complete_at,
         last_changed_at, reason
    FROM jao.delivery_day`;

describe('the flow-based domain from its stored answers', () => {
  it('is reprocessed with zero requests to JAO, changing nothing', async () => {
    const before = await digest(h.db.pool, VERSIONS);
    const requests = h.simulator.requests.length;
    const result: ReprocessResult = await h.temporal.client.workflow.execute('reprocessWorkflow', {
      workflowId: reprocessWorkflowId(DATASET, DAYS[0]!, DAYS[1]!),
      taskQueue: h.taskQueue,
      args: [{ dataset: DATASET, from: DAYS[0]!, to: DAYS[1]! }],
    });
    expect(result).toMatchObject({ total: 2, byStatus: { complete: 2 }, changedDays: 0, notCompleted: [] });
    expect(h.simulator.requests.length).toBe(requests);
    expect(await digest(h.db.pool, VERSIONS)).toBe(before);
  });

  it('is restored from the archive into an empty database: every version, its times, the days', async () => {
    const store = new FileArchiveStore(archiveDir);
    const shipped = await shipPendingWrites(h.db.pool, store);
    expect(shipped.pending).toBe(0);
    restored = await createTestDatabase();
    const requests = h.simulator.requests.length;
    const progress = await restoreArchive(restored.pool, store, {});
    expect(progress.applied).toBeGreaterThanOrEqual(3);
    expect(h.simulator.requests.length).toBe(requests);
    const versions = await digest(h.db.pool, VERSIONS);
    expect(versions).not.toMatch(/^0 /);
    expect(await digest(restored.pool, VERSIONS)).toBe(versions);
    expect(await digest(restored.pool, DAY_RECORDS)).toBe(await digest(h.db.pool, DAY_RECORDS));
    expect(await digest(restored.pool, CONSTRAINTS)).toBe(await digest(h.db.pool, CONSTRAINTS));
    const revisedHistory = await restored.pool.query(
      `SELECT count(*)::int AS n FROM jao.constraint_value_history WHERE delivery_day = $1`,
      [REVISED],
    );
    expect(revisedHistory.rows[0].n).toBeGreaterThan(0);
    // Its lane restores a day at a time (db/lanes/constraints/lane.ts): each journaled write in a transaction of its
    // own.
    const journal = await restored.pool.query<{ writes: number; transactions: number }>(
      'SELECT count(*)::int AS writes, count(DISTINCT xmin::text)::int AS transactions FROM jao.day_write',
    );
    expect(journal.rows[0]!.writes).toBeGreaterThanOrEqual(3);
    expect(journal.rows[0]!.transactions).toBe(journal.rows[0]!.writes);
  });

  it("keeps the domain's answers gzip-compressed in the archive: verified, and an older body dropped from the database", async () => {
    const store = new FileArchiveStore(archiveDir);
    const objects = await h.db.pool.query<{ archive_key: string; bytes: number }>(
      'SELECT archive_key, bytes FROM jao.raw_response WHERE dataset = $1 ORDER BY raw_response_id',
      [DATASET],
    );
    expect(objects.rows).toHaveLength(3);
    for (const { archive_key: key, bytes } of objects.rows) {
      expect(key).toMatch(/^answers\/[0-9a-f]{64}\.gz$/);
      const object = await store.get(key);
      expect(object!.length).toBeLessThan(bytes / 4);
    }
    expect(await verifyArchive(h.db.pool, store)).toMatchObject({ faults: [] });
    // The revised day's first answer is no longer its newest: its body may leave the database.
    expect(await pruneArchivedBodies(h.db.pool, store, 0)).toEqual({ dropped: 1, faults: [] });
    const kept = await h.db.pool.query(
      'SELECT day::text, body IS NULL AS dropped FROM jao.raw_response WHERE dataset = $1 ORDER BY raw_response_id',
      [DATASET],
    );
    expect(kept.rows).toEqual([
      { day: DAYS[0], dropped: false },
      { day: REVISED, dropped: true },
      { day: REVISED, dropped: false },
    ]);
    expect(await verifyArchive(h.db.pool, store)).toMatchObject({ faults: [] });
  });

  it('reports, on verifying, an answer object that is not gzip and one that holds other bytes', async () => {
    const copy = await mkdtemp(path.join(tmpdir(), 'jao-flow-based-tampered-'));
    try {
      await cp(archiveDir, copy, { recursive: true });
      const held = await h.db.pool.query<{ archive_key: string }>(
        'SELECT archive_key FROM jao.raw_response WHERE dataset = $1 AND body IS NOT NULL ORDER BY raw_response_id',
        [DATASET],
      );
      const [notGzip, otherBytes] = held.rows.map((row) => row.archive_key);
      await writeFile(path.join(copy, notGzip!), 'not gzip');
      await writeFile(path.join(copy, otherBytes!), gzipSync('other bytes'));
      const other = createHash('sha256').update('other bytes').digest('hex');
      const { faults } = await verifyArchive(h.db.pool, new FileArchiveStore(copy));
      expect(faults.sort()).toEqual(
        [`${notGzip} is not gzip`, `${otherBytes} holds other bytes (answers/${other}.gz)`].sort(),
      );
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('mends, on a reprocessing, a stored version whose columns a faulty build wrote under their right hash', async () => {
    const tampered = await h.db.pool.query<{ constraint_id: string; mtu: Date; ram: number }>(
      `UPDATE jao.constraint_value v SET ram = v.ram + 7
        WHERE (v.constraint_id, v.mtu) = (SELECT constraint_id, mtu FROM jao.constraint_value
                                           WHERE dataset = $1 AND delivery_day = $2
                                           ORDER BY constraint_id, mtu LIMIT 1)
       RETURNING constraint_id::text, mtu, ram`,
      [DATASET, DAYS[0]],
    );
    expect(tampered.rows).toHaveLength(1);
    const { constraint_id: id, mtu, ram } = tampered.rows[0]!;
    const result: ReprocessResult = await h.temporal.client.workflow.execute('reprocessWorkflow', {
      workflowId: `${reprocessWorkflowId(DATASET, DAYS[0]!, DAYS[0]!)}-mend`,
      taskQueue: h.taskQueue,
      args: [{ dataset: DATASET, from: DAYS[0]!, to: DAYS[0]! }],
    });
    expect(result).toMatchObject({ total: 1, changedDays: 1, notCompleted: [] });
    const mended = await h.db.pool.query(
      `SELECT v.ram AS now, x.ram AS replaced FROM jao.constraint_value v
         JOIN jao.constraint_value_history x USING (constraint_id, mtu)
        WHERE v.constraint_id = $1 AND v.mtu = $2`,
      [id, mtu],
    );
    expect(mended.rows).toEqual([{ now: ram - 7, replaced: ram }]);
  });
});
