// bench:freshness's own logic: its options (one-line refusals), the busiest 60 s of a request log, and the mode
// comparison's figures and targets from a request log.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { busiestWindow } from '../../bench/busiestMinute';
import { targetNames } from '../../bench/freshness';
import type { ModeRun } from '../../bench/freshnessModes';
import { MODE_TARGET_NAMES, reportModes } from '../../bench/freshnessModesReport';
import { parseFreshnessArgs } from '../../bench/freshnessOptions';
import { targetNames as backfillTargetNames } from '../../bench/freshnessReport';
import { UsageError } from '../../cli/errors';
import { DATASETS, unknownDatasetMessage } from '../../domain/datasets';
import type { RequestLogEntry } from '../../simulator/server';

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
  it('compares the modes by default, on the datasets one step announces; the backfill rounds on Core and Nordic', () => {
    const options = parseFreshnessArgs([]);
    expect(options.measure).toBe('modes');
    expect(options.modeDatasets).toEqual(['maxExchanges', 'coreFinalComputation']);
    expect(options.modeRounds).toBe(3);
    expect(options.monitoringIntervalMs).toBe(30_000);
    expect(options.monitoringQuietIntervalMs).toBe(300_000);
    expect(options.datasets).toEqual(['maxExchanges', 'nordicMaxExchanges']);
    expect(options.backfillDatasets).toEqual(['maxExchanges', 'nordicMaxExchanges']);
    expect(options.rounds).toBe(5);
    expect(parseFreshnessArgs(['--smoke']).modeDatasets).toEqual(['maxExchanges']);
  });

  it('takes what to measure, the monitoring interval and the quiet stretch; --rounds counts both parts', () => {
    const options = parseFreshnessArgs([
      '--measure',
      'all',
      '--monitoring-interval-s',
      '10',
      '--monitoring-quiet-interval-s',
      '120',
      '--quiet-s',
      '60',
      '--rounds',
      '2',
    ]);
    expect(options).toMatchObject({
      measure: 'all',
      monitoringIntervalMs: 10_000,
      monitoringQuietIntervalMs: 120_000,
      quietMs: 60_000,
      rounds: 2,
      modeRounds: 2,
    });
    expect(parseFreshnessArgs(['--smoke']).monitoringIntervalMs).toBe(2_000);
  });

  it('judges the targets of what it measures, the modes first', () => {
    expect(targetNames('modes')).toEqual([...MODE_TARGET_NAMES]);
    expect(targetNames('backfill')).toEqual(backfillTargetNames(['maxExchanges', 'nordicMaxExchanges']));
    expect(targetNames('all')).toEqual([
      ...MODE_TARGET_NAMES,
      ...backfillTargetNames(['maxExchanges', 'nordicMaxExchanges']),
    ]);
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
    [
      ['--measure', 'week'],
      'bench:freshness: --measure: Invalid option: expected one of "modes"|"backfill"|"all"',
    ],
    [
      ['--monitoring-interval-s', '0'],
      'bench:freshness: --monitoring-interval-s: Too small: expected number to be >=1',
    ],
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

describe('reportModes', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const MINUTE = 60_000;
  /** A request of the log at `minute`: a monitoring read, a data request, or a page of rows. */
  const read = (minute: number): RequestLogEntry => ({
    at: minute * MINUTE,
    monitoring: 'core',
    fromUtc: null,
    toUtc: null,
    status: 200,
  });
  const data = (minute: number, take?: number): RequestLogEntry => ({
    at: minute * MINUTE,
    dataset: 'maxExchanges',
    fromUtc: null,
    toUtc: null,
    ...(take === undefined ? {} : { take }),
    status: 200,
  });
  const run = (mode: ModeRun['mode'], from: number, freshnessS: number[]): ModeRun => ({
    mode,
    quietFrom: from * MINUTE,
    quietTo: (from + 10) * MINUTE,
    quietPolls: 1,
    roundsFrom: (from + 10) * MINUTE,
    roundsTo: (from + 20) * MINUTE,
    events: freshnessS.map((s) => ({
      dataset: 'maxExchanges',
      round: 1,
      kind: 'publication',
      freshnessS: s,
    })),
    versions: 2,
  });

  it('extrapolates a week from the quiet stretch (its reads at the rate of their gaps) and the rounds, and judges the monitoring against the polls', () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const log = [
      // polls: a quiet poll of 10 requests, a round of 20 data requests
      ...Array.from({ length: 10 }, () => data(1)),
      ...Array.from({ length: 20 }, () => data(11)),
      // monitoring: a read every 5 minutes in the quiet stretch, one a minute in the round (a day expected), a round
      // of 2 data requests and a page of rows
      read(100),
      read(105),
      ...Array.from({ length: 10 }, (_, n) => read(110 + n)),
      data(111),
      data(111),
      data(111, 5000),
    ];
    const targets = reportModes({
      datasets: ['maxExchanges'],
      monitoringIntervalMs: 60_000,
      monitoringQuietIntervalMs: 300_000,
      runs: [run('polls', 0, [30, 40]), run('monitoring', 100, [10, 20])],
      log,
    });
    // polls: 20 × 7 + (10 per poll / 10 min) × (10080 − 70) = 140 + 10010; monitoring: (10 reads + 3) × 7 + one
    // read per 5 min × (10080 − 70) = 91 + 2002.
    expect(targets.map((target) => [target.name, target.met])).toEqual([
      [MODE_TARGET_NAMES[0], false],
      [MODE_TARGET_NAMES[1], true],
      [MODE_TARGET_NAMES[2], true],
      [MODE_TARGET_NAMES[3], true],
    ]);
    expect(targets[0]!.measured).toBe('4.85×: 10,150 / 2,093, extrapolated');
    expect(targets[2]!.measured).toBe('2 reads, 0 data requests in 10.0 min');
    expect(targets[3]!.measured).toBe('1.00 (2 / 2)');
  });
});
