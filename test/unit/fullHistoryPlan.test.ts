import { describe, expect, it } from 'vitest';
import { parseFullHistoryFlags } from '../../cli/commands/fullHistoryPlan';
import { liveLoadOf, liveRequestsByMinute, planFullHistory } from '../../domain/fullHistoryPlan';

/** Every window 08:00-11:00, JAO's monitoring off. */
const LIVE = {
  requestsPerMinute: 90,
  pollIntervalMs: 600_000,
  lookbackDays: 3,
  checkIntervalMs: 30_000,
  windowOf: () => '08:00-11:00',
  monitoringIntervalMs: null,
};
const at = (byMinute: number[], hhmm: string) =>
  byMinute[Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))];

describe('the full-history plan', () => {
  it('counts the polls all day and each window in its own hours', () => {
    // maxExchanges: a poll of 5 days every 10 min (0.5/min), a check every 30 s in its window (2/min); a domain
    // dataset takes two requests a day (a count probe and one page): 1/min and 4/min.
    const byMinute = liveRequestsByMinute(['maxExchanges', 'coreFinalComputation'], {
      ...LIVE,
      windowOf: (dataset) => (dataset === 'maxExchanges' ? '08:00-11:00' : '22:00-24:00'),
    });
    expect([
      at(byMinute, '07:59'),
      at(byMinute, '08:00'),
      at(byMinute, '10:59'),
      at(byMinute, '11:00'),
    ]).toEqual([1.5, 3.5, 3.5, 1.5]);
    expect([at(byMinute, '21:59'), at(byMinute, '22:00'), at(byMinute, '23:59')]).toEqual([1.5, 5.5, 5.5]);
  });

  it("leaves out the polls and windows of what JAO's monitoring fetches, and counts its reads", () => {
    const load = liveLoadOf(['maxExchanges', 'coreFinalComputation', 'coreLta'], {
      ...LIVE,
      monitoringIntervalMs: 30_000,
    });
    // Two reads a minute of Core's monitoring; coreLta polls (0.5/min) and checks in its window (2/min).
    expect(load).toMatchObject({
      peak: 4.5,
      monitored: ['maxExchanges', 'coreFinalComputation'],
      monitoredRegions: ['core'],
    });
    expect(load.mean).toBeCloseTo(2.5 + 2 * (3 / 24));
  });

  it('times each dataset at what the live fetches leave, minute by minute', () => {
    const plan = planFullHistory(
      [
        { dataset: 'maxExchanges', from: '2022-06-09', to: '2022-07-08', days: 30 },
        { dataset: 'coreFinalComputation', from: '2022-06-09', to: '2022-06-18', days: 10 },
      ],
      LIVE,
    );
    // 1.5/min all day, 7.5 in the three hours of the windows: 88.5 left for 21 hours, 82.5 for 3.
    const backfillRate = (88.5 * 21 + 82.5 * 3) / 24;
    expect(plan).toMatchObject({ ok: true, live: { peak: 7.5, saturated: [] }, requests: 50 });
    if (!plan.ok) throw new Error('planned');
    expect(plan.backfillRate).toBeCloseTo(backfillRate);
    expect(plan.datasets.map((line) => [line.dataset, line.requests])).toEqual([
      ['maxExchanges', 30],
      ['coreFinalComputation', 20],
    ]);
    expect(plan.minutes).toBeCloseTo(50 / backfillRate);
  });

  it('says when the live fetches take the whole budget, and the backfill waits then', () => {
    const plan = planFullHistory(
      [{ dataset: 'maxExchanges', from: '2022-06-09', to: '2022-06-10', days: 2 }],
      {
        ...LIVE,
        requestsPerMinute: 2,
      },
    );
    expect(plan).toMatchObject({ ok: true, live: { peak: 2.5, saturated: ['08:00-11:00'] } });
    if (!plan.ok) throw new Error('planned');
    expect(plan.backfillRate).toBeCloseTo((1.5 * 21) / 24);
  });

  it('says so in one line when the live fetches leave nothing at any hour', () => {
    const plan = planFullHistory(
      [{ dataset: 'maxExchanges', from: '2022-06-09', to: '2022-06-10', days: 2 }],
      {
        ...LIVE,
        requestsPerMinute: 0.5,
      },
    );
    expect(plan).toMatchObject({
      ok: false,
      live: { saturated: ['00:00-24:00'] },
      message:
        'the live fetches alone take at least 0.5 requests/min at every hour, JAO_MAX_REQUESTS_PER_MINUTE is 0.5: no room for a backfill',
    });
  });
});

describe('backfill --all flags', () => {
  it('takes --dry-run and --mode, missing by default', () => {
    expect(parseFullHistoryFlags({ all: true, 'dry-run': true })).toEqual({
      all: true,
      'dry-run': true,
      mode: 'missing',
    });
    expect(parseFullHistoryFlags({ all: true, 'dry-run': true, mode: 'all' }).mode).toBe('all');
  });

  it('refuses what --all does not take in one line', () => {
    const refusal = (values: Record<string, unknown>) => {
      try {
        parseFullHistoryFlags(values);
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(refusal({ all: true })).toBe(
      "backfill: --all plans every dataset's whole history and starts nothing: give --dry-run too",
    );
    expect(refusal({ all: true, 'dry-run': true, from: '2024-01-01' })).toBe(
      'backfill: --all starts each dataset at its first day: leave out --from',
    );
    expect(refusal({ all: true, 'dry-run': true, dataset: 'maxExchanges' })).toBe(
      'backfill: --all plans every dataset of JAO_DATASETS: leave out --dataset',
    );
    expect(refusal({ all: true, 'dry-run': true, mode: 'some' })).toBe(
      'backfill: mode must be one of missing, failed, all',
    );
  });
});
