import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDayRecords } from '../../db/dayStatus';
import { loadRawResponse, storeRawResponse } from '../../db/rawResponse';
import { assessStoredAnswer } from '../../db/storedAnswer';
import { type DayWrite, writeDay } from '../../db/writeDay';
import { DEFAULT_MAX_BODY_BYTES } from '../../domain/bodyLimit';
import { EMPTY_RECHECK_ERROR } from '../../domain/dayStatus';
import { storedAnswerLimit } from '../../domain/storedAnswerLimit';
import type { DeliveryDay, KeyedValuesDay } from '../../domain/types';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, hourlyMtus, keyOf, validatedDay } from './storageFixtures';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
});

afterAll(async () => {
  await db?.release();
});

const T0 = new Date('2026-04-19T06:00:00.000Z');
const T1 = new Date('2026-04-19T08:00:00.000Z');
const T2 = new Date('2026-04-20T08:00:00.000Z');
const T3 = new Date('2026-04-21T08:00:00.000Z');
const LIMIT = storedAnswerLimit('maxExchanges', DEFAULT_MAX_BODY_BYTES);

function input(day: DeliveryDay, validated: KeyedValuesDay, observedAt: Date, extra: Partial<DayWrite> = {}) {
  return {
    dataset: 'maxExchanges' as const,
    day,
    status: validated.receivedMtus === validated.expectedMtus ? ('complete' as const) : ('partial' as const),
    validated,
    expectedMtus: validated.expectedMtus,
    rawResponseId: null,
    workflowId: `maxExchanges/day/${day}`,
    observedAt,
    ...extra,
  } satisfies DayWrite;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const result = await pool.query<{ n: number }>(`SELECT (${sql})::int AS n`, params);
  return result.rows[0]!.n;
}

interface Row {
  border: string;
  mtu: string;
  value_mw: number;
  revision: number;
  first_seen_at: string;
  updated_at: string;
}

const ROW_COLUMNS = `border, to_char(mtu AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS mtu, value_mw, revision,
  to_char(first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS first_seen_at,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS updated_at`;

async function viewRows(day: DeliveryDay): Promise<Row[]> {
  const result = await pool.query<Row>(
    `SELECT ${ROW_COLUMNS} FROM jao.max_exchanges WHERE delivery_day = $1::date ORDER BY border, mtu`,
    [day],
  );
  return result.rows;
}

async function asOfRows(day: DeliveryDay, at: Date): Promise<Row[]> {
  const result = await pool.query<Row>(
    `SELECT ${ROW_COLUMNS} FROM jao.max_exchanges_as_of($2) WHERE delivery_day = $1::date ORDER BY border, mtu`,
    [day, at],
  );
  return result.rows;
}

const minute = (date: Date) => date.toISOString().slice(0, 16);

/** The rows a day's content should show: one per border and hour with the given value and metadata. */
function expectedRows(
  day: DeliveryDay,
  borders: string[],
  describe: (border: string, hour: number) => Omit<Row, 'border' | 'mtu'> | undefined,
): Row[] {
  const rows: Row[] = [];
  const mtus = hourlyMtus(day);
  for (const border of [...borders].sort()) {
    mtus.forEach((mtu, hour) => {
      const rest = describe(border, hour);
      if (rest) rows.push({ border, mtu: mtu.slice(0, 16), ...rest });
    });
  }
  return rows;
}

