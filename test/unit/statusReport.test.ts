import { describe, expect, it } from 'vitest';
import { deadlineOf } from '../../domain/freshnessDeadline';
import { assessHealth } from '../../domain/health';
import {
  buildStatusReport,
  type DayFacts,
  describeCompleteMtus,
  type StatusReport,
} from '../../domain/statusReport';

const facts = (day: string, status: DayFacts['status'], revisionCount = 1): DayFacts => ({
  day,
  status,
  receivedMtus: status === 'complete' ? 24 : 0,
  expectedMtus: 24,
  revisionCount,
  lastCheckedAt: null,
  lastError: status === 'failed' ? 'JAO unavailable' : null,
});

describe('status report', () => {
  // 2024-03-10 10:00 UTC = 11:00 CET: tomorrow (03-11) is due at 12:00 CET today, not yet late.
  const now = new Date('2024-03-10T10:00:00Z');
  const report = buildStatusReport({
    from: '2024-03-01',
    to: '2024-03-11',
    now,
    deadline: '12:00',
    records: [
      facts('2024-03-01', 'complete'),
      facts('2024-03-02', 'complete', 3),
      facts('2024-03-04', 'failed'),
      facts('2024-03-05', 'partial'),
      ...['2024-03-06', '2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10'].map((day) =>
        facts(day, 'complete'),
      ),
      facts('2024-03-11', 'not_published', 0),
    ],
  });

  it('puts every day of the range in the grid, with missing days, revisions and lateness', () => {
    expect(report.days.map((line) => [line.day, line.status, line.late, line.revision])).toEqual([
      ['2024-03-01', 'complete', false, 1],
      ['2024-03-02', 'complete', false, 3],
      ['2024-03-03', 'missing', true, 0],
      ['2024-03-04', 'failed', true, 1],
      ['2024-03-05', 'partial', true, 1],
      ['2024-03-06', 'complete', false, 1],
      ['2024-03-07', 'complete', false, 1],
      ['2024-03-08', 'complete', false, 1],
      ['2024-03-09', 'complete', false, 1],
      ['2024-03-10', 'complete', false, 1],
      ['2024-03-11', 'not_published', false, 0],
    ]);
    expect(report.counts).toEqual({
      complete: 7,
      missing: 1,
      failed: 1,
      partial: 1,
      not_published: 1,
      late: 3,
      revised: 1,
    });
    expect(report.gaps).toEqual([{ from: '2024-03-03', to: '2024-03-05', days: 3 }]);
    expect(report.tomorrow).toEqual({
      day: '2024-03-11',
      status: 'not_published',
      deadline: '2024-03-10T11:00:00.000Z',
      late: false,
    });
  });

  it('makes tomorrow late once its deadline passed, in summer time too', () => {
    expect(deadlineOf('2024-07-02', '12:00').toISOString()).toBe('2024-07-01T10:00:00.000Z');
    expect(deadlineOf('2024-07-02', 'D 12:00').toISOString()).toBe('2024-07-02T10:00:00.000Z');
    const later = buildStatusReport({
      from: '2024-07-01',
      to: '2024-07-02',
      now: new Date('2024-07-01T10:00:01Z'),
      deadline: '12:00',
      records: [facts('2024-07-01', 'complete')],
    });
    expect(later.tomorrow).toMatchObject({ day: '2024-07-02', status: 'missing', late: true });
  });

  it('makes a day due on itself late on that day only, not on the day before', () => {
    const at = (instant: string) =>
      buildStatusReport({
        from: '2024-07-01',
        to: '2024-07-02',
        now: new Date(instant),
        deadline: 'D 12:00',
        records: [facts('2024-07-01', 'not_published', 0)],
      });
    // 23:00 on 07-01: tomorrow is not due until 12:00 on 07-02; today passed its own 12:00.
    const evening = at('2024-07-01T21:00:00Z');
    expect(evening.tomorrow).toMatchObject({
      day: '2024-07-02',
      deadline: '2024-07-02T10:00:00.000Z',
      late: false,
    });
    expect(evening.days.map((line) => [line.day, line.late])).toEqual([
      ['2024-07-01', true],
      ['2024-07-02', false],
    ]);
    expect(at('2024-07-01T09:59:00Z').days[0]).toMatchObject({ day: '2024-07-01', late: false });
  });

  it('turns facts into one health problem per reason', () => {
    expect(assessHealth({ temporalError: null, databaseError: null, reports: [] })).toEqual({
      healthy: true,
      problems: [],
      warnings: [],
    });
    expect(
      assessHealth({
        temporalError: 'connection refused',
        databaseError: null,
        schedules: [
          {
            dataset: 'maxExchanges',
            scheduleId: 'maxExchanges-poll',
            state: 'paused',
            pauseNote: 'paused from the jao CLI by ops@desk1 at 2024-03-05T07:00:00Z',
          },
        ],
        reports: [{ dataset: 'maxExchanges', report }],
      }).problems,
    ).toEqual([
      'temporal unreachable: connection refused',
      'schedule maxExchanges-poll is paused: paused from the jao CLI by ops@desk1 at 2024-03-05T07:00:00Z',
      'day late: 2024-03-03 is missing after its deadline',
      'day failed: 2024-03-04 (JAO unavailable)',
      'day partial: 2024-03-05',
    ]);
  });

  it('names a paused or missing publication-window schedule', () => {
    const base = { temporalError: null, databaseError: null, reports: [] };
    const publication = (state: 'running' | 'paused' | 'missing') => ({
      ...base,
      schedules: [{ dataset: 'maxExchanges' as const, scheduleId: 'maxExchanges-publication', state }],
    });
    expect(assessHealth(publication('running'))).toEqual({ healthy: true, problems: [], warnings: [] });
    expect(assessHealth(publication('paused')).problems).toEqual([
      'schedule maxExchanges-publication is paused: no reason recorded',
    ]);
    expect(
      assessHealth({
        ...base,
        schedules: [
          {
            dataset: 'maxExchanges',
            scheduleId: 'maxExchanges-publication',
            state: 'paused',
            pauseNote: 'JAO maintenance\n(ticket 42)',
          },
        ],
      }).problems,
    ).toEqual(['schedule maxExchanges-publication is paused: JAO maintenance (ticket 42)']);
    expect(assessHealth(publication('missing')).problems).toEqual([
      'schedule maxExchanges-publication does not exist',
    ]);
  });

  it('names a complete day whose last re-check failed, and task queues no worker polls', () => {
    const rechecked = buildStatusReport({
      from: '2024-03-09',
      to: '2024-03-10',
      now,
      deadline: '12:00',
      records: [
        facts('2024-03-09', 'complete'),
        { ...facts('2024-03-10', 'complete'), lastError: 'HTTP 503' },
      ],
    });
    expect(
      assessHealth({
        temporalError: null,
        databaseError: null,
        reports: [{ dataset: 'maxExchanges', report: rechecked }],
        queues: [
          { taskQueue: 'jao-scraper', role: 'workflows', state: { kind: 'polled' } },
          {
            taskQueue: 'jao-scraper-fetch',
            role: 'fetches',
            state: { kind: 'unpolled', lastPollAgeMs: 90_400 },
          },
          { taskQueue: 'other', role: 'fetches', state: { kind: 'unpolled', lastPollAgeMs: null } },
        ],
      }).problems,
    ).toEqual([
      'no worker polls task queue jao-scraper-fetch (fetches; last poll 90 s ago)',
      'no worker polls task queue other (fetches; no poll seen)',
      're-check failed: 2024-03-10 (HTTP 503)',
    ]);
  });

  it('reads tomorrow from its own record whatever the range', () => {
    const early = buildStatusReport({
      from: '2024-03-01',
      to: '2024-03-02',
      now,
      deadline: '12:00',
      records: [
        facts('2024-03-01', 'complete'),
        facts('2024-03-02', 'complete'),
        facts('2024-03-11', 'complete'),
      ],
    });
    expect(early.tomorrow).toMatchObject({ day: '2024-03-11', status: 'complete', late: false });
    expect(early.days.map((line) => line.day)).toEqual(['2024-03-01', '2024-03-02']);
  });

  it('names partial and invalid days with their reason; drift is a warning, never a problem', () => {
    const drift = {
      kinds: ['resolution' as const, 'keys_added' as const],
      previousDay: '2024-03-01',
      resolutionMinutes: 15,
      previousResolutionMinutes: 60,
      keysAdded: ['border_AT_ALBE', 'border_ALBE_AT'],
      keysVanished: [],
    };
    const withQuality = buildStatusReport({
      from: '2024-03-01',
      to: '2024-03-03',
      now,
      deadline: '12:00',
      records: [
        facts('2024-03-01', 'complete'),
        { ...facts('2024-03-02', 'complete'), drift, reason: 'ignored: the day is complete' },
        {
          ...facts('2024-03-03', 'invalid'),
          reason: 'no value accepted: 3168 values refused (value_not_number 3168)',
        },
      ],
    });
    expect(withQuality.days.map((line) => [line.day, line.reason, line.drift !== null])).toEqual([
      ['2024-03-01', null, false],
      ['2024-03-02', null, true],
      ['2024-03-03', 'no value accepted: 3168 values refused (value_not_number 3168)', false],
    ]);
    expect(withQuality.counts.drift).toBe(1);
    const healthy = { temporalError: null, databaseError: null };
    const reports = (report: StatusReport) => [{ dataset: 'maxExchanges' as const, report }];
    expect(assessHealth({ ...healthy, reports: reports(withQuality) })).toEqual({
      healthy: false,
      problems: ['day invalid: 2024-03-03 (no value accepted: 3168 values refused (value_not_number 3168))'],
      warnings: [
        'schema drift: 2024-03-02 (resolution 60 → 15 min; 2 keys added (border_AT_ALBE, border_ALBE_AT) against 2024-03-01)',
      ],
    });
    const driftOnly = buildStatusReport({
      from: '2024-03-02',
      to: '2024-03-02',
      now,
      deadline: '12:00',
      records: [{ ...facts('2024-03-02', 'complete'), drift }],
    });
    const driftOnlyVerdict = assessHealth({ ...healthy, reports: reports(driftOnly) });
    expect(driftOnlyVerdict).toMatchObject({ healthy: true, problems: [] });
    expect(driftOnlyVerdict.warnings).toHaveLength(1);
  });
});

describe('MTU counts of complete days', () => {
  const quarterHours = (
    day: string,
    receivedMtus: number,
    status: DayFacts['status'] = 'complete',
  ): DayFacts => ({
    ...facts(day, status),
    receivedMtus,
    expectedMtus: status === 'complete' ? receivedMtus : 96,
  });
  const daysOf = (records: DayFacts[]) =>
    buildStatusReport({
      from: '2026-10-23',
      to: '2026-10-30',
      now: new Date('2026-10-30T12:00:00Z'),
      deadline: '12:00',
      records,
    }).days;

  it('names the usual count with its number of days and the DST days by date; not-complete days left out', () => {
    const records = ['2026-10-23', '2026-10-24', '2026-10-26', '2026-10-27'].map((day) =>
      quarterHours(day, 96),
    );
    records.push(quarterHours('2026-10-25', 100), quarterHours('2026-10-28', 40, 'partial'));
    expect(describeCompleteMtus(daysOf(records))).toBe(
      'MTUs of complete days: 96 (4 days), 100 (2026-10-25)',
    );
  });

  it('says nothing when no day is complete', () => {
    expect(describeCompleteMtus(daysOf([quarterHours('2026-10-24', 0, 'failed')]))).toBeNull();
  });
});
