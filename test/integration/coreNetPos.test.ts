// Core netPos end to end: the pipeline fetches real coreNetPos days from the simulator's netPos path over HTTP and
// stores them value for value as answered: hub series (hub in from_zone, no to_zone), negative net positions, an
// hourly DST day of 23 hours, quarter-hour DST days of 92 and 100 MTUs, an AHC day with the nine virtual hubs, and a
// revision kept with its history. The API filters a hub by its border name (hub_AT); the CLI takes the dataset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayWindow } from '../../domain/calendar';
import { declarationOf, declaredZonesOn } from '../../domain/datasets';
import { hubKey } from '../../domain/hubs';
import type { DeliveryDay } from '../../domain/types';
import { createTestKey, type InjectedTestApi, injectTestApi } from '../helpers/api';
import { runCli } from '../helpers/cli';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';

const DATASET = 'coreNetPos';
const DAYS = {
  hourlyDst: '2025-03-30',
  hourly: '2025-09-30',
  autumn: '2025-10-26',
  spring: '2026-03-29',
  beforeAhc: '2026-06-10',
  ahc: '2026-06-11',
} as const;
const AHC = ['DE_DK1_VH', 'DE_DK2_BigHub', 'DE_NO2_BigHub', 'DE_SE4_Baltic', 'NL_DK1_COBRA', 'NL_NO2_NorNed'];

type Row = Record<string, unknown>;

