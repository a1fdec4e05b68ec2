// Lineage (docs/design.md §13): every revision of a value names the raw answer and the build that produced it;
// jao.value_lineage answers "where does this value come from" for jao_reader; values stored before lineage are
// marked unknown, never guessed, including on a TimescaleDB database whose history was compressed when migration 016
// arrived. In a namespace of the file's own: day 2023-11-07.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readerDatabaseUrl } from '../../api/config';
import { migrate } from '../../db/migrate';
import { writeDay } from '../../db/writeDay';
import { type ReprocessDayResult, reprocessDayWorkflowId } from '../../domain/reprocessInputs';
import type { WorkflowBundle } from '../../workers/workflowBundle';
import { testClient } from '../helpers/connections';
import { createDatabaseBefore, type EarlierSchemaDatabase } from '../helpers/database';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness, runBundle } from '../helpers/pipeline';
import { validatedDay } from './storageFixtures';

const DAY = '2023-11-07';
const MTU = '2023-11-07T10:00:00.000Z';

const withBuildId = (bundle: WorkflowBundle, buildId: string): WorkflowBundle => ({
  code: bundle.code,
  info: { ...bundle.info, buildId },
});

interface LineageRow {
  revision: number;
  value_mw: number;
  valid_from: Date;
  valid_to: Date | null;
  is_current: boolean;
  lineage_known: boolean;
  raw_response_id: number | null;
  fetched_at: Date | null;
  sha256: string | null;
  build_id: string | null;
  reason: string | null;
  kind: string | null;
  workflow_id: string | null;
  delivery_day: string;
}

async function lineageAs(url: string, border: string, mtu: string): Promise<LineageRow[]> {
  const reader = testClient({ connectionString: readerDatabaseUrl({ DATABASE_URL: url }) });
  await reader.connect();
  try {
    return (
      await reader.query<LineageRow>(
        `SELECT revision, value_mw, valid_from, valid_to, is_current, lineage_known, raw_response_id, fetched_at,
                sha256, build_id, reason, kind, workflow_id, delivery_day::text AS delivery_day
           FROM jao.value_lineage($1, $2)`,
        [border, mtu],
      )
    ).rows;
  } finally {
    await reader.end();
  }
}

describe('the lineage of a value revised twice', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await createPipelineHarness('lineage', {}, { namespace: await createTestNamespace('lineage') });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('names for each revision its raw answer (id, fetch time, sha256), its build and why it was written', async () => {
    const first = await h.startWorkers({ workflowBundle: withBuildId(runBundle(), 'build-a') });
    const published = h.simulator.expectedValue(DAY, 'border_AT_BE', MTU);
    expect((await h.runDay(DAY)).status).toBe('complete');
    await first.stop();

    // JAO revises the day; a faulty build stores a wrong value of the revised answer.
    h.simulator.reviseDay(DAY);
    const revised = h.simulator.expectedValue(DAY, 'border_AT_BE', MTU);
    expect(revised).not.toBe(published);
    const faulty = await h.startWorkers({ workflowBundle: withBuildId(runBundle(), 'faulty-build') });
    expect((await h.runDay(DAY)).changedPoints).toBeGreaterThan(0);
    await faulty.stop();
    await h.db.pool.query(
      `UPDATE jao.observation SET value = value + 100
        WHERE mtu = $1 AND series_id = (SELECT series_id FROM jao.series WHERE key = 'border_AT_BE')`,
      [MTU],
    );

    // A fixed build re-derives the day from the stored answer.
    const fixed = await h.startWorkers({ workflowBundle: withBuildId(runBundle(), 'build-b') });
    const requestsBefore = h.simulator.requests.length;
    const result: ReprocessDayResult = await h.temporal.client.workflow.execute('reprocessDayWorkflow', {
      workflowId: reprocessDayWorkflowId('maxExchanges', DAY),
      taskQueue: h.taskQueue,
      args: [{ day: DAY }],
    });
    await fixed.stop();
    expect(result).toMatchObject({ status: 'complete', changed: true, values: { changed: 1, added: 0 } });
    expect(h.simulator.requests.length).toBe(requestsBefore);

    const raw = (
      await h.db.pool.query<{ id: number; fetched_at: Date; body: Buffer }>(
        'SELECT raw_response_id AS id, fetched_at, body FROM jao.raw_response WHERE day = $1 ORDER BY raw_response_id',
        [DAY],
      )
    ).rows;
    expect(raw).toHaveLength(2);
    const [answerA, answerB] = raw.map((row) => ({
      raw_response_id: row.id,
      fetched_at: row.fetched_at,
      sha256: createHash('sha256').update(row.body).digest('hex'),
    }));

    const rows = await lineageAs(h.db.url, 'AT_BE', MTU);
    expect(rows).toEqual([
      {
        revision: 1,
        value_mw: published,
        valid_from: expect.any(Date),
        valid_to: rows[1]!.valid_from,
        is_current: false,
        lineage_known: true,
        ...answerA,
        build_id: 'build-a',
        reason: `derived from JAO's answer (raw response ${answerA!.raw_response_id})`,
        kind: 'fetch',
        workflow_id: `maxExchanges/day/${DAY}`,
        delivery_day: DAY,
      },
      {
        revision: 2,
        value_mw: revised + 100,
        valid_from: expect.any(Date),
        valid_to: rows[2]!.valid_from,
        is_current: false,
        lineage_known: true,
        ...answerB,
        build_id: 'faulty-build',
        reason: `derived from JAO's answer (raw response ${answerB!.raw_response_id})`,
        kind: 'fetch',
        workflow_id: `maxExchanges/day/${DAY}`,
        delivery_day: DAY,
      },
      {
        revision: 3,
        value_mw: revised,
        valid_from: expect.any(Date),
        valid_to: null,
        is_current: true,
        lineage_known: true,
        ...answerB,
        build_id: 'build-b',
        reason: `reprocessed by build build-b from raw response ${answerB!.raw_response_id}`,
        kind: 'reprocess',
        workflow_id: reprocessDayWorkflowId('maxExchanges', DAY),
        delivery_day: DAY,
      },
    ]);
    expect(rows[0]!.valid_from.getTime()).toBeLessThan(rows[1]!.valid_from.getTime());
    expect(rows[1]!.valid_from.getTime()).toBeLessThan(rows[2]!.valid_from.getTime());

    // The reader reads lineage through the view and the function only, not the pipeline's tables.
    const reader = testClient({ connectionString: readerDatabaseUrl({ DATABASE_URL: h.db.url }) });
    await reader.connect();
    try {
      const refused = await reader
        .query('SELECT 1 FROM jao.derivation')
        .catch((error: { code?: string }) => error);
      expect((refused as { code?: string }).code).toBe('42501');
    } finally {
      await reader.end();
    }
  });
});

