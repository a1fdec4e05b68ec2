// jao.day_quality at the storage level: what writeDay records per day and what the view derives from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatus } from '../../cli/commands/status';
import { loadConfig } from '../../common/config';
import { readDayQuality } from '../../db/dayQuality';
import { readLatestCompleteDay } from '../../db/dayStatus';
import { readPublicationTimes } from '../../db/freshness';
import { storeRawResponse } from '../../db/rawResponse';
import { writeDay, writeDayWithFacts } from '../../db/writeDay';
import { assessBody } from '../../domain/assess';
import { dayWindow } from '../../domain/calendar';
import { EMPTY_RECHECK_ERROR, judgeDay, worseRecheckError } from '../../domain/dayStatus';
import { assessHealth } from '../../domain/health';
import { MAX_STORED_REJECTIONS } from '../../domain/limits';
import type { DeliveryDay, KeyedValuesDay, Rejection } from '../../domain/types';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, hourlyMtus, validatedDay } from './storageFixtures';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
});

afterAll(async () => {
  await db?.release();
});

const CORE_BODY = readFileSync(
  join(__dirname, '..', 'fixtures', 'jao', 'core_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.json'),
  'utf8',
);

/** Every column of jao.day_quality but the build ids and the check time, timestamps as ISO text. */
async function qualityRow(day: DeliveryDay): Promise<Record<string, unknown>> {
  const result = await pool.query(
    `SELECT dataset, day::text AS day, status, expected_mtus, received_mtus,
            ARRAY(SELECT to_char(m AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') FROM unnest(missing_mtus) AS m)
              AS missing_mtus,
            resolution_minutes, keys, keys_added, keys_vanished, null_values, duplicate_rows, conflicting_rows,
            rejected_values, unknown_fields, reason, drift, previous_day::text AS previous_day,
            previous_resolution_minutes, revision_count, last_error
       FROM jao.day_quality WHERE dataset = 'maxExchanges' AND day = $1::date`,
    [day],
  );
  expect(result.rows).toHaveLength(1);
  return result.rows[0] as Record<string, unknown>;
}

/** Writes what the pipeline writes for a stored body: its assessment, with the body kept as a raw response. */
async function writeBody(day: DeliveryDay, body: string): Promise<void> {
  const raw = await storeRawResponse(pool, {
    dataset: 'maxExchanges',
    day,
    requestWindow: dayWindow(day),
    httpStatus: 200,
    body,
  });
  const assessment = assessBody(day, body);
  await writeDay(pool, {
    dataset: 'maxExchanges',
    day,
    status: assessment.status,
    validated: assessment.validated,
    rejections: assessment.rejections,
    expectedMtus: assessment.expectedMtus,
    rawResponseId: raw.id,
    workflowId: `maxExchanges/day/${day}`,
    error: assessment.error,
    reason: assessment.reason,
  });
}

function write(day: DeliveryDay, validated: KeyedValuesDay, extra: { status?: 'complete' | 'partial' } = {}) {
  return writeDay(pool, {
    dataset: 'maxExchanges',
    day,
    status: extra.status ?? 'complete',
    validated,
    expectedMtus: validated.expectedMtus,
    rawResponseId: null,
    workflowId: `maxExchanges/day/${day}`,
    reason: extra.status === 'partial' ? 'some values missing' : null,
  });
}

const QUIET = {
  null_values: 0,
  duplicate_rows: 0,
  conflicting_rows: 0,
  rejected_values: 0,
  unknown_fields: [],
  reason: null,
  last_error: null,
};

