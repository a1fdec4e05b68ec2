import { describe, expect, it } from 'vitest';
import type { HealthFacts } from '../../domain/health';
import { healthGauges } from '../../domain/healthMetrics';
import type { DayLine, GridStatus, StatusReport } from '../../domain/statusReport';

function line(day: string, status: GridStatus, extra: Partial<DayLine> = {}): DayLine {
  return {
    day,
    status,
    receivedMtus: 0,
    expectedMtus: 24,
    revision: 1,
    republished: 0,
    late: false,
    lastCheckedAt: null,
    lastError: null,
    lastBuildId: null,
    contentBuildId: null,
    freshness: null,
    reason: null,
    drift: null,
    jaoWord: null,
    ...extra,
  };
}

function report(days: DayLine[], tomorrowLate: boolean): StatusReport {
  const tomorrow = days[days.length - 1]!;
  return {
    from: days[0]!.day,
    to: tomorrow.day,
    generatedAt: '2026-11-22T12:30:00.000Z',
    days,
    counts: {},
    gaps: [],
    tomorrow: {
      day: tomorrow.day,
      status: tomorrow.status,
      deadline: '2026-11-22T11:00:00.000Z',
      late: tomorrowLate,
    },
  };
}

const readings = (facts: HealthFacts) =>
  Object.fromEntries(
    healthGauges(facts).map((r) => [
      `${r.name}${Object.entries(r.labels)
        .map(([k, v]) => `,${k}=${v}`)
        .join('')}`,
      r.value,
    ]),
  );

describe('healthGauges', () => {
  it('counts the health window by status and flags late days, re-check failures, schedules and queues', () => {
    const facts: HealthFacts = {
      temporalError: null,
      databaseError: null,
      schedules: [
        { dataset: 'maxExchanges', scheduleId: 'maxExchanges-poll', state: 'paused' },
        { dataset: 'maxExchanges', scheduleId: 'maxExchanges-publication', state: 'missing' },
      ],
      queues: [
        { taskQueue: 'jao-scraper', role: 'workflows', state: { kind: 'polled', pollers: 2 } },
        {
          taskQueue: 'jao-scraper-fetch',
          role: 'fetches',
          state: { kind: 'unpolled', lastPollAgeMs: 90_000 },
        },
      ],
      reports: [
        {
          dataset: 'maxExchanges',
          report: report(
            [
              line('2026-11-19', 'failed', { lastError: 'JAO unavailable' }),
              line('2026-11-20', 'complete', { lastError: 'HTTP 500' }),
              line('2026-11-21', 'not_published', { late: true }),
              line('2026-11-22', 'partial', { late: true }),
              line('2026-11-23', 'missing', { late: true }),
            ],
            true,
          ),
        },
      ],
    };
    expect(readings(facts)).toEqual({
      'jao_health_source_up,source=temporal': 1,
      'jao_health_source_up,source=database': 1,
      'jao_schedule_paused,schedule=maxExchanges-poll,dataset=maxExchanges': 1,
      'jao_schedule_missing,schedule=maxExchanges-poll,dataset=maxExchanges': 0,
      'jao_schedule_paused,schedule=maxExchanges-publication,dataset=maxExchanges': 0,
      'jao_schedule_missing,schedule=maxExchanges-publication,dataset=maxExchanges': 1,
      'jao_task_queue_pollers,task_queue=jao-scraper': 2,
      'jao_task_queue_pollers,task_queue=jao-scraper-fetch': 0,
      'jao_health_window_days,dataset=maxExchanges,status=complete': 1,
      'jao_health_window_days,dataset=maxExchanges,status=partial': 1,
      'jao_health_window_days,dataset=maxExchanges,status=not_published': 1,
      'jao_health_window_days,dataset=maxExchanges,status=invalid': 0,
      'jao_health_window_days,dataset=maxExchanges,status=failed': 1,
      'jao_health_window_days,dataset=maxExchanges,status=missing': 1,
      // 2026-11-21 only: the partial day is counted as partial, tomorrow has its own gauge.
      'jao_health_window_late_days,dataset=maxExchanges': 1,
      'jao_health_window_recheck_failed_days,dataset=maxExchanges': 1,
      'jao_tomorrow_late,dataset=maxExchanges': 1,
    });
  });

  it('gives every dataset its own window and schedule gauges, labelled with the dataset', () => {
    const facts: HealthFacts = {
      temporalError: null,
      databaseError: null,
      reports: [
        {
          dataset: 'maxExchanges',
          report: report([line('2026-11-22', 'complete'), line('2026-11-23', 'complete')], false),
        },
        {
          dataset: 'nordicMaxExchanges',
          report: report([line('2026-11-22', 'failed'), line('2026-11-23', 'missing', { late: true })], true),
        },
      ],
      schedules: [
        { dataset: 'nordicMaxExchanges', scheduleId: 'nordicMaxExchanges-poll', state: 'paused' },
        { dataset: 'nordicMaxExchanges', scheduleId: 'nordicMaxExchanges-publication', state: 'unknown' },
      ],
    };
    const nordic = Object.entries(readings(facts)).filter(([series]) =>
      series.includes('nordicMaxExchanges'),
    );
    expect(Object.fromEntries(nordic)).toEqual({
      'jao_schedule_paused,schedule=nordicMaxExchanges-poll,dataset=nordicMaxExchanges': 1,
      'jao_schedule_missing,schedule=nordicMaxExchanges-poll,dataset=nordicMaxExchanges': 0,
      'jao_health_window_days,dataset=nordicMaxExchanges,status=complete': 0,
      'jao_health_window_days,dataset=nordicMaxExchanges,status=partial': 0,
      'jao_health_window_days,dataset=nordicMaxExchanges,status=not_published': 0,
      'jao_health_window_days,dataset=nordicMaxExchanges,status=invalid': 0,
      'jao_health_window_days,dataset=nordicMaxExchanges,status=failed': 1,
      'jao_health_window_days,dataset=nordicMaxExchanges,status=missing': 1,
      'jao_health_window_late_days,dataset=nordicMaxExchanges': 0,
      'jao_health_window_recheck_failed_days,dataset=nordicMaxExchanges': 0,
      'jao_tomorrow_late,dataset=nordicMaxExchanges': 1,
    });
    expect(readings(facts)).toMatchObject({
      'jao_health_window_days,dataset=maxExchanges,status=complete': 2,
      'jao_tomorrow_late,dataset=maxExchanges': 0,
    });
  });

  it('reports an unreadable source as 0 and leaves its gauges out', () => {
    const facts: HealthFacts = {
      temporalError: 'connect ECONNREFUSED',
      databaseError: 'password authentication failed',
      queues: [],
      reports: [],
    };
    expect(readings(facts)).toEqual({
      'jao_health_source_up,source=temporal': 0,
      'jao_health_source_up,source=database': 0,
    });
  });
});
