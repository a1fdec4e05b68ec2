// Every declared dataset end to end against the simulator: a day workflow per dataset fetches its own path, and the
// day is judged by the dataset's declaration (Nordic: 96 quarter-hours, 92 and 100 on DST days; lastModifiedOn is
// not an unknown field; a Nordic day served hourly is drift). The datasets' days share no workflow id. `jao status`
// shows a dataset's quarter-hour days; a failed Nordic day makes `jao health` and the health gauges name Nordic.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../common/config';
import { pollScheduleIdFor } from '../../control/pollSchedule';
import { readDayQuality } from '../../db/dayQuality';
import { addDays, marketToday } from '../../domain/calendar';
import {
  DECLARATIONS,
  declaredResolutionOn,
  KEYED_VALUE_DECLARATIONS,
  type KeyedValueDataset,
  publishedEmptyKeysOf,
} from '../../domain/datasets';
import { healthGauges } from '../../domain/healthMetrics';
import { dayWorkflowId } from '../../domain/workflowInputs';
import { hasCapturedProfile, PROFILES } from '../../simulator/profiles';
import { DEFAULT_KEY_SET_CHANGE_DAY } from '../../simulator/values';
import { gatherHealthFacts } from '../../workers/healthFacts';
import { runCli } from '../helpers/cli';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { metricLinesOfTaskQueues } from '../helpers/runtime';
import { SMALL_FLOW_BASED_DOMAIN } from '../helpers/smallDomain';

const NORDIC = 'nordicMaxExchanges';
const DAYS = {
  normal: '2026-01-14',
  spring: '2026-03-29',
  autumn: '2025-10-26',
  hourly: '2026-01-15',
  republished: '2026-01-20',
} as const;

/**
 * Every dataset but the constraint publications declared in a spelling of their own, which
 * constraintPublications.test.ts stores through the pipeline one per spelling: on DAYS.normal a Nordic quarter-hour
 * domain day is over JAO_MAX_BODY_BYTES (docs/constraints.md, "Known gaps"), and IDCC(d) has not started.
 */