describe('the real Core capture', () => {
  it('stores 2026-04-21 complete (132 keys × 24 MTUs) and 2026-04-20 partial, compared day to day', async () => {
    const capture = JSON.parse(CORE_BODY) as { data: unknown[] };
    // What JAO answers for each delivery day alone: its own 24 rows (the capture starts at 00:00Z).
    await writeBody('2026-04-20', JSON.stringify({ ...capture, data: capture.data.slice(0, 22) }));
    await writeBody('2026-04-21', JSON.stringify({ ...capture, data: capture.data.slice(22, 46) }));
    expect(await qualityRow('2026-04-20')).toEqual({
      ...QUIET,
      dataset: 'maxExchanges',
      day: '2026-04-20',
      status: 'partial',
      expected_mtus: 24,
      received_mtus: 22,
      missing_mtus: ['2026-04-19T22:00Z', '2026-04-19T23:00Z'],
      resolution_minutes: 60,
      keys: 132,
      keys_added: null,
      keys_vanished: null,
      reason: '264 of 3168 values missing: 2 of 24 MTUs missing (2026-04-19T22:00Z, 2026-04-19T23:00Z)',
      drift: [],
      previous_day: null,
      previous_resolution_minutes: null,
      revision_count: 1,
    });
    expect(await qualityRow('2026-04-21')).toEqual({
      ...QUIET,
      dataset: 'maxExchanges',
      day: '2026-04-21',
      status: 'complete',
      expected_mtus: 24,
      received_mtus: 24,
      missing_mtus: [],
      resolution_minutes: 60,
      keys: 132,
      keys_added: [],
      keys_vanished: [],
      drift: [],
      previous_day: '2026-04-20',
      previous_resolution_minutes: 60,
      revision_count: 1,
    });
    const stored = await pool.query<{ n: number; sum: number }>(
      `SELECT count(*)::int AS n, sum(value_mw)::float8 AS sum FROM jao.max_exchanges WHERE delivery_day = '2026-04-21'`,
    );
    const rows = capture.data.slice(22, 46) as Record<string, unknown>[];
    const expectedSum = rows.reduce(
      (sum, row) =>
        sum + Object.entries(row).reduce((s, [k, v]) => s + (k.startsWith('border_') ? (v as number) : 0), 0),
      0,
    );
    expect(stored.rows[0]).toEqual({ n: 24 * 132, sum: expectedSum });
  });
});

describe('drift against the latest earlier day with stored values', () => {
  it('lists keys added and vanished, and a change of resolution', async () => {
    await write('2025-06-01', validatedDay('2025-06-01', ['AT_BE', 'BE_AT', 'AT_CZ'], baseValue));
    // A day without stored values in between is skipped.
    await writeDay(pool, {
      dataset: 'maxExchanges',
      day: '2025-06-02',
      status: 'failed',
      validated: null,
      expectedMtus: 24,
      rawResponseId: null,
      workflowId: null,
      error: 'JAO unavailable',
    });
    await write('2025-06-03', validatedDay('2025-06-03', ['AT_BE', 'BE_AT', 'DE_FR', 'CZ_AT'], baseValue));
    expect(await qualityRow('2025-06-03')).toMatchObject({
      keys: 4,
      keys_added: ['border_CZ_AT', 'border_DE_FR'],
      keys_vanished: ['border_AT_CZ'],
      drift: ['keys_added', 'keys_vanished'],
      previous_day: '2025-06-01',
    });
    expect(await qualityRow('2025-06-02')).toEqual({
      ...QUIET,
      dataset: 'maxExchanges',
      day: '2025-06-02',
      status: 'failed',
      expected_mtus: 24,
      received_mtus: 0,
      missing_mtus: hourlyMtus('2025-06-02').map((mtu) => `${mtu.slice(0, 16)}Z`),
      resolution_minutes: null,
      keys: null,
      keys_added: null,
      keys_vanished: null,
      reason: 'JAO unavailable',
      drift: [],
      previous_day: '2025-06-01',
      previous_resolution_minutes: 60,
      revision_count: 0,
      last_error: 'JAO unavailable',
    });

    const quarterHourly = { ...validatedDay('2025-06-04', ['AT_BE', 'BE_AT', 'DE_FR', 'CZ_AT'], baseValue) };
    quarterHourly.resolutionMinutes = 15;
    await write('2025-06-04', quarterHourly);
    expect(await qualityRow('2025-06-04')).toMatchObject({
      resolution_minutes: 15,
      previous_resolution_minutes: 60,
      keys_added: [],
      keys_vanished: [],
      drift: ['resolution'],
    });
    // Days with the same keys share one key set.
    const keySets = await pool.query<{ n: number }>(
      `SELECT count(DISTINCT key_set_id)::int AS n FROM jao.delivery_day WHERE day BETWEEN '2025-06-03' AND '2025-06-04'`,
    );
    expect(keySets.rows[0]!.n).toBe(1);
  });
});