describe('coreNetPos through the pipeline', () => {
  let h: PipelineHarness;
  let api: InjectedTestApi;
  let key: string;

  beforeAll(async () => {
    h = await createPipelineHarness('netpos');
    await h.startWorkers();
  });

  afterAll(async () => {
    await api?.close();
    await h?.close();
  });

  /** The simulator's answer for the day's window, as `key|mtu` → MW. */
  async function answered(day: DeliveryDay): Promise<Map<string, number>> {
    const { from, to } = dayWindow(day);
    const path = `/core/api/data/${declarationOf(DATASET).endpoint}`;
    const response = await fetch(`${h.simulator.origin}${path}?FromUtc=${from}&ToUtc=${to}`);
    expect(response.status).toBe(200);
    const values = new Map<string, number>();
    for (const row of ((await response.json()) as { data: Row[] }).data) {
      const mtu = new Date(String(row.dateTimeUtc)).toISOString();
      for (const [field, value] of Object.entries(row))
        if (field.startsWith('hub_')) values.set(`${field}|${mtu}`, value as number);
    }
    return values;
  }

  async function stored(day: DeliveryDay): Promise<Map<string, number>> {
    const result = await h.db.pool.query<{ border: string; mtu: Date; value_mw: number }>(
      `SELECT border, mtu, value_mw FROM jao.dataset_values WHERE dataset = $1 AND delivery_day = $2::date`,
      [DATASET, day],
    );
    return new Map(
      result.rows.map((row) => [`${row.border}|${row.mtu.toISOString()}`, Number(row.value_mw)]),
    );
  }

  it('stores each day complete, equal to the answer value for value, DST days at 23, 92 and 100 MTUs', async () => {
    const expectations: Array<[DeliveryDay, number, number]> = [
      [DAYS.hourlyDst, 23, 14],
      [DAYS.hourly, 24, 14],
      [DAYS.autumn, 100, 14],
      [DAYS.spring, 92, 14],
      [DAYS.beforeAhc, 96, 14],
    ];
    for (const [day, mtus, hubs] of expectations) {
      const result = await h.runDay(day, DATASET);
      expect([day, result.status, result.mtus, result.points]).toEqual([day, 'complete', mtus, mtus * hubs]);
      const expected = await answered(day);
      expect(expected.size).toBe(mtus * hubs);
      expect(await stored(day)).toEqual(expected);
    }
    const negative = await h.db.pool.query<{ n: number; low: number }>(
      `SELECT count(*)::int AS n, min(value_mw) AS low FROM jao.dataset_values WHERE dataset = $1 AND value_mw < 0`,
      [DATASET],
    );
    expect(negative.rows[0]!.n).toBeGreaterThan(100);
    expect(Number(negative.rows[0]!.low)).toBeLessThan(-1000);
    const quality = await h.db.pool.query<{
      day: string;
      status: string;
      received: number;
      rejected: number;
    }>(
      `SELECT day::text, status, received_mtus AS received, rejected_values AS rejected
         FROM jao.delivery_day WHERE dataset = $1 ORDER BY day`,
      [DATASET],
    );
    expect(quality.rows.every((row) => row.status === 'complete' && row.rejected === 0)).toBe(true);
  });

  it('stores an AHC day with the nine virtual hubs as hub series beside the Core hubs', async () => {
    const result = await h.runDay(DAYS.ahc, DATASET);
    expect(result).toMatchObject({ status: 'complete', mtus: 96, points: 96 * 23 });
    expect(await stored(DAYS.ahc)).toEqual(await answered(DAYS.ahc));
    const series = await h.db.pool.query<{
      key: string;
      border: string;
      from_zone: string;
      to_zone: string | null;
    }>('SELECT key, border, from_zone, to_zone FROM jao.series WHERE dataset = $1 ORDER BY key', [DATASET]);
    const hubs = declaredZonesOn(declarationOf(DATASET), DAYS.ahc);
    expect(series.rows).toEqual(
      hubs
        .map((hub) => ({ key: hubKey(hub), border: hubKey(hub), from_zone: hub, to_zone: null }))
        .sort((a, b) => (a.key < b.key ? -1 : 1)),
    );
    for (const hub of AHC) expect(series.rows.some((row) => row.from_zone === hub)).toBe(true);
    const catalog = await h.db.pool.query<{ key: string; first_day: string }>(
      `SELECT key, first_day::text FROM jao.catalog WHERE dataset = $1 AND key = 'hub_RO_BG_VH'`,
      [DATASET],
    );
    expect(catalog.rows).toEqual([{ key: 'hub_RO_BG_VH', first_day: DAYS.ahc }]);
  });

  it('keeps a revision with its history: the new values current, the old ones as of before', async () => {
    const day = DAYS.beforeAhc;
    const before = await stored(day);
    const revisedAt = new Date();
    expect(h.simulator.reviseDay(day, DATASET)).toBe(1);
    const result = await h.runDay(day, DATASET);
    expect(result).toMatchObject({ status: 'complete', revision: 2 });
    expect(result.changedPoints).toBeGreaterThan(0);
    const after = await stored(day);
    expect(after).toEqual(await answered(day));
    expect(after).not.toEqual(before);
    const history = await h.db.pool.query<{ border: string; mtu: Date; value_mw: number; revision: number }>(
      `SELECT border, mtu, value_mw, revision FROM jao.dataset_values_history
        WHERE dataset = $1 AND delivery_day = $2::date AND valid_to IS NOT NULL`,
      [DATASET, day],
    );
    expect(history.rows.length).toBe(result.changedPoints);
    for (const row of history.rows)
      expect([row.revision, Number(row.value_mw)]).toEqual([
        1,
        before.get(`${row.border}|${row.mtu.toISOString()}`),
      ]);
    const asOf = await h.db.pool.query<{ border: string; mtu: Date; value_mw: number }>(
      `SELECT border, mtu, value_mw FROM jao.dataset_values_as_of($1) WHERE dataset = $2 AND delivery_day = $3::date`,
      [revisedAt, DATASET, day],
    );
    expect(
      new Map(asOf.rows.map((row) => [`${row.border}|${row.mtu.toISOString()}`, Number(row.value_mw)])),
    ).toEqual(before);
  });

  it('serves a hub through the API: listed, filtered by border=hub_AT, to_zone null in JSON, NDJSON and CSV', async () => {
    key = await createTestKey(h.db.pool, [DATASET]);
    api = await injectTestApi(h.db.url);
    const list = await api.get(key, '/v1/datasets');
    expect(list.status).toBe(200);
    expect(JSON.stringify(await list.json())).toContain(DATASET);
    const path = `/v1/datasets/${DATASET}/values?from=${DAYS.spring}&to=${DAYS.spring}&border=hub_AT`;
    const json = await api.get(key, path);
    expect(json.status).toBe(200);
    const rows = (await json.json()) as Row[];
    expect(rows).toHaveLength(92);
    const spring = await stored(DAYS.spring);
    for (const row of rows) {
      expect(row).toMatchObject({ border: 'hub_AT', from_zone: 'AT', to_zone: null });
      expect(row.value_mw).toBe(spring.get(`hub_AT|${row.mtu}`));
    }
    const ndjson = await api.get(
      key,
      `${path.replace('border=hub_AT', 'border=hub_DE_DK1_VH')}&format=ndjson`,
    );
    expect(ndjson.status).toBe(200);
    expect((await ndjson.text()).trim()).toBe('');
    const ahc = `/v1/datasets/${DATASET}/values?from=${DAYS.ahc}&to=${DAYS.ahc}`;
    const lines = (await (await api.get(key, `${ahc}&format=ndjson`)).text()).trim().split('\n');
    expect(lines).toHaveLength(96 * 23);
    const parsed = lines.map((line) => JSON.parse(line) as Row);
    expect(parsed.find((row) => row.border === 'hub_DE_DK1_VH')).toMatchObject({
      from_zone: 'DE_DK1_VH',
      to_zone: null,
    });
    const csv = (await (await api.get(key, `${ahc}&format=csv&border=hub_NL_NO2_NorNed`)).text())
      .trim()
      .split('\n');
    expect(csv).toHaveLength(1 + 96);
    expect(csv[1]).toMatch(/^[^,]+,2026-06-11,hub_NL_NO2_NorNed,NL_NO2_NorNed,,-?\d/);
    const unknown = await api.get(key, `${ahc}&border=hub_XX`);
    expect(unknown.status).toBe(400);
  });

  it('jao status --dataset coreNetPos shows the stored days', async () => {
    const run = await runCli(
      ['status', '--dataset', DATASET, '--from', DAYS.spring, '--to', DAYS.spring, '--json'],
      { DATABASE_URL: h.db.url },
    );
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { dataset: string; days: { day: string; status: string }[] };
    expect(report.dataset).toBe(DATASET);
    expect(report.days.map((line) => [line.day, line.status])).toEqual([[DAYS.spring, 'complete']]);
  });
});
