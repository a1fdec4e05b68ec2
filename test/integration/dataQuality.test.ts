import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDays } from '../../activities/plan';
import { allOrderedBorderKeys, CORE_ZONES } from '../../domain/borders';
import { dayWindow } from '../../domain/calendar';
import type { StatusReport } from '../../domain/statusReport';
import type { BackfillResult } from '../../domain/workflowInputs';
import { NO_FAULTS } from '../../simulator/faults';
import { DUPLICATE_ROW_INDEX } from '../../simulator/server';
import { EXTENDED_KEY_SET } from '../../simulator/values';
import type { backfillWorkflow } from '../../workflows';
import { runCli } from '../helpers/cli';
import { createPipelineHarness, type PipelineHarness, type RunningWorkers } from '../helpers/pipeline';
import { metricLinesOfTaskQueues } from '../helpers/runtime';

const CORE_KEYS = allOrderedBorderKeys(CORE_ZONES);
const KEY_SET_CHANGE_DAY = '2025-06-20';

const DAYS = {
  clean: '2025-06-01',
  nulls: '2025-06-02',
  duplicate: '2025-06-03',
  conflicting: '2025-06-04',
  strings: '2025-06-05',
  extraFields: '2025-06-06',
  badKeys: '2025-06-10',
  manyKeys: '2025-06-11',
  keySetChange: KEY_SET_CHANGE_DAY,
  quarterHour: '2025-06-21',
} as const;

const ANOMALIES = {
  nullValueDays: [DAYS.nulls],
  nullValueCells: 25,
  duplicateRowDays: [DAYS.duplicate],
  conflictingDuplicateDays: [DAYS.conflicting],
  stringValueDays: [DAYS.strings],
  extraFieldDays: [DAYS.extraFields],
  badKeyDays: [DAYS.badKeys],
  manyKeysDays: [DAYS.manyKeys],
  quarterHourDays: [DAYS.quarterHour],
};

/** MTU starts of a day at a resolution. */
function mtusOf(day: string, stepMinutes = 60): string[] {
  const { from, to } = dayWindow(day);
  const mtus: string[] = [];
  for (let ms = Date.parse(from); ms < Date.parse(to); ms += stepMinutes * 60_000) {
    mtus.push(new Date(ms).toISOString());
  }
  return mtus;
}

const short = (iso: string) => `${iso.slice(0, 16)}Z`;