describe('a re-check that brings nothing', () => {
  const day = '2025-06-10';
  const nulls = (border: string, hour: number) =>
    border === 'BE_AT' && hour < 2 ? null : baseValue(border, hour);

  it('keeps a stored partial day partial, with its reason; last_error tells what the re-check met', async () => {
    await write(day, validatedDay(day, ['AT_BE', 'BE_AT'], nulls), { status: 'partial' });
    const before = await qualityRow(day);
    expect(before).toMatchObject({ status: 'partial', null_values: 2, reason: 'some values missing' });

    await writeBody(day, '<html>maintenance</html>');
    expect(await qualityRow(day)).toEqual({
      ...before,
      last_error: expect.stringMatching(/^body is not JSON/),
    });
    await writeBody(day, JSON.stringify({ data: [], rejected: false, messages: null }));
    expect(await qualityRow(day)).toEqual({ ...before, last_error: EMPTY_RECHECK_ERROR });
    await writeDay(pool, {
      dataset: 'maxExchanges',
      day,
      status: 'failed',
      validated: null,
      expectedMtus: 24,
      rawResponseId: null,
      workflowId: null,
      error: 'retries exhausted: JAO said \u0000',
    });
    expect(await qualityRow(day)).toEqual({ ...before, last_error: 'retries exhausted: JAO said \uFFFD' });
    expect(
      (await pool.query(`SELECT count(*)::int AS n FROM jao.max_exchanges WHERE delivery_day = $1`, [day]))
        .rows[0],
    ).toEqual({ n: 46 });
  });
});

describe('an empty re-check of stored days, as status and health see them', () => {
  const complete = '2025-12-03';
  const partial = '2025-12-04';
  const emptyBody = JSON.stringify({ data: [], rejected: false, messages: null });

  it('keeps each status and its values; last_error says the re-check found no data', async () => {
    await write(complete, validatedDay(complete, ['AT_BE', 'BE_AT'], baseValue));
    await write(
      partial,
      validatedDay(partial, ['AT_BE', 'BE_AT'], (border, hour) =>
        border === 'BE_AT' && hour === 0 ? null : baseValue(border, hour),
      ),
      { status: 'partial' },
    );
    const completeBefore = await qualityRow(complete);
    const partialBefore = await qualityRow(partial);
    await writeBody(complete, emptyBody);
    await writeBody(partial, emptyBody);

    expect(await qualityRow(complete)).toEqual({ ...completeBefore, last_error: EMPTY_RECHECK_ERROR });
    expect(await qualityRow(partial)).toEqual({ ...partialBefore, last_error: EMPTY_RECHECK_ERROR });
    const stored = await pool.query<{ day: string; n: number }>(
      `SELECT delivery_day::text AS day, count(*)::int AS n FROM jao.max_exchanges
        WHERE delivery_day BETWEEN $1::date AND $2::date GROUP BY delivery_day ORDER BY delivery_day`,
      [complete, partial],
    );
    expect(stored.rows).toEqual([
      { day: complete, n: 48 },
      { day: partial, n: 47 },
    ]);

    const config = loadConfig({ DATABASE_URL: db.url });
    const { report } = await readStatus(
      config,
      'maxExchanges',
      complete,
      partial,
      new Date('2025-12-10T08:00:00Z'),
    );
    expect(report.days.map((line) => [line.day, line.status, line.reason, line.lastError])).toEqual([
      [complete, 'complete', null, EMPTY_RECHECK_ERROR],
      [partial, 'partial', 'some values missing', EMPTY_RECHECK_ERROR],
    ]);
    expect(
      assessHealth({
        temporalError: null,
        databaseError: null,
        reports: [{ dataset: 'maxExchanges', report }],
      }),
    ).toEqual({
      healthy: false,
      problems: [
        `re-check failed: ${complete} (${EMPTY_RECHECK_ERROR})`,
        `day partial: ${partial} (some values missing)`,
      ],
      warnings: [],
    });

    // The next re-check with the same values clears the evidence.
    await write(complete, validatedDay(complete, ['AT_BE', 'BE_AT'], baseValue));
    expect(await qualityRow(complete)).toEqual(completeBefore);
  });
});