describe('datasets through the pipeline', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // A namespace of its own: the health test fails a Nordic day two days ago, a day the polls of other files touch.
    const namespace = await createTestNamespace('datasets');
    h = await createPipelineHarness(
      'datasets',
      { faults: { hourlyDays: [DAYS.hourly] }, ...SMALL_FLOW_BASED_DOMAIN },
      { namespace },
    );
    await h.startWorkers();
  });

  afterAll(async () => {
    await h?.close();
  });

  /** The CLI's environment: this file's database, namespace and task queue; Core and Nordic kept current. */
  const cliEnv = () => ({
    DATABASE_URL: h.db.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: h.temporal.namespace,
    TEMPORAL_TASK_QUEUE: h.taskQueue,
    JAO_DATASETS: `maxExchanges,${NORDIC}`,
    HEALTH_WINDOW_DAYS: '3',
  });

  // The datasets answered from a real capture's profile and the domain; every other keyed dataset, answered from its
  // declaration alone, goes through the pipeline in test/integration/keyedDeclarations.test.ts.
  const CAPTURED = DECLARATIONS.filter((declaration) =>
    declaration.rowKind === 'constraints'
      ? !('constraintFields' in declaration)
      : hasCapturedProfile(declaration.id as KeyedValueDataset),
  );
  const CAPTURED_KEYED = KEYED_VALUE_DECLARATIONS.filter((declaration) => hasCapturedProfile(declaration.id));

  it('stores one day of every captured dataset from its own path, under ids unique across regions', async () => {
    const results = await Promise.all(CAPTURED.map((declaration) => h.runDay(DAYS.normal, declaration.id)));
    for (const [i, declaration] of CAPTURED.entries()) {
      const mtus = (24 * 60) / declaredResolutionOn(declaration, DAYS.normal);
      expect([declaration.id, results[i]!.status, results[i]!.mtus]).toEqual([
        declaration.id,
        'complete',
        mtus,
      ]);
    }
    expect(new Set(DECLARATIONS.map((declaration) => dayWorkflowId(declaration.id, DAYS.normal))).size).toBe(
      DECLARATIONS.length,
    );
    const paths = new Set(h.simulator.requests.map((entry) => entry.dataset));
    expect([...paths].sort()).toEqual(CAPTURED.map((declaration) => declaration.id).sort());
    const rows = await h.db.pool.query<{ dataset: string; points: number }>(
      `SELECT s.dataset, count(*)::int AS points
         FROM jao.observation o JOIN jao.series s USING (series_id)
        GROUP BY s.dataset ORDER BY s.dataset`,
    );
    const expected = CAPTURED_KEYED.map((declaration) => ({
      dataset: declaration.id,
      points:
        ((24 * 60) / declaredResolutionOn(declaration, DAYS.normal)) *
        (PROFILES[declaration.id].keySetForDay(DAYS.normal, DEFAULT_KEY_SET_CHANGE_DAY).keys.length -
          publishedEmptyKeysOf(declaration).length),
    }));
    expect(rows.rows).toEqual(expected.sort((a, b) => (a.dataset < b.dataset ? -1 : 1)));
    expect(expected.find((entry) => entry.dataset === NORDIC)?.points).toBe(96 * 62);
  });

  it('completes Nordic DST days at 92 and 100 quarter-hours, lastModifiedOn not an unknown field', async () => {
    expect(await h.runDay(DAYS.spring, NORDIC)).toMatchObject({ status: 'complete', mtus: 92 });
    expect(await h.runDay(DAYS.autumn, NORDIC)).toMatchObject({ status: 'complete', mtus: 100 });
    const quality = await readDayQuality(h.db.pool, NORDIC, DAYS.autumn, DAYS.spring);
    expect(
      quality.map((q) => [
        q.day,
        q.status,
        q.expectedMtus,
        q.receivedMtus,
        q.resolutionMinutes,
        q.unknownFields,
      ]),
    ).toEqual([
      [DAYS.autumn, 'complete', 100, 100, 15, []],
      [DAYS.normal, 'complete', 96, 96, 15, []],
      [DAYS.spring, 'complete', 92, 92, 15, []],
    ]);
    expect(quality.every((q) => q.drift === null)).toBe(true);
  });

  it('jao status --dataset nordic/maxExchanges shows the quarter-hour days complete, DST days at 92 and 100', async () => {
    const args = ['status', '--dataset', 'nordic/maxExchanges', '--from', DAYS.autumn, '--to', DAYS.spring];
    const asJson = await runCli([...args, '--json'], cliEnv());
    expect(asJson.code, asJson.stderr).toBe(0);
    const report = JSON.parse(asJson.stdout) as {
      dataset: string;
      days: { day: string; status: string; receivedMtus: number; expectedMtus: number }[];
    };
    expect(report.dataset).toBe(NORDIC);
    const stored = [DAYS.autumn, DAYS.normal, DAYS.spring];
    expect(
      report.days
        .filter((line) => stored.includes(line.day as (typeof stored)[number]))
        .map((line) => [line.day, line.status, line.receivedMtus, line.expectedMtus]),
    ).toEqual([
      [DAYS.autumn, 'complete', 100, 100],
      [DAYS.normal, 'complete', 96, 96],
      [DAYS.spring, 'complete', 92, 92],
    ]);
    const text = await runCli(args, cliEnv());
    expect(text.stdout).toContain(`${NORDIC} ${DAYS.autumn}..${DAYS.spring}`);
    expect(text.stdout).toContain('totals: complete 3, missing');
    expect(text.stdout).toContain(
      `MTUs of complete days: 100 (${DAYS.autumn}), 96 (${DAYS.normal}), 92 (${DAYS.spring})`,
    );
  });

  it('a failed Nordic day turns jao health red naming Nordic, and shows in its health gauges', async () => {
    const day = addDays(marketToday(new Date()), -2);
    h.simulator.setFaults({ rejectedDays: [day] });
    try {
      await expect(h.runDay(day, NORDIC)).rejects.toThrow(/Workflow execution failed/);
    } finally {
      h.simulator.setFaults({ rejectedDays: [] });
    }
    const health = await runCli(['health', '--json'], cliEnv());
    expect(health.code, health.stderr).toBe(1);
    const { problems } = JSON.parse(health.stdout) as { problems: string[] };
    expect(problems).toContainEqual(
      expect.stringMatching(new RegExp(`^${NORDIC} day failed: ${day} \\(.+\\)$`)),
    );
    // This file's queue has no schedules: Nordic's are named missing beside Core maxExchanges'.
    const nordicPoll = pollScheduleIdFor(h.taskQueue, NORDIC);
    expect(problems).toContain(`schedule ${nordicPoll} does not exist`);

    const facts = await gatherHealthFacts(
      loadConfig(cliEnv()),
      { temporal: (use) => use(h.temporal), database: (use) => use(h.db.pool) },
      new Date(),
    );
    const gauges = healthGauges(facts);
    expect(gauges).toContainEqual({
      name: 'jao_health_window_days',
      labels: { dataset: NORDIC, status: 'failed' },
      value: 1,
    });
    expect(gauges).toContainEqual({
      name: 'jao_health_window_days',
      labels: { dataset: 'maxExchanges', status: 'failed' },
      value: 0,
    });
    expect(gauges).toContainEqual({
      name: 'jao_schedule_missing',
      labels: { schedule: nordicPoll, dataset: NORDIC },
      value: 1,
    });
  });

  it('flags a Nordic day answered hourly as drift against its declaration, and partial: 72 of its 96 MTUs missing', async () => {
    expect(await h.runDay(DAYS.hourly, NORDIC)).toMatchObject({ status: 'partial', mtus: 24 });
    const [quality] = await readDayQuality(h.db.pool, NORDIC, DAYS.hourly, DAYS.hourly);
    expect(quality).toMatchObject({ status: 'partial', expectedMtus: 96, receivedMtus: 24 });
    expect(quality!.drift).toMatchObject({
      kinds: ['resolution'],
      resolutionMinutes: 60,
      previousResolutionMinutes: 15,
      declaredResolutionMinutes: 15,
    });
  });

  it('records a Nordic day whose lastModifiedOn moved with the same values as re-published, not revised', async () => {
    const day = DAYS.republished;
    const record = async () => {
      const row = await h.db.pool.query<{ revisions: number; republished: number; at: Date | null }>(
        `SELECT revision_count AS revisions, republished_count AS republished, last_republished_at AS at
           FROM jao.delivery_day WHERE dataset = $1 AND day = $2::date`,
        [NORDIC, day],
      );
      const fields = await h.db.pool.query<{ mtus: number; versions: number; moved: number }>(
        `SELECT count(DISTINCT mtu)::int AS mtus, count(*)::int AS versions,
                count(DISTINCT value)::int AS moved
           FROM jao.mtu_field WHERE dataset = $1 AND day = $2::date AND field = 'lastModifiedOn'`,
        [NORDIC, day],
      );
      const events = await h.db.pool.query<{ type: string }>(
        'SELECT type FROM jao.day_event WHERE dataset = $1 AND day = $2::date ORDER BY event_id',
        [NORDIC, day],
      );
      const { revisions, republished, at } = row.rows[0]!;
      return {
        revisions,
        republished,
        republishedAt: at !== null,
        ...fields.rows[0]!,
        events: events.rows.map((e) => e.type),
      };
    };

    expect(await h.runDay(day, NORDIC)).toMatchObject({ status: 'complete', mtus: 96 });
    expect(await record()).toEqual({
      revisions: 1,
      republished: 0,
      republishedAt: false,
      mtus: 96,
      versions: 96,
      moved: 1,
      events: ['day.stored'],
    });

    h.simulator.republishDay(day, NORDIC);
    expect(await h.runDay(day, NORDIC)).toMatchObject({ status: 'complete', mtus: 96 });
    expect(await record()).toEqual({
      revisions: 1,
      republished: 1,
      republishedAt: true,
      mtus: 96,
      versions: 192,
      moved: 2,
      events: ['day.stored', 'day.republished'],
    });
    // The day metrics name their dataset.
    const metrics = await metricLinesOfTaskQueues(h.taskQueue);
    expect(metrics.filter((line) => line.startsWith('jao_republished_days_total'))).toEqual([
      expect.stringMatching(/^jao_republished_days_total\{.*dataset="nordicMaxExchanges".*\} 1$/),
    ]);
    expect(metrics).toContainEqual(
      expect.stringMatching(/^jao_days\w*\{.*dataset="nordicMaxExchanges".*status="complete".*\} \d+$/),
    );

    h.simulator.reviseDay(day, NORDIC);
    expect(await h.runDay(day, NORDIC)).toMatchObject({ status: 'complete', mtus: 96 });
    expect(await record()).toMatchObject({
      revisions: 2,
      republished: 1,
      versions: 288,
      events: ['day.stored', 'day.republished', 'day.revised'],
    });
  });
});
