import { describe, expect, it } from 'vitest';
import { parseFullHistoryFlags } from '../../cli/commands/fullHistoryPlan';
import { liveRequestsPerMinute, planFullHistory } from '../../domain/fullHistoryPlan';

const LIVE = { requestsPerMinute: 90, pollIntervalMs: 600_000, lookbackDays: 3, checkIntervalMs: 30_000 };

describe('the full-history plan', () => {
  it('leaves the live polls and open windows their peak, and times each dataset at what is left', () => {
    // maxExchanges: a poll of 5 days every 10 min (0.5/min) and a check every 30 s (2/min); a domain dataset
    // takes two requests a day (a count probe and one page): 1/min and 4/min.
    expect(liveRequestsPerMinute(['maxExchanges'], LIVE)).toBe(2.5);
    expect(liveRequestsPerMinute(['maxExchanges', 'coreFinalComputation'], LIVE)).toBe(7.5);
    const plan = planFullHistory(
      [
        { dataset: 'maxExchanges', from: '2022-06-09', to: '2022-07-08', days: 30 },
        { dataset: 'coreFinalComputation', from: '2022-06-09', to: '2022-06-18', days: 10 },
      ],
      LIVE,
    );
    expect(plan).toMatchObject({ ok: true, liveReserve: 7.5, backfillRate: 82.5, requests: 50 });
    if (!plan.ok) throw new Error('planned');
    expect(plan.datasets.map((line) => [line.dataset, line.requests, line.minutes])).toEqual([
      ['maxExchanges', 30, 30 / 82.5],
      ['coreFinalComputation', 20, 20 / 82.5],
    ]);
    expect(plan.minutes).toBe(50 / 82.5);
  });

  it('says so in one line when the live fetches alone fill the budget', () => {
    const plan = planFullHistory(
      [{ dataset: 'maxExchanges', from: '2022-06-09', to: '2022-06-10', days: 2 }],
      {
        ...LIVE,
        requestsPerMinute: 2,
      },
    );
    expect(plan).toEqual({
      ok: false,
      liveReserve: 2.5,
      message:
        'the live polls and publication windows alone take up to 2.5 requests/min, JAO_MAX_REQUESTS_PER_MINUTE is 2: no room for a backfill',
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