describe('revisions and re-checks follow what is stored', () => {
  const storedCount = async (day: DeliveryDay) =>
    (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jao.max_exchanges WHERE delivery_day = $1::date`,
        [day],
      )
    ).rows[0]!.n;

  it('counts no revision when a re-run fills values never stored; a changed value is one', async () => {
    const day = '2025-12-08';
    const gaps = (border: string, hour: number) =>
      border === 'BE_AT' && hour < 2 ? null : baseValue(border, hour);
    await write(day, validatedDay(day, ['AT_BE', 'BE_AT'], gaps), { status: 'partial' });
    expect(await qualityRow(day)).toMatchObject({ status: 'partial', revision_count: 1 });

    const healed = await write(day, validatedDay(day, ['AT_BE', 'BE_AT'], baseValue));
    expect(healed).toMatchObject({ status: 'complete', revision: 1, newPoints: 2, changedPoints: 0 });
    expect(await qualityRow(day)).toMatchObject({ status: 'complete', revision_count: 1, reason: null });
    expect(await storedCount(day)).toBe(48);

    const revised = await write(
      day,
      validatedDay(day, ['AT_BE', 'BE_AT'], (border, hour) => baseValue(border, hour) + (hour === 5 ? 1 : 0)),
    );
    expect(revised).toMatchObject({ status: 'complete', revision: 2, changedPoints: 2 });
    expect(await qualityRow(day)).toMatchObject({ revision_count: 2 });
  });

  it('keeps a complete day complete when a re-check meets conflicting duplicates; last_error is the evidence', async () => {
    const day = '2025-12-09';
    await write(day, validatedDay(day, ['AT_BE', 'BE_AT'], baseValue));
    const before = await qualityRow(day);
    const firstMtu = hourlyMtus(day)[0]!;
    // The answer's two rows at the first MTU disagree: both refused, so 2 of 48 values are missing from it.
    const conflicted = {
      ...validatedDay(day, ['AT_BE', 'BE_AT'], (border, hour) =>
        hour === 0 ? undefined : baseValue(border, hour),
      ),
      conflictingRows: 2,
    };
    conflicted.rejections = [0, 1].map((row) => ({
      row,
      key: null,
      mtu: firstMtu,
      rule: 'conflicting_duplicate',
      raw: '{}',
    }));
    const verdict = judgeDay(conflicted);
    expect(verdict.status).toBe('partial');
    const written = await writeDay(pool, {
      dataset: 'maxExchanges',
      day,
      status: verdict.status,
      validated: conflicted,
      expectedMtus: conflicted.expectedMtus,
      rawResponseId: null,
      workflowId: `maxExchanges/day/${day}`,
      reason: verdict.reason,
    });
    expect(written).toMatchObject({ status: 'complete', revision: 1, vanishedPoints: 0 });
    expect(await qualityRow(day)).toEqual({
      ...before,
      last_error: `re-check found the day partial (${verdict.reason}); the stored values are kept`,
    });
    expect(worseRecheckError('partial', verdict.reason)).toBe((await qualityRow(day)).last_error);
    expect(await storedCount(day)).toBe(48);

    // A re-check that drops values for good (nothing keeps them) makes the day partial: that is what is stored.
    await write(
      day,
      validatedDay(day, ['AT_BE', 'BE_AT'], (border, hour) =>
        border === 'BE_AT' && hour === 3 ? null : baseValue(border, hour),
      ),
      { status: 'partial' },
    );
    expect(await qualityRow(day)).toMatchObject({ status: 'partial', last_error: null, revision_count: 2 });
    expect(await storedCount(day)).toBe(47);
  });
});

describe('rejections of an absurd answer', () => {
  it(`stores the first ${MAX_STORED_REJECTIONS} rejections and counts them all`, async () => {
    const day = '2025-06-12';
    const rejections: Rejection[] = Array.from({ length: 5_000 }, (_, i) => ({
      row: 0,
      key: `border_X${i}_\u0000`,
      mtu: null,
      rule: 'too_many_keys',
      raw: `"border_X${i}_\\u0000"`,
    }));
    const raw = await storeRawResponse(pool, {
      dataset: 'maxExchanges',
      day,
      requestWindow: dayWindow(day),
      httpStatus: 200,
      body: '{}',
    });
    await writeDay(pool, {
      dataset: 'maxExchanges',
      day,
      status: 'partial',
      validated: validatedDay(day, ['AT_BE'], baseValue, rejections),
      expectedMtus: 24,
      rawResponseId: raw.id,
      workflowId: null,
      reason: '5000 keys refused (too_many_keys 5000)',
    });
    const stored = await pool.query<{ n: number; nul: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE key LIKE '%' || chr(65533))::int AS nul
         FROM jao.rejection WHERE day = $1`,
      [day],
    );
    expect(stored.rows[0]).toEqual({ n: MAX_STORED_REJECTIONS, nul: MAX_STORED_REJECTIONS });
    expect(await qualityRow(day)).toMatchObject({ status: 'partial', rejected_values: 5_000, keys: 1 });
  });
});

