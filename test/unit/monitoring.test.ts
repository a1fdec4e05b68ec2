import { describe, expect, it } from 'vitest';
import { type Dataset, DECLARATIONS } from '../../domain/datasets';
import { declarationProblems } from '../../domain/datasets/declarationSchema';
import { assessHealth } from '../../domain/health';
import { healthGauges } from '../../domain/healthMetrics';
import {
  businessDayOf,
  changedSteps,
  classifyAnnouncedDay,
  datasetsAnnouncedBy,
  datasetsPublishedWith,
  type MonitoringStep,
  monitoredDeclarations,
  monitoredRegions,
  monitoringModeOf,
  monitoringModeSettingsOf,
  monitoringWindow,
  stepKey,
} from '../../domain/monitoring';
import { readMonitoringAnswer } from '../../domain/monitoringAnswer';
import { buildStatusReport } from '../../domain/statusReport';
import { monitoringRowsOfDay } from '../../simulator/monitoring';
import { SimulatorState } from '../../simulator/state';

const step = (overrides: Partial<MonitoringStep>): MonitoringStep => ({
  day: '2026-03-10',
  page: 'Final Computation',
  status: 'Received',
  deadline: '2026-03-09T11:00:00.000Z',
  lastModifiedOn: '2026-03-09T08:00:00.000Z',
  followUpActionInitiated: false,
  ...overrides,
});
const byKey = (steps: MonitoringStep[]) => new Map(steps.map((each) => [stepKey(each), each]));

describe('monitoring answer', () => {
  it('reads rows in envelope E1 and takes the business day in Amsterdam', () => {
    const read = readMonitoringAnswer({
      data: [
        {
          id: 7,
          businessDayUtc: '2024-08-31T22:00:00Z',
          deadline: '2024-08-31T10:00:00Z',
          page: 'Final Computation',
          status: 'Pending',
          lastModifiedOn: '2024-08-31T08:12:13.123',
          followUpActionInitiated: false,
        },
      ],
      rejected: false,
      messages: [],
    });
    expect(read).toEqual({
      steps: [
        {
          day: '2024-09-01',
          page: 'Final Computation',
          status: 'Pending',
          deadline: '2024-08-31T10:00:00.000Z',
          lastModifiedOn: '2024-08-31T08:12:13.123Z',
          followUpActionInitiated: false,
        },
      ],
    });
    expect(businessDayOf('2024-09-01T00:00:00Z')).toBe('2024-09-01');
  });

  it('turns an unreadable answer into one line', () => {
    const read = readMonitoringAnswer({ data: [{ id: 1, page: 'x', status: 'Done' }] });
    expect(read).toHaveProperty('problem');
    expect((read as { problem: string }).problem).toMatch(/^unreadable monitoring answer: data\.0\./);
    expect(readMonitoringAnswer('<html>')).toHaveProperty('problem');
  });
});

describe('step diff', () => {
  it('finds steps that became Received, on the first reading too, and ignores Pending ones', () => {
    const pending = step({ status: 'Pending', lastModifiedOn: null });
    expect(changedSteps(new Map(), [pending])).toEqual([]);
    const received = step({});
    expect(changedSteps(byKey([pending]), [received])).toEqual([{ step: received, kind: 'published' }]);
    expect(changedSteps(new Map(), [received])).toEqual([{ step: received, kind: 'published' }]);
  });

  it('finds a moved lastModifiedOn as a revision, and nothing when nothing moved', () => {
    const before = step({});
    const moved = step({ lastModifiedOn: '2026-03-09T15:00:00.000Z' });
    expect(changedSteps(byKey([before]), [before])).toEqual([]);
    expect(changedSteps(byKey([before]), [moved])).toEqual([{ step: moved, kind: 'revised' }]);
    const otherDay = step({ day: '2026-03-11' });
    expect(changedSteps(byKey([before]), [before, otherDay])).toEqual([
      { step: otherDay, kind: 'published' },
    ]);
  });
});

describe("the datasets a region's monitoring starts", () => {
  it('are the kept ones: a step shared with a dataset not kept starts only the kept one', () => {
    const kept = monitoredDeclarations(DECLARATIONS, 'core', ['maxExchanges', 'nordicMaxExchanges']);
    expect(kept.map((declaration) => declaration.id)).toEqual(['maxExchanges']);
    expect(datasetsAnnouncedBy('Final Computation', kept)).toEqual(['maxExchanges']);
    const everyCore = monitoredDeclarations(DECLARATIONS, 'core', undefined);
    expect(datasetsAnnouncedBy('Final Computation', everyCore)).toEqual(
      expect.arrayContaining(['maxExchanges', 'coreFinalComputation']),
    );
  });
});