describe('writeDay: idempotent re-write', () => {
  const day = '2026-04-10';
  const borders = ['AT_BE', 'BE_AT', 'DE_FR'];

  it('stores nothing new and changes only last_checked_at / attempts', async () => {
    const first = await writeDay(pool, input(day, validatedDay(day, borders, baseValue), T1));
    expect(first).toEqual({
      status: 'complete',
      mtus: 24,
      points: 72,
      changedPoints: 0,
      newPoints: 72,
      vanishedPoints: 0,
      newSeries: 3,
      revision: 1,
      contentChanged: true,

      republished: false,
      outcomeChanged: false,
    });
    const [before] = await readDayRecords(pool, 'maxExchanges', day, day);

    // Same content, points in another order: the content hash is over normalized points.
    const shuffled = validatedDay(day, borders, baseValue);
    shuffled.points.reverse();
    const again = await writeDay(pool, input(day, shuffled, T2, { workflowId: 'second-run' }));
    expect(again).toEqual({
      status: 'complete',
      mtus: 24,
      points: 72,
      changedPoints: 0,
      newPoints: 0,
      vanishedPoints: 0,
      newSeries: 0,
      revision: 1,
      contentChanged: false,

      republished: false,
      outcomeChanged: false,
    });

    const [after] = await readDayRecords(pool, 'maxExchanges', day, day);
    expect(after).toEqual({
      ...before,
      lastCheckedAt: T2,
      attempts: 2,
      lastWorkflowId: 'second-run',
    });
    expect(before).toMatchObject({
      status: 'complete',
      expectedMtus: 24,
      receivedMtus: 24,
      revisionCount: 1,
      firstCompleteAt: T1,
      lastChangedAt: T1,
      lastCheckedAt: T1,
      attempts: 1,
      points: 72,
    });
    expect(await count(`SELECT count(*) FROM jao.observation_history`)).toBe(0);
    expect(await count(`SELECT count(*) FROM jao.max_exchanges WHERE delivery_day = $1::date`, [day])).toBe(
      72,
    );
    expect(await count(`SELECT max(revision) FROM jao.observation`)).toBe(1);
    expect(await count(`SELECT count(*) FROM jao.series WHERE dataset = 'maxExchanges'`)).toBe(3);
    const rows = await viewRows(day);
    expect(rows.every((row) => row.updated_at === minute(T1) && row.first_seen_at === minute(T1))).toBe(true);
  });
});

describe('writeDay: a revision, with history and as-of queries', () => {
  const day = '2026-04-20';
  const first = ['AT_BE', 'BE_AT', 'CZ_DE'];
  const second = ['AT_BE', 'BE_AT', 'HU_RO']; // CZ_DE vanishes, HU_RO appears
  // AT_BE changes at hours 3 and 17; BE_AT is unchanged.
  const revised = (border: string, hour: number) =>
    border === 'AT_BE' && (hour === 3 || hour === 17)
      ? baseValue(border, hour) + 500
      : baseValue(border, hour);

  beforeAll(async () => {
    await writeDay(pool, input(day, validatedDay(day, first, baseValue), T1));
  });

  it('moves changed and vanished values to history with their interval', async () => {
    const result = await writeDay(pool, input(day, validatedDay(day, second, revised), T2));
    expect(result).toEqual({
      status: 'complete',
      mtus: 24,
      points: 72,
      changedPoints: 2,
      newPoints: 24,
      vanishedPoints: 24,
      newSeries: 1,
      revision: 2,
      contentChanged: true,

      republished: false,
      outcomeChanged: false,
    });
    const history = await pool.query<{ border: string; n: number; intervals_ok: boolean }>(
      `SELECT s.border, count(*)::int AS n,
              bool_and(h.revision = 1 AND h.first_seen_at = $1 AND h.valid_from = $1 AND h.valid_to = $2)
                AS intervals_ok
         FROM jao.observation_history h JOIN jao.series s USING (series_id)
        WHERE (h.mtu AT TIME ZONE 'Europe/Amsterdam')::date = $3::date
        GROUP BY s.border ORDER BY s.border`,
      [T1, T2, day],
    );
    expect(history.rows).toEqual([
      { border: 'AT_BE', n: 2, intervals_ok: true },
      { border: 'CZ_DE', n: 24, intervals_ok: true },
    ]);
    const atBeHistory = await pool.query<{ hour: number; value: number }>(
      `SELECT (extract(epoch FROM h.mtu - $1::timestamptz) / 3600)::int AS hour, h.value
         FROM jao.observation_history h JOIN jao.series s USING (series_id)
        WHERE s.border = 'AT_BE' ORDER BY h.mtu`,
      [hourlyMtus(day)[0]],
    );
    expect(atBeHistory.rows).toEqual([
      { hour: 3, value: baseValue('AT_BE', 3) },
      { hour: 17, value: baseValue('AT_BE', 17) },
    ]);
  });

  it('shows the current values in jao.max_exchanges', async () => {
    expect(await viewRows(day)).toEqual(
      expectedRows(day, second, (border, hour) => {
        const changed = border === 'AT_BE' && (hour === 3 || hour === 17);
        const born = border === 'HU_RO' ? T2 : T1;
        return {
          value_mw: revised(border, hour),
          revision: changed ? 2 : 1,
          first_seen_at: minute(born),
          updated_at: minute(changed ? T2 : born),
        };
      }),
    );
  });

  it('answers max_exchanges_as_of before, between and after the captures', async () => {
    expect(await asOfRows(day, T0)).toEqual([]);
    expect(await asOfRows(day, new Date(T1.getTime() - 1))).toEqual([]);

    const between = expectedRows(day, first, (border, hour) => ({
      value_mw: baseValue(border, hour),
      revision: 1,
      first_seen_at: minute(T1),
      updated_at: minute(T1),
    }));
    expect(await asOfRows(day, T1)).toEqual(between);
    expect(await asOfRows(day, new Date(T2.getTime() - 1))).toEqual(between);

    const after = await asOfRows(day, T3);
    expect(after).toEqual(await viewRows(day));
    expect(after).toHaveLength(72);
    expect(await asOfRows(day, T2)).toEqual(after);
  });

  it('continues the revision of a value that comes back, and keeps rejected cells', async () => {
    // At T3: CZ_DE comes back (changed at hour 0); HU_RO's hour 5 is rejected by validation and absent.
    const third = ['AT_BE', 'BE_AT', 'CZ_DE', 'HU_RO'];
    const mtus = hourlyMtus(day);
    const value = (border: string, hour: number) => {
      if (border === 'HU_RO' && hour === 5) return undefined;
      if (border === 'CZ_DE' && hour === 0) return 42;
      return revised(border, hour);
    };
    const rejection = { row: 5, key: keyOf('HU_RO'), mtu: mtus[5]!, rule: 'value_negative', raw: '-3' };
    const result = await writeDay(pool, input(day, validatedDay(day, third, value, [rejection]), T3));
    expect(result).toMatchObject({
      changedPoints: 0,
      newPoints: 24,
      vanishedPoints: 0,
      newSeries: 0,
      revision: 3,
    });

    const czDe = await pool.query<{ revision: number; n: number; first_seen_ok: boolean }>(
      `SELECT revision, count(*)::int AS n, bool_and(first_seen_at = $1 AND updated_at = $2) AS first_seen_ok
         FROM jao.max_exchanges WHERE border = 'CZ_DE' GROUP BY revision`,
      [T1, T3],
    );
    expect(czDe.rows).toEqual([{ revision: 2, n: 24, first_seen_ok: true }]);
    const kept = await pool.query<{ value_mw: number; revision: number }>(
      `SELECT value_mw, revision FROM jao.max_exchanges WHERE border = 'HU_RO' AND mtu = $1`,
      [mtus[5]],
    );
    expect(kept.rows).toEqual([{ value_mw: baseValue('HU_RO', 5), revision: 1 }]);
    expect(await count(`SELECT count(*) FROM jao.rejection WHERE day = $1::date`, [day])).toBe(1);

    // As of T2 (+1 ms) CZ_DE had vanished; as of T3 it is back with value 42 at hour 0.
    const atT2 = await asOfRows(day, new Date(T2.getTime() + 1));
    expect(atT2.filter((row) => row.border === 'CZ_DE')).toEqual([]);
    const atT3 = await asOfRows(day, T3);
    expect(atT3.filter((row) => row.border === 'CZ_DE' && row.mtu === mtus[0]!.slice(0, 16))).toEqual([
      {
        border: 'CZ_DE',
        mtu: mtus[0]!.slice(0, 16),
        value_mw: 42,
        revision: 2,
        first_seen_at: minute(T1),
        updated_at: minute(T3),
      },
    ]);
    expect(atT3).toHaveLength(96);
  });
});