describe('rejections belong to their raw response', () => {
  /** A JAO body for the day: AT_BE and BE_AT at every hour, BE_AT null at the first hour, `extra` in the first row. */
  function bodyOf(day: DeliveryDay, extra: Record<string, unknown> = {}, messages: string | null = null) {
    const data = hourlyMtus(day).map((mtu, hour) => ({
      id: hour + 1,
      dateTimeUtc: `${mtu.slice(0, 19)}Z`,
      border_AT_BE: baseValue('AT_BE', hour),
      border_BE_AT: hour === 0 ? null : baseValue('BE_AT', hour),
      ...(hour === 0 ? extra : {}),
    }));
    return JSON.stringify({ data, rejected: false, messages });
  }

  async function rejectionsOf(
    day: DeliveryDay,
  ): Promise<{ raw: number; rule: string; key: string | null }[]> {
    const result = await pool.query<{ raw: number; rule: string; key: string | null }>(
      `SELECT raw_response_id::int AS raw, rule, key FROM jao.rejection WHERE day = $1::date
        ORDER BY raw_response_id, rule, key`,
      [day],
    );
    return result.rows;
  }

  const rawIds = async (day: DeliveryDay) =>
    (
      await pool.query<{ id: number }>(
        `SELECT raw_response_id::int AS id FROM jao.raw_response WHERE day = $1::date ORDER BY raw_response_id`,
        [day],
      )
    ).rows.map((row) => row.id);

  it('stores those of a new raw response whose content is unchanged, once however often it is written', async () => {
    const day = '2025-12-01';
    const first = bodyOf(day);
    // Same values and null, plus a refused key: the stored content does not change.
    const withBadKey = bodyOf(day, { border_AT_AT: 100 });
    // Same values and the same null, in another body.
    const sameNullNewBody = bodyOf(day, {}, 'resent');
    await writeBody(day, first);
    const revisionBefore = (await qualityRow(day)).revision_count;
    await writeBody(day, withBadKey);
    await writeBody(day, withBadKey);
    await writeBody(day, sameNullNewBody);
    await writeBody(day, sameNullNewBody);

    const ids = await rawIds(day);
    expect(ids).toHaveLength(3);
    const [a, b, c] = ids;
    expect(await rejectionsOf(day)).toEqual([
      { raw: a, rule: 'null_value', key: 'border_BE_AT' },
      { raw: b, rule: 'key_same_zone', key: 'border_AT_AT' },
      { raw: b, rule: 'null_value', key: 'border_BE_AT' },
      { raw: c, rule: 'null_value', key: 'border_BE_AT' },
    ]);
    expect(await qualityRow(day)).toMatchObject({
      status: 'partial',
      revision_count: revisionBefore,
      null_values: 1,
      rejected_values: 1,
    });
  });

  it(`keeps at most ${MAX_STORED_REJECTIONS} per raw response when the content is unchanged`, async () => {
    const day = '2025-12-02';
    const rejections: Rejection[] = Array.from({ length: 1_500 }, (_, i) => ({
      row: 0,
      key: `border_X${i}_Y`,
      mtu: null,
      rule: 'too_many_keys',
      raw: '1',
    }));
    const validated = validatedDay(day, ['AT_BE'], baseValue, rejections);
    const raws: number[] = [];
    for (const body of ['{"a":1}', '{"a":2}']) {
      const raw = await storeRawResponse(pool, {
        dataset: 'maxExchanges',
        day,
        requestWindow: dayWindow(day),
        httpStatus: 200,
        body,
      });
      raws.push(raw.id);
      // Each raw response written twice, with the same content every time.
      for (let i = 0; i < 2; i += 1) {
        await writeDay(pool, {
          dataset: 'maxExchanges',
          day,
          status: 'partial',
          validated,
          expectedMtus: 24,
          rawResponseId: raw.id,
          workflowId: null,
          reason: '1500 keys refused (too_many_keys 1500)',
        });
      }
    }
    const stored = await pool.query<{ raw: number; n: number }>(
      `SELECT raw_response_id::int AS raw, count(*)::int AS n FROM jao.rejection WHERE day = $1::date
        GROUP BY raw_response_id ORDER BY raw_response_id`,
      [day],
    );
    expect(stored.rows).toEqual(raws.map((raw) => ({ raw, n: MAX_STORED_REJECTIONS })));
    expect(await qualityRow(day)).toMatchObject({ revision_count: 1, rejected_values: 1_500 });
  });
});

