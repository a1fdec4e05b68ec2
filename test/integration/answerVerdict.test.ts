// The day workflow's validate judges a stored answer once and records its verdict (jao.answer_verdict, migration
// 027); its write reads the body's rows again with the verdict's inputs and takes the verdict's status, reason and
// error: it judges nothing twice, and trusts no memory of the process. Without a verdict of its own build that counts
// what it reads, the write judges once itself and records that. Activities run as the worker runs them, here in a
// mocked activity context; each lane's judge is spied on to count judgements.
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStoreActivities, type DayStoreActivities } from '../../activities';
import { constraintsLane } from '../../db/lanes/constraints/lane';
import { keyedValuesLane } from '../../db/lanes/keyedValues/lane';
import { storeRawResponse } from '../../db/rawResponse';
import { dayWindow } from '../../domain/calendar';
import { MAX_NEW_KEYS_PER_DAY } from '../../domain/limits';
import type { Dataset, DeliveryDay } from '../../domain/types';
import { constraintDayRows, pagedAnswerOf } from '../helpers/constraintDays';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { hourlyMtus } from './storageFixtures';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.release();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const quiet = { logger: new DefaultLogger('ERROR') };
const inActivity = <T>(work: () => Promise<T>): Promise<T> =>
  new MockActivityEnvironment({}, quiet).run(work) as Promise<T>;

function storeActivities(buildId: string | null, maxBodyBytes?: number): DayStoreActivities {
  return createStoreActivities({ pool: db.pool, buildId, ...(maxBodyBytes ? { maxBodyBytes } : {}) });
}

/** A keyed answer of `day`: one row per hour carrying `values` (key → value). */
function keyedBody(day: DeliveryDay, values: Record<string, number>): string {
  return JSON.stringify({
    data: hourlyMtus(day).map((mtu, hour) => ({ id: hour + 1, dateTimeUtc: mtu, ...values })),
    rejected: false,
  });
}

async function stored(dataset: Dataset, day: DeliveryDay, body: string) {
  const raw = await storeRawResponse(db.pool, {
    dataset,
    day,
    requestWindow: dayWindow(day),
    httpStatus: 200,
    body,
  });
  return { dataset, day, rawResponseId: raw.id };
}

interface VerdictRow {
  verdict: {
    status: string;
    reason: string | null;
    counts: Record<string, number> | null;
    inputs: Record<string, unknown>;
  };
  judged_by: string | null;
  judged_at: Date;
}

async function verdictRows(rawResponseId: number): Promise<VerdictRow[]> {
  const result = await db.pool.query<VerdictRow>(
    'SELECT verdict, judged_by, judged_at FROM jao.answer_verdict WHERE raw_response_id = $1',
    [rawResponseId],
  );
  return result.rows;
}

async function dayRecord(dataset: Dataset, day: DeliveryDay) {
  const result = await db.pool.query<{ status: string; reason: string | null; revision_count: number }>(
    `SELECT status, reason, revision_count FROM jao.delivery_day WHERE dataset = $1 AND day = $2::date`,
    [dataset, day],
  );
  return result.rows[0];
}