describe('values stored before lineage', () => {
  let db: EarlierSchemaDatabase;
  let pool: pg.Pool;
  let timescale = false;
  const url = () => db.url;
  const OLD_DAY = '2022-07-01';
  const OLD_MTU = '2022-07-01T09:00:00.000Z';
  const BORDERS = ['AT_BE', 'BE_AT', 'DE_FR'];
  const value = (border: string, hour: number) => 1000 + hour + BORDERS.indexOf(border);

  beforeAll(async () => {
    db = await createDatabaseBefore('before_lineage', '016');
    ({ pool, timescale } = db);
    // A day stored by a build before migration 016, as that schema held it.
    const borders = `ARRAY['${BORDERS.join("', '")}']`;
    await pool.query(
      `INSERT INTO jao.series (dataset, key, from_zone, to_zone, first_seen_at, last_seen_at)
       SELECT 'maxExchanges', 'border_' || b, split_part(b, '_', 1), split_part(b, '_', 2), now(), now()
         FROM unnest(${borders}) AS b;
       INSERT INTO jao.observation (series_id, mtu, value, revision, first_seen_at, updated_at)
       SELECT s.series_id, g.mtu,
              1000 + extract(epoch FROM g.mtu - '2022-06-30T22:00:00Z'::timestamptz) / 3600
                + array_position(${borders}, s.border) - 1,
              1, now(), now()
         FROM jao.series s,
              generate_series('2022-06-30T22:00:00Z'::timestamptz, '2022-07-01T21:00:00Z', '1 hour') AS g(mtu);
       INSERT INTO jao.delivery_day (dataset, day, status, expected_mtus, received_mtus, points, revision_count,
                                     last_changed_at, last_checked_at, attempts)
       VALUES ('maxExchanges', '${OLD_DAY}', 'complete', 24, 24, 72, 1, now(), now(), 1);`,
    );
    if (timescale) {
      await pool.query(`SELECT count(compress_chunk(c)) FROM show_chunks('jao.observation') AS c`);
    }
    await migrate(pool);
  });
  afterAll(async () => {
    await db?.release();
  });

  it('are marked unknown, and the revision a later write makes of them is known', async () => {
    if (timescale) {
      const chunks = await pool.query<{ compressed: boolean }>(
        `SELECT is_compressed AS compressed FROM timescaledb_information.chunks
          WHERE hypertable_schema = 'jao' AND hypertable_name = 'observation'`,
      );
      expect(chunks.rows).toEqual([{ compressed: true }]);
    }
    const before = await lineageAs(url(), 'AT_BE', OLD_MTU);
    expect(before).toEqual([
      {
        revision: 1,
        value_mw: value('AT_BE', 11),
        valid_from: expect.any(Date),
        valid_to: null,
        is_current: true,
        lineage_known: false,
        raw_response_id: null,
        fetched_at: null,
        sha256: null,
        build_id: null,
        reason: null,
        kind: null,
        workflow_id: null,
        delivery_day: OLD_DAY,
      },
    ]);

    // A later build writes the day with one value changed: only that value gets a new, known revision.
    await writeDay(pool, {
      dataset: 'maxExchanges',
      day: OLD_DAY,
      status: 'complete',
      validated: validatedDay(OLD_DAY, BORDERS, (border, hour) =>
        border === 'AT_BE' && hour === 11 ? 4242 : value(border, hour),
      ),
      expectedMtus: 24,
      rawResponseId: null,
      workflowId: 'test',
      buildId: 'build-after-016',
    });
    const after = await lineageAs(url(), 'AT_BE', OLD_MTU);
    expect(
      after.map((row) => [row.revision, row.value_mw, row.lineage_known, row.build_id, row.reason]),
    ).toEqual([
      [1, value('AT_BE', 11), false, null, null],
      [2, 4242, true, 'build-after-016', 'written without a stored raw answer'],
    ]);
    const untouched = await lineageAs(url(), 'DE_FR', OLD_MTU);
    expect(untouched.map((row) => [row.revision, row.lineage_known])).toEqual([[1, false]]);
  });
});