describe('data quality through the pipeline', () => {
  let h: PipelineHarness;
  let workers: RunningWorkers;

  beforeAll(async () => {
    h = await createPipelineHarness('quality', { keySetChangeDay: KEY_SET_CHANGE_DAY, faults: ANOMALIES });
    workers = await h.startWorkers();
  });
  afterAll(async () => {
    await workers?.stop();
    await h?.close();
  });

  async function quality(day: string): Promise<Record<string, unknown>> {
    const result = await h.db.pool.query(
      `SELECT status, expected_mtus, received_mtus,
              ARRAY(SELECT to_char(m AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') FROM unnest(missing_mtus) m)
                AS missing_mtus,
              resolution_minutes, keys, keys_added, keys_vanished, null_values, duplicate_rows,
              conflicting_rows, rejected_values, unknown_fields, reason, drift, previous_day::text AS previous_day
         FROM jao.day_quality WHERE dataset = 'maxExchanges' AND day = $1::date`,
      [day],
    );
    expect(result.rows).toHaveLength(1);
    return result.rows[0] as Record<string, unknown>;
  }

  /** The day's stored values as `key@mtu → value`. */
  async function storedValues(day: string): Promise<Map<string, number>> {
    const result = await h.db.pool.query<{ border: string; mtu: Date; value_mw: number }>(
      'SELECT border, mtu, value_mw FROM jao.max_exchanges WHERE delivery_day = $1::date',
      [day],
    );
    return new Map(result.rows.map((r) => [`border_${r.border}@${r.mtu.toISOString()}`, r.value_mw]));
  }

  /** What the simulator publishes for the day, without the cells `skip` names. */
  function publishedValues(
    day: string,
    keys: readonly string[],
    mtus: string[],
    skip: (key: string, mtu: string, cell: number) => boolean = () => false,
  ): Map<string, number> {
    const values = new Map<string, number>();
    let cell = 0;
    for (const mtu of mtus) {
      for (const key of keys) {
        if (!skip(key, mtu, cell)) values.set(`${key}@${mtu}`, h.simulator.expectedValue(day, key, mtu));
        cell++;
      }
    }
    return values;
  }

  const clean = {
    status: 'complete',
    expected_mtus: 24,
    received_mtus: 24,
    missing_mtus: [],
    resolution_minutes: 60,
    keys: 132,
    keys_added: [],
    keys_vanished: [],
    null_values: 0,
    duplicate_rows: 0,
    conflicting_rows: 0,
    rejected_values: 0,
    unknown_fields: [],
    reason: null,
    drift: [],
  };

  it('stores a clean day exactly', async () => {
    expect(await h.runDay(DAYS.clean)).toMatchObject({ status: 'complete', mtus: 24, points: 3168 });
    expect(await quality(DAYS.clean)).toEqual({
      ...clean,
      keys_added: null,
      keys_vanished: null,
      previous_day: null,
    });
    expect(await storedValues(DAYS.clean)).toEqual(
      publishedValues(DAYS.clean, CORE_KEYS, mtusOf(DAYS.clean)),
    );
  });

  it('null values: partial, each null recorded, every other value stored', async () => {
    expect(await h.runDay(DAYS.nulls)).toMatchObject({ status: 'partial', mtus: 24, points: 3143 });
    expect(await quality(DAYS.nulls)).toEqual({
      ...clean,
      status: 'partial',
      null_values: 25,
      rejected_values: 25,
      reason: '25 of 3168 values missing: 25 null values',
      previous_day: DAYS.clean,
    });
    expect(await storedValues(DAYS.nulls)).toEqual(
      publishedValues(DAYS.nulls, CORE_KEYS, mtusOf(DAYS.nulls), (_k, _m, cell) => cell < 25),
    );
    const rejections = await h.db.pool.query<{ rule: string; n: number }>(
      `SELECT rule, count(*)::int AS n FROM jao.rejection WHERE day = $1 GROUP BY rule`,
      [DAYS.nulls],
    );
    expect(rejections.rows).toEqual([{ rule: 'null_value', n: 25 }]);
  });

  it('an identical duplicate row: collapsed and counted, the day complete with every value', async () => {
    expect(await h.runDay(DAYS.duplicate)).toMatchObject({ status: 'complete', points: 3168 });
    expect(await quality(DAYS.duplicate)).toEqual({ ...clean, duplicate_rows: 1, previous_day: DAYS.nulls });
    expect(await storedValues(DAYS.duplicate)).toEqual(
      publishedValues(DAYS.duplicate, CORE_KEYS, mtusOf(DAYS.duplicate)),
    );
  });

  it('conflicting duplicates: that MTU refused, the day partial', async () => {
    const mtus = mtusOf(DAYS.conflicting);
    const conflicted = mtus[DUPLICATE_ROW_INDEX]!;
    expect(await h.runDay(DAYS.conflicting)).toMatchObject({ status: 'partial', mtus: 23, points: 3036 });
    expect(await quality(DAYS.conflicting)).toEqual({
      ...clean,
      status: 'partial',
      received_mtus: 23,
      missing_mtus: [short(conflicted)],
      conflicting_rows: 2,
      rejected_values: 2,
      reason: `132 of 3168 values missing: 1 of 24 MTUs missing (${short(conflicted)}); 2 conflicting duplicate rows`,
      previous_day: DAYS.duplicate,
    });
    expect(await storedValues(DAYS.conflicting)).toEqual(
      publishedValues(DAYS.conflicting, CORE_KEYS, mtus, (_k, mtu) => mtu === conflicted),
    );
  });

  it('values as strings: invalid with nothing stored (never complete)', async () => {
    const mtus = mtusOf(DAYS.strings);
    expect(await h.runDay(DAYS.strings)).toMatchObject({ status: 'invalid', mtus: 0, points: 0 });
    const reason =
      `no value accepted: 24 of 24 MTUs missing (${mtus.slice(0, 3).map(short).join(', ')}, …); ` +
      '3168 values refused (value_not_number 3168)';
    expect(await quality(DAYS.strings)).toEqual({
      ...clean,
      status: 'invalid',
      received_mtus: 0,
      missing_mtus: mtus.map(short),
      rejected_values: 3168,
      reason,
      previous_day: DAYS.conflicting,
    });
    expect((await storedValues(DAYS.strings)).size).toBe(0);
    const stored = await h.db.pool.query(`SELECT last_error FROM jao.delivery_day WHERE day = $1`, [
      DAYS.strings,
    ]);
    expect(stored.rows).toEqual([{ last_error: reason }]);
  });

  it('unknown fields: recorded, the day complete', async () => {
    expect(await h.runDay(DAYS.extraFields)).toMatchObject({ status: 'complete', points: 3168 });
    expect(await quality(DAYS.extraFields)).toEqual({
      ...clean,
      unknown_fields: ['comment', 'lastModifiedOn'],
      previous_day: DAYS.conflicting,
    });
    expect(await storedValues(DAYS.extraFields)).toEqual(
      publishedValues(DAYS.extraFields, CORE_KEYS, mtusOf(DAYS.extraFields)),
    );
  });

  it('a key with a NUL byte and a 3,000-character key: refused, made safe, the day’s values stored', async () => {
    expect(await h.runDay(DAYS.badKeys)).toMatchObject({ status: 'partial', points: 3168 });
    expect(await quality(DAYS.badKeys)).toEqual({
      ...clean,
      status: 'partial',
      rejected_values: 2,
      reason: '2 keys refused (key_format 1, key_too_long 1)',
      previous_day: DAYS.extraFields,
    });
    expect(await storedValues(DAYS.badKeys)).toEqual(
      publishedValues(DAYS.badKeys, CORE_KEYS, mtusOf(DAYS.badKeys)),
    );
    const rejections = await h.db.pool.query<{ rule: string; key: string; raw: string }>(
      `SELECT rule, key, raw FROM jao.rejection WHERE day = $1 ORDER BY rule`,
      [DAYS.badKeys],
    );
    expect(rejections.rows).toEqual([
      { rule: 'key_format', key: 'border_AT\\u0000_BE', raw: '"border_AT\\u0000_BE"' },
      { rule: 'key_too_long', key: `border_${'A'.repeat(57)}…`, raw: `"border_${'A'.repeat(292)}…` },
    ]);
  });

  it('10,000 unknown well-formed keys: refused as too_many_keys, 1,000 refusals stored, the Core values kept', async () => {
    expect(await h.runDay(DAYS.manyKeys)).toMatchObject({ status: 'partial', points: 3168 });
    expect(await quality(DAYS.manyKeys)).toEqual({
      ...clean,
      status: 'partial',
      rejected_values: 10_000,
      reason: '10000 keys refused (too_many_keys 10000)',
      previous_day: DAYS.badKeys,
    });
    expect(await storedValues(DAYS.manyKeys)).toEqual(
      publishedValues(DAYS.manyKeys, CORE_KEYS, mtusOf(DAYS.manyKeys)),
    );
    const counts = await h.db.pool.query<{ rejections: number; series: number }>(
      `SELECT (SELECT count(*) FROM jao.rejection WHERE day = $1)::int AS rejections,
              (SELECT count(*) FROM jao.series)::int AS series`,
      [DAYS.manyKeys],
    );
    expect(counts.rows[0]).toEqual({ rejections: 1_000, series: 132 });
  });

  it('a key-set change and 15-minute rows: complete, flagged as drift', async () => {
    const extended = EXTENDED_KEY_SET.keys;
    const added = extended.filter((key) => !CORE_KEYS.includes(key)).sort();
    expect(await h.runDay(DAYS.keySetChange)).toMatchObject({ status: 'complete', points: 24 * 156 });
    expect(await quality(DAYS.keySetChange)).toEqual({
      ...clean,
      keys: 156,
      keys_added: added,
      drift: ['keys_added'],
      previous_day: DAYS.manyKeys,
    });
    expect(added).toHaveLength(24);

    const quarters = mtusOf(DAYS.quarterHour, 15);
    expect(await h.runDay(DAYS.quarterHour)).toMatchObject({
      status: 'complete',
      mtus: 96,
      points: 96 * 156,
    });
    expect(await quality(DAYS.quarterHour)).toEqual({
      ...clean,
      expected_mtus: 96,
      received_mtus: 96,
      resolution_minutes: 15,
      keys: 156,
      drift: ['resolution'],
      previous_day: DAYS.keySetChange,
    });
    expect(await storedValues(DAYS.quarterHour)).toEqual(
      publishedValues(DAYS.quarterHour, extended, quarters),
    );

    const metrics = await metricLinesOfTaskQueues(h.taskQueue);
    const drift = metrics.filter((line) => line.startsWith('jao_schema_drift_total'));
    expect(drift.map((line) => line.replace(/\{.*kind="(\w+)".*\}/, '{$1}')).sort()).toEqual([
      'jao_schema_drift_total{keys_added} 1',
      'jao_schema_drift_total{resolution} 1',
    ]);
  });

  it('--mode failed selects the partial and invalid days; status shows why, and the drift', async () => {
    const range = { dataset: 'maxExchanges' as const, from: '2025-06-01', to: '2025-06-30' };
    expect(await planDays(h.db.pool, { ...range, mode: 'failed' })).toEqual([
      DAYS.nulls,
      DAYS.conflicting,
      DAYS.strings,
      DAYS.badKeys,
      DAYS.manyKeys,
    ]);

    const env = { DATABASE_URL: h.db.url };
    const json = await runCli(['status', '--from', '2025-06-01', '--to', '2025-06-21', '--json'], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as StatusReport;
    const byDay = new Map(report.days.map((line) => [line.day, line]));
    expect(byDay.get(DAYS.strings)).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/^no value accepted/),
    });
    expect(byDay.get(DAYS.nulls)).toMatchObject({
      status: 'partial',
      reason: '25 of 3168 values missing: 25 null values',
    });
    expect(byDay.get(DAYS.quarterHour)?.drift).toMatchObject({
      kinds: ['resolution'],
      previousDay: DAYS.keySetChange,
    });
    expect(report.counts).toMatchObject({ complete: 5, partial: 4, invalid: 1, drift: 2 });

    const text = await runCli(['status', '--from', '2025-06-01', '--to', '2025-06-21'], env);
    expect(text.stdout).toContain(
      `${DAYS.nulls}  partial, 24/24 MTUs, LATE, why: 25 of 3168 values missing: 25 null values`,
    );
    expect(text.stdout).toContain(
      `${DAYS.quarterHour}  drift: resolution 60 → 15 min against ${DAYS.keySetChange}`,
    );
    expect(text.stdout).toContain(`${DAYS.keySetChange}  drift: 24 keys added (`);
  });

  it('heals the days once the source is fixed: complete, reason cleared, history kept', async () => {
    h.simulator.setFaults(NO_FAULTS);
    const result = await h.temporal.client.workflow.execute<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId: `quality-heal-${h.taskQueue}`,
      taskQueue: h.taskQueue,
      args: [{ from: '2025-06-01', to: '2025-06-21', mode: 'failed', concurrency: 2 }],
    });
    expect(result).toMatchObject<Partial<BackfillResult>>({
      total: 5,
      byStatus: { complete: 5 },
      notCompleted: [],
    });
    expect(
      await planDays(h.db.pool, {
        dataset: 'maxExchanges',
        from: '2025-06-01',
        to: '2025-06-30',
        mode: 'failed',
      }),
    ).toEqual([]);

    expect(await quality(DAYS.nulls)).toEqual({ ...clean, previous_day: DAYS.clean });
    expect(await quality(DAYS.strings)).toEqual({ ...clean, previous_day: DAYS.conflicting });
    for (const day of [DAYS.nulls, DAYS.conflicting, DAYS.strings, DAYS.badKeys, DAYS.manyKeys]) {
      expect(await storedValues(day)).toEqual(publishedValues(day, CORE_KEYS, mtusOf(day)));
    }
    // History kept: the first answers and their refusals. Healing filled values never stored: no revision.
    const kept = await h.db.pool.query<{ day: string; revisions: number; raws: number; rejections: number }>(
      `SELECT d.day::text AS day, d.revision_count AS revisions,
              (SELECT count(*) FROM jao.raw_response r WHERE r.day = d.day)::int AS raws,
              (SELECT count(*) FROM jao.rejection j WHERE j.day = d.day)::int AS rejections
         FROM jao.delivery_day d WHERE d.day IN ($1, $2, $3) ORDER BY d.day`,
      [DAYS.nulls, DAYS.conflicting, DAYS.strings],
    );
    expect(kept.rows).toEqual([
      { day: DAYS.nulls, revisions: 1, raws: 2, rejections: 25 },
      { day: DAYS.conflicting, revisions: 1, raws: 2, rejections: 2 },
      { day: DAYS.strings, revisions: 1, raws: 2, rejections: 1_000 },
    ]);
  });
});
