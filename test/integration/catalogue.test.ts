// The catalogue (docs/design.md §13): jao.catalog, `jao catalogue --markdown` and the API's series endpoint say
// what exists, in what unit and resolution, since when, how complete, where it comes from (as the worker recorded
// its configuration at start-up) and when it is published. Days 2026-05-30..2026-06-02 (the simulator's key set
// grows on 2026-06-01; 2026-05-31 misses an MTU), in a namespace of the file's own.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CatalogSeries, DataDictionary } from '../../db/catalogue';
import { describePublicationSchedule } from '../../domain/datasetSource';
import type { BackfillResult } from '../../domain/workflowInputs';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { createTestKey, type InjectedTestApi, injectTestApi } from '../helpers/api';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createTestNamespace } from '../helpers/namespace';
import { runBundle } from '../helpers/pipeline';
import { type JaoProcess, spawnJao, stopProcess } from '../helpers/processes';
import { connectTemporal, type TemporalTestContext, uniqueTaskQueue } from '../helpers/temporal';

const FROM = '2026-05-30';
const PARTIAL = '2026-05-31';
const KEYS_ADDED = '2026-06-01';
const TO = '2026-06-02';

let db: TestDatabase;
let simulator: SimulatorHandle;
let temporal: TemporalTestContext;
let worker: JaoProcess;
let api: InjectedTestApi;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  db = await createTestDatabase();
  simulator = await startSimulator({ faults: { missingMtuDays: [PARTIAL] } });
  const namespace = await createTestNamespace('catalogue');
  temporal = await connectTemporal({ namespace });
  const taskQueue = uniqueTaskQueue('catalogue');
  env = {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    JAO_BASE_URL: simulator.origin,
    PUBLICATION_WINDOW: '07:00-10:30',
    POLL_INTERVAL: '5m',
    METRICS_PORT: '0',
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
  };
  worker = spawnJao(['worker', '--no-schedule'], env);
  await worker.waitFor('worker polling task queue', 90_000);
  const backfill: BackfillResult = await temporal.client.workflow.execute('backfillWorkflow', {
    workflowId: `maxExchanges/backfill/${FROM}..${TO}/all`,
    taskQueue,
    args: [{ from: FROM, to: TO, mode: 'all', concurrency: 4 }],
  });
  expect(backfill.byStatus).toEqual({ complete: 3, partial: 1 });
  api = await injectTestApi(db.url);
});
afterAll(async () => {
  await api?.close();
  if (worker) await stopProcess(worker);
  await temporal?.close();
  await simulator?.close();
  await db?.release();
});

const endpoint = () => `${simulator.origin}/core/api/data/maxExchanges`;
const schedule = describePublicationSchedule({
  window: '07:00-10:30',
  checkIntervalMs: 30_000,
  deadline: '12:00',
  pollIntervalMs: 300_000,
  lookbackDays: 3,
});

describe('jao.catalog', () => {
  it('lists every series with its unit, resolution, span, complete share, source and schedule', async () => {
    const rows = (
      await db.pool.query(
        `SELECT border, unit, resolution_minutes, first_day::text AS first_day, last_day::text AS last_day,
                days_in_span, complete_days, complete_share::float8 AS complete_share, source_endpoint,
                publication_schedule
           FROM jao.catalog ORDER BY border`,
      )
    ).rows;
    expect(rows).toHaveLength(156);
    const common = {
      unit: 'MW',
      resolution_minutes: 60,
      source_endpoint: endpoint(),
      publication_schedule: schedule,
    };
    expect(rows.find((row) => row.border === 'AT_BE')).toEqual({
      border: 'AT_BE',
      ...common,
      first_day: FROM,
      last_day: TO,
      days_in_span: 4,
      complete_days: 3,
      complete_share: 0.75,
    });
    // A key that appeared with the new key set starts on its first day.
    expect(rows.find((row) => row.border === 'ALBE_AT')).toEqual({
      border: 'ALBE_AT',
      ...common,
      first_day: KEYS_ADDED,
      last_day: TO,
      days_in_span: 2,
      complete_days: 2,
      complete_share: 1,
    });
  });
});

