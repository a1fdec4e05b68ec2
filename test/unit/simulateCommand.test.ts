import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSimulateArgs, runSimulateCommand, SimulateUsageError } from '../../simulator/command';

describe('jao simulate arguments', () => {
  it('reads every option into simulator options', () => {
    const args = parseSimulateArgs([
      '--port',
      '8123',
      '--latency-ms',
      '20',
      '--error-rate',
      '0.25',
      '--max-requests-per-minute',
      '100',
      '--retry-after-seconds',
      '5',
      '--truncated-days',
      '2026-04-01,2026-04-02',
      '--malformed-days',
      '2026-04-03',
      '--rejected-days',
      '2026-04-04',
      '--missing-mtu-days',
      '2026-04-05',
      '--dst-split-refusal',
      '--publication-time',
      '07:45',
      '--key-set-change-day',
      '2026-07-01',
      '--seed',
      '42',
    ]);
    expect(args.help).toBe(false);
    if (args.help) return;
    const { now, ...rest } = args.options;
    expect(now).toBeUndefined();
    expect(rest).toEqual({
      host: '127.0.0.1',
      port: 8123,
      publicationTime: '07:45',
      keySetChangeDay: '2026-07-01',
      seed: 42,
      faults: {
        latencyMs: 20,
        errorRate: 0.25,
        maxRequestsPerMinute: 100,
        retryAfterSeconds: 5,
        truncatedDays: ['2026-04-01', '2026-04-02'],
        malformedDays: ['2026-04-03'],
        rejectedDays: ['2026-04-04'],
        missingMtuDays: ['2026-04-05'],
        dstSplitRefusal: true,
      },
    });
  });

  it('reads the content anomalies', () => {
    const args = parseSimulateArgs([
      '--null-value-days',
      '2025-06-02',
      '--null-value-cells',
      '7',
      '--duplicate-row-days',
      '2025-06-03',
      '--conflicting-duplicate-days',
      '2025-06-04',
      '--string-value-days',
      '2025-06-05',
      '--extra-field-days',
      '2025-06-06',
      '--quarter-hour-days',
      '2025-06-07,2025-06-08',
      '--bad-key-days',
      '2025-06-10',
      '--many-keys-days',
      '2025-06-11',
      '--many-keys-count',
      '20',
    ]);
    if (args.help) throw new Error('expected options');
    expect(args.options.faults).toEqual({
      nullValueDays: ['2025-06-02'],
      nullValueCells: 7,
      duplicateRowDays: ['2025-06-03'],
      conflictingDuplicateDays: ['2025-06-04'],
      stringValueDays: ['2025-06-05'],
      extraFieldDays: ['2025-06-06'],
      quarterHourDays: ['2025-06-07', '2025-06-08'],
      badKeyDays: ['2025-06-10'],
      manyKeysDays: ['2025-06-11'],
      manyKeysCount: 20,
    });
    expect(() => parseSimulateArgs(['--null-value-cells', '0'])).toThrow(SimulateUsageError);
    expect(() => parseSimulateArgs(['--bad-key-days', 'soon'])).toThrow(SimulateUsageError);
  });

  it('starts the simulated clock at --now', () => {
    const args = parseSimulateArgs(['--now', '2024-03-30T09:00:00Z']);
    if (args.help || !args.options.now) throw new Error('expected a clock');
    expect(Math.abs(args.options.now().getTime() - Date.parse('2024-03-30T09:00:00Z'))).toBeLessThan(1000);
  });

  it('refuses mistakes with a usage error', () => {
    const mistakes: string[][] = [
      ['--port', 'eighty'],
      ['--port', '70000'],
      ['--error-rate', '1.5'],
      ['--truncated-days', '2026-02-30'],
      ['--publication-time', '8:00'],
      ['--now', 'tomorrow'],
      ['--no-such-option'],
      ['positional'],
    ];
    for (const argv of mistakes) {
      expect(() => parseSimulateArgs(argv), argv.join(' ')).toThrow(SimulateUsageError);
    }
    expect(() => parseSimulateArgs(['--truncated-days', '2026-02-28,2026-02-30'])).toThrow(
      '--truncated-days: expected comma-separated days YYYY-MM-DD: 2026-02-30 is not a day of the calendar',
    );
    expect(() => parseSimulateArgs(['--key-set-change-day', '2026-2-3'])).toThrow(
      '--key-set-change-day: "2026-2-3" is not a date in the form YYYY-MM-DD',
    );
  });

  it('answers --help without starting', () => {
    expect(parseSimulateArgs(['--help'])).toEqual({ help: true });
  });
});

describe('jao simulate command', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints the origin, serves until it is stopped, then stops', async () => {
    const printed: string[] = [];
    const stop = new AbortController();
    const done = runSimulateCommand(['--port', '0', '--rejected-days', '2026-04-20'], {
      out: (line) => printed.push(line),
      err: () => undefined,
      stop: stop.signal,
    });
    await vi.waitFor(() => expect(printed).toHaveLength(1));
    const origin = printed[0]!;
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(
      `${origin}/core/api/data/maxExchanges?FromUtc=2026-04-19T22:00:00.000Z&ToUtc=2026-04-20T22:00:00.000Z`,
    );
    expect(await response.json()).toMatchObject({ rejected: true });
    stop.abort();
    await done;
    await expect(fetch(origin)).rejects.toThrow();
  });
});
