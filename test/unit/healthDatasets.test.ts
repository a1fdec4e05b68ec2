import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../domain/health';
import { buildStatusReport, type DayFacts } from '../../domain/statusReport';

const day = (date: string, status: DayFacts['status'], extra: Partial<DayFacts> = {}): DayFacts => ({
  day: date,
  status,
  receivedMtus: status === 'complete' ? 96 : 0,
  expectedMtus: 96,
  revisionCount: 1,
  lastCheckedAt: null,
  lastError: status === 'failed' ? 'JAO unavailable' : null,
  ...extra,
});

const reportOf = (records: DayFacts[]) =>
  buildStatusReport({
    from: '2026-01-13',
    to: '2026-01-15',
    now: new Date('2026-01-14T09:00:00Z'),
    deadline: '12:00',
    records,
  });

describe('health of every dataset', () => {
  it("names another dataset's bad day with its dataset, and counts re-publications without a problem", () => {
    const core = reportOf([day('2026-01-13', 'complete'), day('2026-01-14', 'complete')]);
    const nordic = reportOf([
      day('2026-01-13', 'failed'),
      day('2026-01-14', 'complete', { republishedCount: 2 }),
    ]);
    const verdict = assessHealth({
      temporalError: null,
      databaseError: null,
      reports: [
        { dataset: 'maxExchanges', report: core },
        { dataset: 'nordicMaxExchanges', report: nordic },
      ],
    });
    expect(verdict.problems).toEqual(['nordicMaxExchanges day failed: 2026-01-13 (JAO unavailable)']);
    expect(nordic.days.map((line) => line.republished)).toEqual([0, 2, 0]);
    expect(nordic.counts.republished).toBe(1);
  });

  it("names another dataset's paused or missing schedule", () => {
    const verdict = assessHealth({
      temporalError: null,
      databaseError: null,
      reports: [
        {
          dataset: 'maxExchanges',
          report: reportOf([day('2026-01-13', 'complete'), day('2026-01-14', 'complete')]),
        },
      ],
      schedules: [
        {
          dataset: 'nordicMaxExchanges',
          scheduleId: 'nordicMaxExchanges-poll',
          state: 'paused',
          pauseNote: 'JAO maintenance',
        },
        { dataset: 'nordicMaxExchanges', scheduleId: 'nordicMaxExchanges-publication', state: 'running' },
        { dataset: 'coreShadowAuctionATC', scheduleId: 'coreShadowAuctionATC-publication', state: 'missing' },
      ],
    });
    expect(verdict.problems).toEqual([
      'schedule nordicMaxExchanges-poll is paused: JAO maintenance',
      'schedule coreShadowAuctionATC-publication does not exist',
    ]);
  });
});
