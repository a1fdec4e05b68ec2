// The write's entry points over the same steps (db/writeDay.ts): a check of JAO, a failed run, a reprocessing and
// its dry run (rolled back, nothing thrown), and a restored write (journaled as archived).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDayRecords } from '../../db/dayStatus';
import { withDecidedTransaction } from '../../db/pool';
import {
  type NewerAnswer,
  previewReprocessedDay,
  type ReprocessedDayResult,
  type RestoredAnswerStore,
  recordFailedDay,
  restoreCheckedWrites,
  restoreDayWrite,
  writeDay,
  writeReprocessedDay,
} from '../../db/writeDay';
import type { DeliveryDay } from '../../domain/types';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, fetchWrite, validatedDay } from './storageFixtures';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
});

afterAll(async () => {
  await db?.release();
});

const BORDERS = ['AT_CZ', 'CZ_AT'];
const T1 = new Date('2026-04-19T08:00:00.000Z');

/** A reprocessing's write that met no newer answer (none is stored in these tests). */
function noNewerAnswer(written: ReprocessedDayResult | NewerAnswer): ReprocessedDayResult {
  if ('newerAnswerId' in written) throw new Error(`a newer answer, raw response ${written.newerAnswerId}`);
  return written;
}

async function storedValues(day: DeliveryDay): Promise<number[]> {
  const { rows } = await pool.query<{ value_mw: number }>(
    `SELECT value_mw FROM jao.max_exchanges WHERE delivery_day = $1::date ORDER BY border, mtu`,
    [day],
  );
  return rows.map((row) => row.value_mw);
}

const journaled = async (day: DeliveryDay) =>
  (
    await pool.query<{ kind: string; archive_key: string | null }>(
      'SELECT kind, archive_key FROM jao.day_write WHERE day = $1::date ORDER BY write_id',
      [day],
    )
  ).rows;