describe('a step shared by two datasets', () => {
  it('turns Received only once both are out: publishing one of them before its time leaves it Pending', () => {
    // 01:00 CET: tomorrow is not out by its publication time, for any dataset.
    const at = new Date('2026-11-27T00:00:00Z');
    const simulator = new SimulatorState({
      now: () => at,
      publicationTime: '10:30',
      keySetChangeDay: '2026-06-01',
      seed: 1,
    });
    const finalComputation = () =>
      monitoringRowsOfDay(simulator, 'core', '2026-11-28', at.getTime()).find(
        (row) => row.page === 'Final Computation',
      )?.status;
    simulator.publishDay('2026-11-28', at, 'maxExchanges');
    expect(finalComputation()).toBe('Pending');
    const published = datasetsPublishedWith(['maxExchanges'], DECLARATIONS);
    expect(published).toEqual(['maxExchanges', 'coreFinalComputation']);
    for (const dataset of published) simulator.publishDay('2026-11-28', at, dataset as Dataset);
    expect(finalComputation()).toBe('Received');
    expect(datasetsPublishedWith(['nordicMaxExchanges'], DECLARATIONS)).toEqual(['nordicMaxExchanges']);
  });
});

describe('the window of a reading', () => {
  it("covers the polls' look-back to the day after tomorrow, as local midnights, one request whatever its length", () => {
    const at = new Date('2026-03-29T12:00:00Z'); // the 23-hour day: midnight before it is CET, after it CEST
    expect(monitoringWindow(at, 3)).toEqual({
      from: '2026-03-25T23:00:00.000Z',
      to: '2026-03-30T22:00:00.000Z',
    });
    // yesterday at least, whatever the look-back
    expect(monitoringWindow(at, 0)).toEqual({
      from: '2026-03-27T23:00:00.000Z',
      to: '2026-03-30T22:00:00.000Z',
    });
  });
});

describe('status from JAO’s word', () => {
  const now = new Date('2026-03-09T12:00:00Z');
  it('classifies pending before and after the deadline, received and stored, received and absent', () => {
    expect(classifyAnnouncedDay([], false, now)).toBe('unknown');
    expect(classifyAnnouncedDay([{ status: 'Pending', deadline: '2026-03-09T13:00:00Z' }], false, now)).toBe(
      'not_yet_published',
    );
    expect(classifyAnnouncedDay([{ status: 'Pending', deadline: '2026-03-09T11:00:00Z' }], false, now)).toBe(
      'late',
    );
    expect(classifyAnnouncedDay([{ status: 'Received', deadline: null }], true, now)).toBe('published');
    expect(classifyAnnouncedDay([{ status: 'Received', deadline: null }], false, now)).toBe('missing');
    // Stored complete: published, whatever an older reading still says pending.
    expect(classifyAnnouncedDay([{ status: 'Pending', deadline: '2026-03-09T11:00:00Z' }], true, now)).toBe(
      'published',
    );
  });
});

describe('declarations name their steps', () => {
  it('are sound and map steps to the datasets they announce', () => {
    expect(declarationProblems(DECLARATIONS)).toEqual([]);
    expect(datasetsAnnouncedBy('Final Computation', DECLARATIONS)).toEqual([
      'maxExchanges',
      'coreFinalComputation',
    ]);
    expect(datasetsAnnouncedBy('Pre-Final Computation', DECLARATIONS)).toEqual(['corePreFinalComputation']);
    expect(monitoredRegions(DECLARATIONS)).toEqual(['core']);
  });

  it('refuses a step listed twice or an empty list', () => {
    const first = DECLARATIONS[0]!;
    const twice = { ...first, monitoring: { steps: ['A', 'A'], source: 's' } };
    expect(declarationProblems([twice])).toEqual([
      'dataset maxExchanges: monitoring.steps: a step is listed twice',
    ]);
    const none = { ...first, monitoring: { steps: [], source: 's' } };
    expect(declarationProblems([none])[0]).toMatch(/monitoring\.steps/);
  });
});