describe('writeDay: DST days', () => {
  const borders = ['AT_BE', 'NL_DE'];

  it.each([
    ['2022-10-30', 25, '2022-10-29T22:00', '2022-10-30T22:00'],
    ['2023-03-26', 23, '2023-03-25T23:00', '2023-03-26T21:00'],
    ['2022-10-23', 24, '2022-10-22T22:00', '2022-10-23T21:00'],
  ])('%s is stored with %i MTUs', async (day, hours, firstMtu, lastMtu) => {
    const validated = validatedDay(day, borders, baseValue);
    expect(validated.expectedMtus).toBe(hours);
    const result = await writeDay(pool, input(day, validated, T1));
    expect(result).toMatchObject({ status: 'complete', mtus: hours, points: hours * 2 });

    const [record] = await readDayRecords(pool, 'maxExchanges', day, day);
    expect(record).toMatchObject({
      day,
      status: 'complete',
      expectedMtus: hours,
      receivedMtus: hours,
      points: hours * 2,
    });
    const extent = await pool.query<{ n: number; first: string; last: string }>(
      `SELECT count(*)::int AS n,
              to_char(min(mtu) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS first,
              to_char(max(mtu) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS last
         FROM jao.max_exchanges WHERE delivery_day = $1::date AND border = 'AT_BE'`,
      [day],
    );
    expect(extent.rows[0]).toEqual({ n: hours, first: firstMtu, last: lastMtu });
    const daily = await pool.query<{ mtus: number; min_mw: number; max_mw: number }>(
      `SELECT mtus::int AS mtus, min_mw, max_mw FROM jao.max_exchanges_daily
        WHERE delivery_day = $1::date AND border = 'AT_BE'`,
      [day],
    );
    expect(daily.rows).toEqual([
      { mtus: hours, min_mw: baseValue('AT_BE', 0), max_mw: baseValue('AT_BE', hours - 1) },
    ]);
  });
});

