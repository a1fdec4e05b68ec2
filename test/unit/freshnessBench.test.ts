// bench:freshness's own logic: its options (one-line refusals) and the busiest 60 s of a request log.
import { describe, expect, it } from 'vitest';
import { busiestWindow } from '../../bench/busiestMinute';
import { parseFreshnessArgs } from '../../bench/freshnessOptions';
import { UsageError } from '../../cli/errors';
import { DATASETS, unknownDatasetMessage } from '../../domain/datasets';

function refusal(argv: string[]): string {
  try {
    parseFreshnessArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('bench:freshness options', () => {
  it('measures Core and Nordic maxExchanges by default, backfilling both', () => {
    const options = parseFreshnessArgs([]);
    expect(options.datasets).toEqual(['maxExchanges', 'nordicMaxExchanges']);
    expect(options.backfillDatasets).toEqual(['maxExchanges', 'nordicMaxExchanges']);
    expect(options.rounds).toBe(5);
  });

  it('takes all for every declared dataset, each backfilled', () => {
    const options = parseFreshnessArgs(['--datasets', 'all']);
    expect(options.datasets).toEqual(DATASETS);
    expect(options.backfillDatasets).toEqual(DATASETS);
  });

  it('takes datasets by id or region/endpoint, and the backfill of one of them', () => {
    const options = parseFreshnessArgs([
      '--datasets',
      'nordic/maxExchanges,maxExchanges',
      '--backfill',
      'maxExchanges',
      '--rounds',
      '2',
      '--smoke',
    ]);
    expect(options.datasets).toEqual(['nordicMaxExchanges', 'maxExchanges']);
    expect(options.backfillDatasets).toEqual(['maxExchanges']);
    expect(options.rounds).toBe(2);
    expect(options.smoke).toBe(true);
  });

  it.each([
    [['--datasets', 'maxExchanges,nope'], `bench:freshness: --datasets: ${unknownDatasetMessage('nope')}`],
    [
      ['--datasets', 'maxExchanges', '--backfill', 'nordicMaxExchanges'],
      'bench:freshness: --backfill: each dataset backfilled must be one of --datasets',
    ],
    [['--rounds', '0'], 'bench:freshness: --rounds: Too small: expected number to be >=1'],
    [['--rounds', '2.5'], 'bench:freshness: --rounds: needs a whole number'],
    [['--latency'], "bench:freshness: Unknown option '--latency'"],
    [['2'], 'bench:freshness: unexpected argument "2"'],
  ])('refuses %j in one line', (argv, message) => {
    expect(refusal(argv)).toBe(message);
  });
});

describe('busiestWindow', () => {
  it('finds the most requests in any 60 s, wherever the window starts', () => {
    // 4 in [30 s, 90 s), though no calendar minute holds more than 3.
    expect(busiestWindow([0, 30_000, 59_000, 61_000, 89_999, 150_000])).toEqual({ count: 4, from: 30_000 });
  });

  it('counts a request exactly 60 s later in the next window', () => {
    expect(busiestWindow([60_000, 0]).count).toBe(1);
  });

  it('is empty without requests', () => {
    expect(busiestWindow([])).toEqual({ count: 0, from: null });
  });
});