describe('mode per region', () => {
  const now = new Date('2026-03-09T12:00:00Z');
  const settings = { failuresBeforePolls: 3, staleAfterMs: 5 * 60_000 };
  const read = (readAt: string) => ({ readAt, outcome: 'read' as const, detail: null });
  const failed = (readAt: string) => ({ readAt, outcome: 'failed' as const, detail: 'HTTP 503' });

  it('is monitoring while a readable reading is recent, polls with the reason when there is none', () => {
    expect(monitoringModeOf('core', [read('2026-03-09T11:59:30Z')], now, settings)).toEqual({
      region: 'core',
      mode: 'monitoring',
      reason: null,
      lastReadAt: '2026-03-09T11:59:30Z',
    });
    expect(monitoringModeOf('core', [], now, settings)).toEqual({
      region: 'core',
      mode: 'polls',
      reason: 'no monitoring reading yet',
      lastReadAt: null,
    });
    expect(monitoringModeOf('core', [read('2026-03-09T11:50:00Z')], now, settings)).toMatchObject({
      mode: 'polls',
      reason: 'no readable monitoring reading for 10 min',
      lastReadAt: '2026-03-09T11:50:00Z',
    });
  });

  it('hands the region to the polls after failuresBeforePolls failed readings in a row, not before', () => {
    const two = [
      failed('2026-03-09T11:59:50Z'),
      failed('2026-03-09T11:59:20Z'),
      read('2026-03-09T11:58:50Z'),
    ];
    expect(monitoringModeOf('core', two, now, settings)).toMatchObject({ mode: 'monitoring', reason: null });
    const three = [failed('2026-03-09T11:59:55Z'), ...two.slice(0, 2)];
    expect(monitoringModeOf('core', three, now, settings)).toEqual({
      region: 'core',
      mode: 'polls',
      reason: 'HTTP 503; 3 readings in a row',
      lastReadAt: null,
    });
    expect(
      monitoringModeOf('core', three.slice(0, 1), now, { ...settings, failuresBeforePolls: 1 }),
    ).toMatchObject({
      mode: 'polls',
      reason: 'HTTP 503',
    });
    // Fewer failures than the bound but no readable reading at all yet: the polls.
    expect(monitoringModeOf('core', three.slice(0, 2), now, settings)).toMatchObject({
      mode: 'polls',
      reason: 'no readable monitoring reading yet',
    });
  });

  it("reads its settings from the configuration: staleness at least three intervals, the polls' look-back", () => {
    expect(monitoringModeSettingsOf({})).toEqual({
      on: false,
      failuresBeforePolls: 3,
      staleAfterMs: 300_000,
      lookbackDays: 3,
    });
    expect(
      monitoringModeSettingsOf({
        JAO_MONITORING: 'on',
        MONITORING_INTERVAL: 600_000,
        MONITORING_FAILURES_BEFORE_POLLS: 5,
        MONITORING_STALE_AFTER: 300_000,
        POLL_LOOKBACK_DAYS: 7,
      }),
    ).toEqual({ on: true, failuresBeforePolls: 5, staleAfterMs: 1_800_000, lookbackDays: 7 });
  });

  it('is a health warning, never a problem', () => {
    const verdict = assessHealth({
      temporalError: null,
      databaseError: null,
      reports: [],
      monitoring: [{ region: 'core', mode: 'polls', reason: 'HTTP 503', lastReadAt: null }],
    });
    expect(verdict.warnings).toContain(
      'monitoring core: fixed polls fetch its days (HTTP 503); see JaoMonitoringDown',
    );
    expect(verdict.problems.some((line) => line.startsWith('monitoring'))).toBe(false);
  });
});

describe("JAO's word in health and the gauges", () => {
  it('warns of the days JAO calls late or missing, and counts them by state', () => {
    const now = new Date('2026-03-09T12:00:00Z');
    const step = (day: string, status: 'Received' | 'Pending', deadline: string) => ({
      day,
      page: 'Final Computation',
      status,
      deadline,
      lastModifiedOn: null,
      seenAt: '2026-03-09T11:59:30.000Z',
    });
    const report = buildStatusReport({
      from: '2026-03-07',
      to: '2026-03-10',
      records: [],
      now,
      deadline: '12:00',
      steps: [
        step('2026-03-08', 'Received', '2026-03-07T10:30:00.000Z'),
        step('2026-03-09', 'Pending', '2026-03-08T10:30:00.000Z'),
        step('2026-03-10', 'Pending', '2026-03-09T13:30:00.000Z'),
      ],
    });
    expect(report.days.map((line) => line.jaoWord?.state ?? null)).toEqual([
      'unknown',
      'missing',
      'late',
      'not_yet_published',
    ]);
    const facts = {
      temporalError: null,
      databaseError: null,
      reports: [{ dataset: 'maxExchanges' as const, report }],
    };
    expect(assessHealth(facts).warnings).toEqual([
      '2026-03-08: JAO: missing (Final Computation received, the day is not stored complete); see JaoSaysMissing',
      '2026-03-09: JAO: late (Final Computation due 2026-03-08T10:30:00.000Z, still pending); see JaoSaysLate',
    ]);
    expect(healthGauges(facts).filter((gauge) => gauge.name === 'jao_health_window_jao_word_days')).toEqual([
      {
        name: 'jao_health_window_jao_word_days',
        labels: { dataset: 'maxExchanges', state: 'late' },
        value: 1,
      },
      {
        name: 'jao_health_window_jao_word_days',
        labels: { dataset: 'maxExchanges', state: 'missing' },
        value: 1,
      },
      {
        name: 'jao_health_window_jao_word_days',
        labels: { dataset: 'maxExchanges', state: 'not_yet_published' },
        value: 1,
      },
    ]);
    // A dataset that declares no step: no word, no gauge.
    const none = buildStatusReport({
      from: '2026-03-09',
      to: '2026-03-10',
      records: [],
      now,
      deadline: '12:00',
    });
    expect(none.days.every((line) => line.jaoWord === null)).toBe(true);
    expect(
      healthGauges({ ...facts, reports: [{ dataset: 'coreAtc', report: none }] }).some(
        (gauge) => gauge.name === 'jao_health_window_jao_word_days',
      ),
    ).toBe(false);
  });
});