describe("the write takes its validate's verdict", () => {
  it('validate records one verdict, and the same one again leaves it as it is', async () => {
    const ref = await stored('maxExchanges', '2026-03-02', keyedBody('2026-03-02', { border_AT_CZ: 100 }));
    const store = storeActivities('build-a');
    const summary = await inActivity(() => store.validateStoredDay(ref));
    expect(summary.status).toBe('complete');
    const [first, ...others] = await verdictRows(ref.rawResponseId);
    expect(others).toEqual([]);
    expect(first).toMatchObject({
      judged_by: 'build-a',
      verdict: { status: 'complete', reason: null, inputs: {}, counts: { storedRows: 24, receivedMtus: 24 } },
    });

    await inActivity(() => store.validateStoredDay(ref));
    expect(await verdictRows(ref.rawResponseId)).toEqual([first]);
  });

  it('writes the day as the recorded verdict says, without judging the answer again', async () => {
    const ref = await stored('maxExchanges', '2026-03-03', keyedBody('2026-03-03', { border_AT_CZ: 100 }));
    const store = storeActivities('build-a');
    const judge = vi.spyOn(keyedValuesLane, 'judge');
    await inActivity(() => store.validateStoredDay(ref));
    expect(judge).toHaveBeenCalledTimes(1);
    // The verdict is what the write follows: one altered here is what the day records.
    await db.pool.query(
      `UPDATE jao.answer_verdict
          SET verdict = verdict || '{"status": "partial", "reason": "as the recorded verdict says"}'::jsonb
        WHERE raw_response_id = $1`,
      [ref.rawResponseId],
    );
    const result = await inActivity(() => store.writeStoredDay(ref));
    expect(judge).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ status: 'partial', points: 24, reason: 'as the recorded verdict says' });
    expect(await dayRecord('maxExchanges', '2026-03-03')).toMatchObject({
      status: 'partial',
      reason: 'as the recorded verdict says',
    });
  });

  it('judges once and records the verdict where none is recorded (a write of a history from before verdicts)', async () => {
    const ref = await stored('maxExchanges', '2026-03-04', keyedBody('2026-03-04', { border_AT_CZ: 100 }));
    const store = storeActivities('build-a');
    const judge = vi.spyOn(keyedValuesLane, 'judge');
    const result = await inActivity(() => store.writeStoredDay(ref));
    expect(result).toMatchObject({ status: 'complete', points: 24, revision: 1 });
    expect(judge).toHaveBeenCalledTimes(1);
    expect(await verdictRows(ref.rawResponseId)).toMatchObject([
      { judged_by: 'build-a', verdict: { status: 'complete' } },
    ]);
    // Its retry takes the verdict it recorded.
    await inActivity(() => store.writeStoredDay(ref));
    expect(judge).toHaveBeenCalledTimes(1);
  });

  it('judges again when another build recorded the verdict, and records its own', async () => {
    const ref = await stored('maxExchanges', '2026-03-05', keyedBody('2026-03-05', { border_AT_CZ: 100 }));
    await inActivity(() => storeActivities('build-a').validateStoredDay(ref));
    const judge = vi.spyOn(keyedValuesLane, 'judge');
    const result = await inActivity(() => storeActivities('build-b').writeStoredDay(ref));
    expect(result.status).toBe('complete');
    expect(judge).toHaveBeenCalledTimes(1);
    expect(await verdictRows(ref.rawResponseId)).toMatchObject([{ judged_by: 'build-b' }]);
  });

  it('judges again when the body does not read as the verdict counted, and writes what the judgement finds', async () => {
    const ref = await stored('maxExchanges', '2026-03-06', keyedBody('2026-03-06', { border_AT_CZ: 100 }));
    const store = storeActivities(null);
    await inActivity(() => store.validateStoredDay(ref));
    // A verdict that is not of this reading (counted by other rules), and says something else.
    await db.pool.query(
      `UPDATE jao.answer_verdict
          SET verdict = jsonb_set(verdict, '{counts,storedRows}', '23') || '{"status": "invalid", "reason": "no"}'
        WHERE raw_response_id = $1`,
      [ref.rawResponseId],
    );
    const judge = vi.spyOn(keyedValuesLane, 'judge');
    const result = await inActivity(() => store.writeStoredDay(ref));
    expect(judge).toHaveBeenCalledTimes(1);
    expect(result.status).toBe('complete');
    expect(await verdictRows(ref.rawResponseId)).toMatchObject([
      { judged_by: null, verdict: { status: 'complete', counts: { storedRows: 24 } } },
    ]);
  });

  it('keeps one verdict when two workers validate the same answer at once', async () => {
    const ref = await stored('maxExchanges', '2026-03-07', keyedBody('2026-03-07', { border_AT_CZ: 100 }));
    const [one, other] = await Promise.all([
      inActivity(() => storeActivities('build-a').validateStoredDay(ref)),
      inActivity(() => storeActivities('build-a').validateStoredDay(ref)),
    ]);
    expect(one).toEqual(other);
    expect(await verdictRows(ref.rawResponseId)).toMatchObject([
      { judged_by: 'build-a', verdict: { status: 'complete' } },
    ]);
  });

  it('writes an unreadable answer invalid from its verdict, and a refused one without any', async () => {
    const store = storeActivities('build-a');
    const judge = vi.spyOn(keyedValuesLane, 'judge');
    const broken = await stored('maxExchanges', '2026-03-10', '{"data": [');
    expect((await inActivity(() => store.validateStoredDay(broken))).status).toBe('invalid');
    expect(await verdictRows(broken.rawResponseId)).toMatchObject([
      { verdict: { status: 'invalid', counts: null, rejections: 1 } },
    ]);
    expect(await inActivity(() => store.writeStoredDay(broken))).toMatchObject({
      status: 'invalid',
      points: 0,
    });
    expect(judge).toHaveBeenCalledTimes(1);
    const rejections = await db.pool.query('SELECT rule FROM jao.rejection WHERE raw_response_id = $1', [
      broken.rawResponseId,
    ]);
    expect(rejections.rows).toEqual([{ rule: 'envelope' }]);

    // Over the body limit: a limit, not a judgement. Nothing is judged or recorded, and the write meets it again.
    const small = storeActivities('build-a', 10);
    const large = await stored('maxExchanges', '2026-03-11', keyedBody('2026-03-11', { border_AT_CZ: 100 }));
    expect((await inActivity(() => small.validateStoredDay(large))).status).toBe('invalid');
    expect(await verdictRows(large.rawResponseId)).toEqual([]);
    expect(await inActivity(() => small.writeStoredDay(large))).toMatchObject({
      status: 'invalid',
      points: 0,
    });
    expect(judge).toHaveBeenCalledTimes(1);
  });

  it('reads a flood of new keys as its judgement admitted them, the catalogue unread', async () => {
    const store = storeActivities('build-a');
    // The catalogue knows one key; the next day brings it and more new keys than a day may add.
    const known = await stored('maxExchanges', '2026-03-08', keyedBody('2026-03-08', { border_AT_CZ: 100 }));
    await inActivity(() => store.validateStoredDay(known));
    await inActivity(() => store.writeStoredDay(known));
    const flood: Record<string, number> = { border_AT_CZ: 101 };
    for (let i = 0; i <= MAX_NEW_KEYS_PER_DAY; i++) flood[`border_A${i}_B${i}`] = i;
    const ref = await stored('maxExchanges', '2026-03-09', keyedBody('2026-03-09', flood));
    const judge = vi.spyOn(keyedValuesLane, 'judge');
    const summary = await inActivity(() => store.validateStoredDay(ref));
    expect(summary).toMatchObject({ status: 'partial', keys: 1, points: 24 });
    const [row] = await verdictRows(ref.rawResponseId);
    expect(row?.verdict.inputs).toEqual({ admittedKeys: ['border_AT_CZ'] });
    const result = await inActivity(() => store.writeStoredDay(ref));
    expect(judge).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ status: 'partial', points: 24 });
  });

  it('serves the constraints lane alike: the hubs its judgement compared with are read again, not the database', async () => {
    const day = '2025-01-01';
    const ref = await stored('coreFinalComputation', day, pagedAnswerOf(constraintDayRows(day)));
    const store = storeActivities('build-a');
    const judge = vi.spyOn(constraintsLane, 'judge');
    const summary = await inActivity(() => store.validateStoredDay(ref));
    const [row] = await verdictRows(ref.rawResponseId);
    expect(row?.verdict).toMatchObject({ status: summary.status, inputs: { knownHubs: null } });
    const result = await inActivity(() => store.writeStoredDay(ref));
    expect(judge).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ status: summary.status, points: summary.points });
    expect(summary.points).toBeGreaterThan(0);
    expect((await dayRecord('coreFinalComputation', day))?.status).toBe(summary.status);
  });
});