describe('writeDay: statuses without content', () => {
  const day = '2026-05-02';
  const borders = ['AT_BE'];

  it('records invalid and failed runs without touching stored values', async () => {
    await writeDay(pool, input(day, validatedDay(day, borders, baseValue), T1));
    const raw = await storeRawResponse(pool, {
      dataset: 'maxExchanges',
      day,
      requestWindow: { from: '2026-05-01T22:00:00.000Z', to: '2026-05-02T22:00:00.000Z' },
      httpStatus: 200,
      body: '{"data":[{"dateTimeUtc":"bad"}]',
    });
    const invalid: DayWrite = {
      dataset: 'maxExchanges',
      day,
      status: 'invalid',
      validated: null,
      rejections: [
        { row: null, key: null, mtu: null, rule: 'malformed_json', raw: '{"data":[{"dateTimeUtc":"bad"}]' },
      ],
      expectedMtus: 24,
      rawResponseId: raw.id,
      workflowId: 'wf-invalid',
      error: 'payload is not JSON',
      observedAt: T2,
    };
    // The day keeps its stored content, so its status describes that content; last_error tells the rest (a failed
    // re-check: the day's bad-day marker changes).
    expect(await writeDay(pool, invalid)).toEqual({
      status: 'complete',
      mtus: 0,
      points: 0,
      changedPoints: 0,
      newPoints: 0,
      vanishedPoints: 0,
      newSeries: 0,
      revision: 1,
      contentChanged: false,

      republished: false,
      outcomeChanged: true,
    });
    // The same stored payload validated again: its rejections are not stored twice.
    await writeDay(pool, { ...invalid, observedAt: T3 });
    await writeDay(pool, {
      ...invalid,
      status: 'failed',
      rejections: [],
      rawResponseId: null,
      error: 'retries exhausted',
      observedAt: T3,
    });

    const [record] = await readDayRecords(pool, 'maxExchanges', day, day);
    expect(record).toMatchObject({
      status: 'complete',
      expectedMtus: 24,
      receivedMtus: 24,
      points: 24,
      revisionCount: 1,
      firstCompleteAt: T1,
      lastChangedAt: T1,
      lastCheckedAt: T3,
      attempts: 4,
      lastError: 'retries exhausted',
      lastRawResponseId: raw.id,
    });
    expect(await count(`SELECT count(*) FROM jao.rejection WHERE day = $1::date`, [day])).toBe(1);
    expect(await count(`SELECT count(*) FROM jao.max_exchanges WHERE delivery_day = $1::date`, [day])).toBe(
      24,
    );
    expect(
      await count(`SELECT count(*) FROM jao.observation_history h WHERE h.mtu >= $1`, ['2026-05-01T22:00Z']),
    ).toBe(0);

    // A day without stored content takes the status of its run.
    const fresh = '2026-05-05';
    const failedFresh = {
      ...invalid,
      day: fresh,
      status: 'failed' as const,
      rejections: [],
      rawResponseId: null,
    };
    expect(await writeDay(pool, failedFresh)).toMatchObject({ status: 'failed', revision: 0 });
    expect(await writeDay(pool, { ...failedFresh, status: 'invalid' })).toMatchObject({ status: 'invalid' });
  });

  it('keeps stored values, and a status that describes them, when a later answer is empty', async () => {
    const empty = validatedDay(day, borders, () => undefined);
    const result = await writeDay(
      pool,
      input(day, empty, new Date('2026-05-03T00:00:00Z'), { status: 'not_published' }),
    );
    expect(result).toMatchObject({ status: 'complete', points: 0, vanishedPoints: 0, revision: 1 });
    const [record] = await readDayRecords(pool, 'maxExchanges', day, day);
    expect(record).toMatchObject({ status: 'complete', receivedMtus: 24, lastError: EMPTY_RECHECK_ERROR });
    expect(await count(`SELECT count(*) FROM jao.max_exchanges WHERE delivery_day = $1::date`, [day])).toBe(
      24,
    );
  });

  it('treats a missing MTU of a partial day and null values as vanished', async () => {
    const partialDay = '2026-05-03';
    await writeDay(pool, input(partialDay, validatedDay(partialDay, ['AT_BE', 'BE_AT'], baseValue), T1));
    // Hour 7 missing altogether, BE_AT null at hour 8.
    const partial = validatedDay(partialDay, ['AT_BE', 'BE_AT'], (border, hour) => {
      if (hour === 7) return undefined;
      if (border === 'BE_AT' && hour === 8) return null;
      return baseValue(border, hour);
    });
    const result = await writeDay(pool, input(partialDay, partial, T2));
    expect(result).toMatchObject({ status: 'partial', mtus: 23, points: 45, vanishedPoints: 3, revision: 2 });
    const [record] = await readDayRecords(pool, 'maxExchanges', partialDay, partialDay);
    expect(record).toMatchObject({ status: 'partial', expectedMtus: 24, receivedMtus: 23, points: 45 });
  });
});