describe("the write's entry points", () => {
  it('a transaction that decides to roll back returns its value and keeps nothing', async () => {
    const decided = await withDecidedTransaction(pool, async (client) => {
      await client.query('CREATE TABLE pg_temp.decided (n int)');
      return { value: 7, commit: false };
    });
    expect(decided).toEqual({ value: 7, commit: false });
    const kept = await pool.query(`SELECT to_regclass('pg_temp.decided') AS t`);
    expect(kept.rows[0].t).toBeNull();
  });

  it('a dry run of a reprocessing says what it would change and writes nothing; the reprocessing writes it', async () => {
    const day = '2026-04-20';
    await writeDay(pool, fetchWrite(day, validatedDay(day, BORDERS, baseValue), T1));
    const before = await storedValues(day);
    const [recordBefore] = await readDayRecords(pool, 'maxExchanges', day, day);
    const repaired = fetchWrite(
      day,
      validatedDay(day, BORDERS, (border, hour) => baseValue(border, hour) + 1),
      T1,
    );
    const { observedAt: _at, ...derived } = repaired;

    const preview = noNewerAnswer(await previewReprocessedDay(pool, derived, 0));
    expect(preview.reprocessed).toMatchObject({ statusBefore: 'complete', committed: false });
    expect(preview.changedPoints).toBe(before.length);
    expect(preview.outcomeChanged).toBe(false);
    expect(await storedValues(day)).toEqual(before);
    expect(await readDayRecords(pool, 'maxExchanges', day, day)).toEqual([recordBefore]);

    const written = noNewerAnswer(await writeReprocessedDay(pool, derived, 0));
    expect(written.reprocessed.committed).toBe(true);
    expect(await storedValues(day)).toEqual(before.map((value) => value + 1));
    expect((await journaled(day)).map((row) => row.kind)).toEqual(['fetch', 'reprocess']);

    // Nothing left to change: rolled back, reported, no exception.
    const again = noNewerAnswer(await writeReprocessedDay(pool, derived, 0));
    expect(again.reprocessed).toEqual({ statusBefore: 'complete', dayChanged: false, committed: false });
    expect(again.contentChanged).toBe(false);
    expect((await journaled(day)).map((row) => row.kind)).toEqual(['fetch', 'reprocess']);
  });

  it('records a failed run, and repeats a journaled write as archived', async () => {
    const day = '2026-04-21';
    const failed = await recordFailedDay(pool, {
      dataset: 'maxExchanges',
      day,
      expectedMtus: 24,
      workflowId: 'wf',
      error: 'JAO unavailable',
    });
    expect([failed.status, failed.points, failed.contentChanged]).toEqual(['failed', 0, false]);

    const restored = await restoreDayWrite(pool, fetchWrite(day, validatedDay(day, BORDERS, baseValue), T1), {
      restoredFrom: 'journal/2026/04/21/x.json',
    });
    expect([restored?.status, restored?.contentChanged]).toEqual(['complete', true]);
    expect(await journaled(day)).toEqual([
      { kind: 'failure', archive_key: null },
      { kind: 'fetch', archive_key: 'journal/2026/04/21/x.json' },
    ]);
  });

  /** A restored check's answer store: a raw answer of the day stored in the group's transaction. */
  const answerStore =
    (day: DeliveryDay): RestoredAnswerStore =>
    async (client) =>
      Number(
        (
          await client.query<{ id: string }>(
            `INSERT INTO jao.raw_response (dataset, day, request_from, request_to, http_status, body, sha256, bytes,
                                           fetched_at, last_fetched_at, answer)
             VALUES ('maxExchanges', $1::date, now(), now(), 200, '\\x7b7d', $2, 2, $3, $3, 'data')
             RETURNING raw_response_id AS id`,
            [day, `sha-${day}`, T1],
          )
        ).rows[0]!.id,
      );
  const check = (day: DeliveryDay, storeAnswer: RestoredAnswerStore = answerStore(day)) => ({
    input: fetchWrite(day, validatedDay(day, BORDERS, baseValue), T1),
    restoredFrom: `journal/${day}.json`,
    storeAnswer,
  });

  it("repeats several days' checks in one transaction: each journaled as archived, a held one left out", async () => {
    const days: DeliveryDay[] = ['2026-04-22', '2026-04-23', '2026-04-24'];
    const held: RestoredAnswerStore = async () => null;
    const results = await restoreCheckedWrites(pool, [
      check(days[0]!),
      check(days[1]!, held),
      check(days[2]!),
    ]);
    expect(results.map((result) => result?.status ?? null)).toEqual(['complete', null, 'complete']);
    expect(await journaled(days[0]!)).toEqual([{ kind: 'fetch', archive_key: `journal/${days[0]}.json` }]);
    expect(await journaled(days[1]!)).toEqual([]);
    expect(await storedValues(days[1]!)).toEqual([]);
    expect(await storedValues(days[2]!)).toEqual(await storedValues(days[0]!));
    expect((await storedValues(days[2]!)).length).toBe(BORDERS.length * 24);
  });

  it("copies the values of a group's fresh days with one COPY, before the group commits", async () => {
    const days: DeliveryDay[] = ['2026-04-29', '2026-04-30', '2026-05-01'];
    let copiedBeforeLast: number | null = null;
    const countingStore: RestoredAnswerStore = async (client) => {
      const { rows } = await client.query<{ values: string }>(
        'SELECT count(*) AS values FROM jao.observation WHERE delivery_day = ANY ($1::date[])',
        [days.slice(0, 2)],
      );
      copiedBeforeLast = Number(rows[0]!.values);
      return answerStore(days[2]!)(client);
    };
    const results = await restoreCheckedWrites(pool, [
      check(days[0]!),
      check(days[1]!),
      check(days[2]!, countingStore),
    ]);
    expect(results.map((result) => result?.newPoints)).toEqual(days.map(() => BORDERS.length * 24));
    // The first two days' values wait for the group's one COPY, after its last write.
    expect(copiedBeforeLast).toBe(0);
    for (const day of days) expect((await storedValues(day)).length).toBe(BORDERS.length * 24);
  });

  it('keeps nothing of a group when one of its writes fails, and refuses two writes of one day', async () => {
    const days: DeliveryDay[] = ['2026-04-25', '2026-04-26'];
    const failing: RestoredAnswerStore = async () => {
      throw new Error('the archive broke');
    };
    await expect(restoreCheckedWrites(pool, [check(days[0]!), check(days[1]!, failing)])).rejects.toThrow(
      'the archive broke',
    );
    expect(await journaled(days[0]!)).toEqual([]);
    expect(await storedValues(days[0]!)).toEqual([]);
    await expect(restoreCheckedWrites(pool, [check(days[0]!), check(days[0]!)])).rejects.toThrow(
      'two writes of one day',
    );
    expect(await journaled(days[0]!)).toEqual([]);
  });

  it('repeats a group that deadlocked with another one check a transaction, keeping every write once', async () => {
    const days: DeliveryDay[] = ['2026-04-27', '2026-04-28'];
    let tries = 0;
    const deadlockedOnce: RestoredAnswerStore = async (client) => {
      tries += 1;
      if (tries === 1) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      return answerStore(days[1]!)(client);
    };
    const results = await restoreCheckedWrites(pool, [check(days[0]!), check(days[1]!, deadlockedOnce)]);
    expect(results.map((result) => result?.status ?? null)).toEqual(['complete', 'complete']);
    expect(tries).toBe(2);
    for (const day of days)
      expect(await journaled(day)).toEqual([{ kind: 'fetch', archive_key: `journal/${day}.json` }]);
    expect((await storedValues(days[0]!)).length).toBe(BORDERS.length * 24);
  });
});