describe('jao catalogue', () => {
  it('--markdown prints the data dictionary from the live database', async () => {
    const run = await runCli(['catalogue', '--markdown'], env);
    expect(run.code, run.stderr).toBe(0);
    const text = run.stdout;
    const lines = text.split('\n');
    expect(lines[0]).toBe('# jao-scraper data dictionary');
    expect(lines).toContain(`| source endpoint | ${endpoint()} |`);
    expect(lines).toContain(`| publication schedule | ${schedule} |`);
    expect(lines).toContain(`| resolution | 60 minutes |`);
    expect(lines).toContain(`| days stored | 4 (${FROM} to ${TO}) |`);
    expect(lines).toContain('| complete days | 3 of 4 days of the span (75.0 %) |');
    expect(lines.find((line) => line.startsWith('| source recorded |'))).toMatch(
      new RegExp(`by build ${runBundle().info.buildId.replace(/[.]/g, '\\.')} \\|$`),
    );
    const atBe = lines.find((line) => line.startsWith('| maxExchanges | AT_BE | '));
    expect(atBe).toMatch(
      new RegExp(
        `^\\| maxExchanges \\| AT_BE \\| \`border_AT_BE\` \\| AT \\| BE \\| MW \\| 60 \\| ${FROM} \\| ${TO} \\| 3 of 4 \\| 75\\.0 % \\| \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z \\|$`,
      ),
    );
    expect(lines.filter((line) => line.startsWith('| maxExchanges | '))).toHaveLength(156);

    // Every consumer object, with a description of itself and of each of its columns.
    const headings = lines.filter((line) => line.startsWith('### `jao.'));
    for (const object of [
      '### `jao.catalog` (view)',
      '### `jao.max_exchanges` (view)',
      '### `jao.max_exchanges_history` (view)',
      '### `jao.max_exchanges_lineage` (view)',
      '### `jao.day_quality` (view)',
      '### `jao.delivery_day` (table)',
      '### `jao.max_exchanges_as_of(at timestamp with time zone)` (function)',
      '### `jao.value_lineage(border text, mtu timestamp with time zone)` (function)',
    ]) {
      expect(headings).toContain(object);
    }
    const objects = text.slice(text.indexOf('## Consumer objects'));
    expect(objects).not.toContain('(no description)');
    const columnRows = objects.split('\n').filter((line) => /^\| `[a-z_]+` \|/.test(line));
    expect(columnRows.length).toBeGreaterThan(100);
    expect(columnRows.filter((line) => line.endsWith('| – |'))).toEqual([]);
  });

  it('--json gives the same, and refuses --markdown with it', async () => {
    const run = await runCli(['catalogue', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const dictionary = JSON.parse(run.stdout) as DataDictionary;
    expect(dictionary.series).toHaveLength(156);
    expect(dictionary.datasets).toMatchObject([
      { dataset: 'maxExchanges', endpoint: endpoint(), series: 156, daysStored: 4, completeDays: 3 },
    ]);
    const both = await runCli(['catalogue', '--json', '--markdown'], env);
    expect(both.code).toBe(2);
    expect(both.stderr.trim()).toBe(
      'jao catalogue: give --markdown or --json, not both (help: jao catalogue --help)',
    );
  });
});

describe("the API's series endpoint", () => {
  it("serves the catalogue's fields beside its own", async () => {
    const key = await createTestKey(db.pool);
    const answer = await api.get(key, '/v1/datasets/maxExchanges/series');
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as (CatalogSeries & { values: number })[];
    expect(body).toHaveLength(156);
    expect(body.find((entry) => entry.border === 'AT_BE')).toMatchObject({
      key: 'border_AT_BE',
      values: 4 * 24 * 1 - 1,
      first_day: FROM,
      last_day: TO,
      dataset: 'maxExchanges',
      resolution_minutes: 60,
      complete_days: 3,
      days_in_span: 4,
      complete_share: 0.75,
      source_endpoint: endpoint(),
      publication_schedule: schedule,
    });
  });

  it('answers anew once a reprocessing re-judged a day (its ETag moves with every write)', async () => {
    const key = await createTestKey(db.pool);
    const path = '/v1/datasets/maxExchanges/series';
    const before = await api.get(key, path);
    const etag = before.headers.get('etag')!;
    expect(etag).toBeTruthy();
    // A faulty build had judged the day with a missing MTU complete.
    await db.pool.query(
      `UPDATE jao.delivery_day SET status = 'complete', reason = NULL, missing_mtus = '{}' WHERE day = $1`,
      [PARTIAL],
    );
    const requests = simulator.requests.length;
    const run = await runCli(['reprocess', '--from', PARTIAL, '--to', PARTIAL, '--wait'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `  ${PARTIAL} complete → partial: 0 values (0 changed, 0 added, 0 vanished)`,
    );
    expect(simulator.requests.length).toBe(requests);
    const after = await api.get(key, path, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const body = (await after.json()) as CatalogSeries[];
    expect(body.find((entry) => entry.border === 'AT_BE')).toMatchObject({ complete_days: 3 });
  });
});