describe('storeRawResponse', () => {
  const day = '2026-06-01';
  const window = { from: '2026-05-31T22:00:00.000Z', to: '2026-06-01T22:00:00.000Z' };
  const store = (body: string) =>
    storeRawResponse(pool, { dataset: 'maxExchanges', day, requestWindow: window, httpStatus: 200, body });

  it('keeps a row only when the body differs from the day’s previous one', async () => {
    const a1 = await store('{"data":[],"rejected":false}');
    const a2 = await store('{"data":[],"rejected":false}');
    const b = await store('{"data":[{"id":1}],"rejected":false}');
    const a3 = await store('{"data":[],"rejected":false}');
    expect(a1).toMatchObject({ isNew: true, bytes: 28 });
    expect(a1.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a2).toEqual({ ...a1, isNew: false });
    expect(b.isNew).toBe(true);
    expect(a3.isNew).toBe(true);
    expect(new Set([a1.id, b.id, a3.id]).size).toBe(3);
    expect(await count(`SELECT count(*) FROM jao.raw_response WHERE day = $1::date`, [day])).toBe(3);
    expect(await count(`SELECT fetch_count FROM jao.raw_response WHERE raw_response_id = $1`, [a1.id])).toBe(
      2,
    );

    const loaded = await loadRawResponse(pool, b.id, LIMIT);
    expect(loaded).toEqual({
      id: b.id,
      dataset: 'maxExchanges',
      day,
      body: '{"data":[{"id":1}],"rejected":false}',
      refused: null,
      sha256: b.sha256,
      bytes: 36,
    });
    expect(await loadRawResponse(pool, 999_999, LIMIT)).toBeNull();
  });

  it('stores bodies that are not valid text for PostgreSQL unchanged', async () => {
    const body = 'trunc\u0000ated {"data": [ é';
    const stored = await storeRawResponse(pool, {
      dataset: 'maxExchanges',
      day: '2026-06-02',
      requestWindow: window,
      httpStatus: 502,
      body,
    });
    expect((await loadRawResponse(pool, stored.id, LIMIT))?.body).toBe(body);
  });
});

describe('assessStoredAnswer: a stored answer judged by the current build', () => {
  const day = '2026-05-04';
  const bodyOf = (value: number) =>
    JSON.stringify({
      data: hourlyMtus(day).map((mtu, hour) => ({ id: hour + 1, dateTimeUtc: mtu, border_AT_BE: value })),
      rejected: false,
    });

  it('judges what is stored, under the body limit, and records no verdict (reprocessing judges so)', async () => {
    const stored = await storeRawResponse(pool, {
      dataset: 'maxExchanges',
      day,
      requestWindow: { from: hourlyMtus(day)[0]!, to: '2026-05-04T22:00:00.000Z' },
      httpStatus: 200,
      body: bodyOf(100),
    });
    const ref = { dataset: 'maxExchanges' as const, day, rawResponseId: stored.id };
    const judged = await assessStoredAnswer(pool, ref, 1_000_000);
    expect(judged.status).toBe('complete');
    const judgedDay = judged.validated;
    expect(judgedDay?.lane === 'keyedValues' && judgedDay.points[0]?.value).toBe(100);
    // Judged afresh at each call: nothing is kept between them.
    expect(await assessStoredAnswer(pool, ref, 1_000_000)).not.toBe(judged);
    // Another body limit is another judgement (a refusal, here).
    expect((await assessStoredAnswer(pool, ref, 10)).status).toBe('invalid');
    expect(
      await count('SELECT count(*) FROM jao.answer_verdict WHERE raw_response_id = $1', [stored.id]),
    ).toBe(0);
  });
});
