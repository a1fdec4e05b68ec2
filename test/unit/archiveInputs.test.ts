import { describe, expect, it } from 'vitest';
import { parseRestoreArgs } from '../../cli/commands/restore';
import { parseRestoreInput, restoreProgressLine } from '../../domain/archiveInputs';
import { archiveProblem } from '../../domain/health';
import { healthGauges } from '../../domain/healthMetrics';

describe('restore input', () => {
  it('takes a range and a merge, and refuses a reversed range', () => {
    expect(parseRestoreInput({ from: 'file:///srv/a', fromDay: '2024-01-01', toDay: '2024-01-31' })).toEqual({
      ok: true,
      value: {
        from: 'file:///srv/a',
        fromDay: '2024-01-01',
        toDay: '2024-01-31',
        merge: false,
        batchSize: 500,
        batchesPerRun: 200,
      },
    });
    const reversed = parseRestoreInput({ from: 'file:///srv/a', fromDay: '2024-02-01', toDay: '2024-01-31' });
    expect(reversed).toEqual({ ok: false, message: 'the range is reversed: fromDay is after toDay' });
  });

  it('says what is wrong with the command line in one line', () => {
    expect(() => parseRestoreArgs([])).toThrow('restore: --from <archive URL> is required');
    expect(() => parseRestoreArgs(['--from', 'ftp://x'])).toThrow(
      /--from: expected file:\/\/\/absolute\/path/,
    );
    expect(() => parseRestoreArgs(['--from', 'file:///srv/a', '--from-day', '2024-13-01'])).toThrow(
      /^restore: --from-day: 2024-13-01 is not a day of the calendar$/,
    );
    expect(parseRestoreArgs(['--from', 's3://bucket/p', '--merge', '--wait'])).toMatchObject({
      request: { from: 's3://bucket/p', merge: true },
      wait: true,
    });
  });

  it('draws the progress line, with a share only once the total is counted', () => {
    const start = { from: 'file:///a', total: 0, applied: 0, skipped: 0, lastDay: null, done: false };
    expect(restoreProgressLine(start)).toBe("restore from file:///a: counting the archive's writes");
    expect(restoreProgressLine({ ...start, done: true })).toBe(
      "restore from file:///a: no write in the archive's range, done",
    );
    expect(restoreProgressLine({ ...start, total: 211 })).toBe('restore from file:///a: 0/211 writes (0%)');
    expect(
      restoreProgressLine({
        from: 'file:///a',
        total: 200,
        applied: 40,
        skipped: 10,
        lastDay: '2024-01-05',
        done: false,
      }),
    ).toBe('restore from file:///a: 50/200 writes (25%), 10 held already, at 2024-01-05');
  });
});

describe('the archive lag in health', () => {
  const lag = (oldestAgeMs: number | null) => ({
    pending: oldestAgeMs === null ? 0 : 12,
    oldestAgeMs,
    maxLagMs: 3_600_000,
  });

  it('is a problem only past ARCHIVE_MAX_LAG', () => {
    expect(archiveProblem(lag(null))).toBeNull();
    expect(archiveProblem(lag(3_600_000))).toBeNull();
    expect(archiveProblem(lag(3_660_000))).toMatch(
      /^archive lagging: 12 write\(s\) not archived, the oldest for 61 min/,
    );
  });

  it('is exported as gauges', () => {
    const gauges = healthGauges({
      temporalError: null,
      databaseError: null,
      reports: [],
      archive: lag(90_500),
    });
    expect(gauges).toContainEqual({ name: 'jao_archive_pending_writes', labels: {}, value: 12 });
    expect(gauges).toContainEqual({ name: 'jao_archive_lag_seconds', labels: {}, value: 90 });
  });
});