describe('what a write reads back for its caller, inside its transaction', () => {
  const withFacts = (day: DeliveryDay, validated: KeyedValuesDay, rawResponseId: number | null) =>
    writeDayWithFacts(pool, {
      dataset: 'maxExchanges',
      day,
      status: 'complete',
      validated,
      expectedMtus: validated.expectedMtus,
      rawResponseId,
      workflowId: `maxExchanges/day/${day}`,
    });
  const storeAnswer = async (day: DeliveryDay, body: string, fetchedAt: Date) =>
    (
      await storeRawResponse(pool, {
        dataset: 'maxExchanges',
        day,
        requestWindow: dayWindow(day),
        httpStatus: 200,
        body,
        fetchedAt,
        answer: body.includes('border_') ? 'data' : 'not_published',
      })
    ).id;

  it('drift, the latest complete day and the first completion, as the day quality and freshness reads see them', async () => {
    const day = '2031-03-02';
    await write('2031-03-01', validatedDay('2031-03-01', ['AT_BE', 'BE_AT'], baseValue));
    await storeAnswer(day, JSON.stringify({ data: [], rejected: false }), new Date('2031-03-01T11:00:00Z'));
    const rawId = await storeAnswer(day, '{"border_AT_BE": 1}', new Date('2031-03-01T11:05:00Z'));

    const first = await withFacts(day, validatedDay(day, ['AT_BE', 'BE_AT', 'AT_CZ'], baseValue), rawId);
    const quality = (await readDayQuality(pool, 'maxExchanges', day, day))[0]!;
    expect(quality.drift?.kinds).toEqual(['keys_added']);
    expect(first.facts).toEqual({
      drift: quality.drift,
      latestCompleteDay: await readLatestCompleteDay(pool, 'maxExchanges'),
      firstCompletion: (await readPublicationTimes(pool, 'maxExchanges', day, day))[0],
    });
    expect(first.facts.latestCompleteDay).toBe(day);
    expect(first.facts.firstCompletion?.publishedAfter).toEqual(new Date('2031-03-01T11:00:00Z'));

    // A later change of the complete day: no first completion, drift as stored; no change: neither.
    const changed = await withFacts(
      day,
      validatedDay(day, ['AT_BE', 'BE_AT'], () => 7),
      rawId,
    );
    expect(changed.facts).toEqual({ drift: null, latestCompleteDay: day, firstCompletion: null });
    const unchanged = await withFacts(
      day,
      validatedDay(day, ['AT_BE', 'BE_AT'], () => 7),
      rawId,
    );
    expect(unchanged.contentChanged).toBe(false);
    expect(unchanged.facts).toEqual({ drift: null, latestCompleteDay: day, firstCompletion: null });
    // writeDay reads none.
    expect(
      await write(
        day,
        validatedDay(day, ['AT_BE', 'BE_AT'], () => 8),
      ),
    ).not.toHaveProperty('facts');
  });
});
