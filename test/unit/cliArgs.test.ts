// Argument parsing of the CLI: strict numbers, no stray arguments, one-line refusals.
import { describe, expect, it } from 'vitest';
import { parseCommandArgs, parseDatasetArg } from '../../cli/args';
import { parseBackfillArgs } from '../../cli/commands/backfill';
import { onlyDataset } from '../../cli/commands/catalogue';
import { parseReprocessArgs } from '../../cli/commands/reprocess';
import { UsageError } from '../../cli/errors';
import type { CatalogDataset, CatalogSeries, DataDictionary } from '../../db/catalogue';
import { DATASETS, DEFAULT_DATASET, declarationOf } from '../../domain/datasets';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'accepted';
}

const RANGE = ['--from', '2025-09-01', '--to', '2025-09-02'];

describe('backfill arguments', () => {
  it('takes decimal concurrency', () => {
    expect(parseBackfillArgs('backfill', [...RANGE, '--concurrency', '16']).request.concurrency).toBe(16);
  });

  it.each([
    ['0x10', 'backfill: concurrency must be a whole number in decimal digits, got "0x10"'],
    ['1e1', 'backfill: concurrency must be a whole number in decimal digits, got "1e1"'],
    ['2.0', 'backfill: concurrency must be a whole number in decimal digits, got "2.0"'],
    [' 3', 'backfill: concurrency must be a whole number in decimal digits, got " 3"'],
    ['-1', 'backfill: concurrency: concurrency must be at least 1'],
  ])('refuses concurrency %j in one line', (value, message) => {
    expect(refusal(() => parseBackfillArgs('backfill', [...RANGE, '--concurrency', value]))).toBe(message);
  });

  it('refuses a date in the form that is no day of the calendar as such, and a date in another form as that', () => {
    expect(refusal(() => parseBackfillArgs('backfill', ['--from', '2026-02-30', '--to', '2026-03-02']))).toBe(
      'backfill: from: 2026-02-30 is not a day of the calendar',
    );
    expect(refusal(() => parseBackfillArgs('backfill', ['--from', '2026-02-01', '--to', '2026-2-3']))).toBe(
      'backfill: to: "2026-2-3" is not a date in the form YYYY-MM-DD',
    );
    expect(refusal(() => parseReprocessArgs(['--from', '2025-04-31', '--to', '2025-05-02']))).toBe(
      'reprocess: from: 2025-04-31 is not a day of the calendar',
    );
  });

  it('refuses a stray argument instead of ignoring it', () => {
    expect(refusal(() => parseBackfillArgs('backfill', ['2024-01-01', ...RANGE]))).toBe(
      'backfill: unexpected argument "2024-01-01"',
    );
  });

  it('keeps the dry-run flag', () => {
    expect(parseBackfillArgs('rerun', [...RANGE, '--dry-run'], { mode: 'failed' })).toMatchObject({
      dryRun: true,
      request: { mode: 'failed' },
    });
  });
});

describe('parseCommandArgs', () => {
  const options = { value: { type: 'string' }, flag: { type: 'boolean' } } as const;

  it('turns every parseArgs error into one line', () => {
    for (const argv of [['--value'], ['--unknown'], ['--flag=yes']]) {
      const message = refusal(() => parseCommandArgs('cmd', argv, options));
      expect(message).toMatch(/^cmd: /);
      expect(message).not.toContain('\n');
    }
  });

  it('reads a value starting with a dash as the option value', () => {
    expect(parseCommandArgs('cmd', ['--value', '-5'], options).values.value).toBe('-5');
  });

  it('refuses more positionals than the command takes', () => {
    expect(refusal(() => parseCommandArgs('cmd', ['a'], options, 0))).toBe('cmd: unexpected argument "a"');
    expect(parseCommandArgs('cmd', ['a'], options, 1).positionals).toEqual(['a']);
  });
});

describe('--dataset', () => {
  const unknown = `unknown dataset "nordic" (known: ${DATASETS.join(', ')})`;

  it('defaults to Core maxExchanges and takes an id or region/endpoint', () => {
    expect(DEFAULT_DATASET).toBe('maxExchanges');
    expect(parseDatasetArg('status', undefined)).toBe('maxExchanges');
    expect(parseDatasetArg('status', 'nordicMaxExchanges')).toBe('nordicMaxExchanges');
    expect(parseDatasetArg('status', 'nordic/maxExchanges')).toBe('nordicMaxExchanges');
    expect(parseDatasetArg('status', 'core/shadowAuctionATC')).toBe('coreShadowAuctionATC');
  });

  it('refuses an unknown dataset in one line that lists the known ones', () => {
    expect(refusal(() => parseDatasetArg('status', 'nordic'))).toBe(`status: ${unknown}`);
    expect(refusal(() => parseBackfillArgs('backfill', [...RANGE, '--dataset', 'nordic']))).toBe(
      `backfill: ${unknown}`,
    );
    expect(refusal(() => parseReprocessArgs([...RANGE, '--dataset', 'nordic']))).toBe(
      `reprocess: ${unknown}`,
    );
  });

  it('passes the dataset into the backfill and reprocess requests, the default when absent', () => {
    expect(parseBackfillArgs('backfill', RANGE).request.dataset).toBe('maxExchanges');
    expect(
      parseBackfillArgs('backfill', [...RANGE, '--dataset', 'nordic/maxExchanges']).request.dataset,
    ).toBe('nordicMaxExchanges');
    expect(parseReprocessArgs(RANGE).request.dataset).toBe('maxExchanges');
    expect(parseReprocessArgs([...RANGE, '--dataset', 'coreShadowAuctionATC']).request.dataset).toBe(
      'coreShadowAuctionATC',
    );
  });

  it('starts rerun --failed at the dataset’s first day and refuses days before it', () => {
    const failedOf = (argv: string[]) =>
      parseBackfillArgs('rerun', argv, (dataset) => ({
        from: declarationOf(dataset).firstDay,
        to: '2025-09-02',
        mode: 'failed',
      })).request;
    expect(failedOf([]).from).toBe('2022-06-09');
    expect(failedOf(['--dataset', 'nordicMaxExchanges'])).toMatchObject({
      dataset: 'nordicMaxExchanges',
      from: '2024-10-30',
    });
    expect(
      refusal(() =>
        parseReprocessArgs(['--from', '2024-10-29', '--to', '2024-11-02', '--dataset', 'nordicMaxExchanges']),
      ),
    ).toBe('reprocess: from 2024-10-29 is before Nordic flow-based go-live (2024-10-30): JAO has no data');
  });

  it('narrows the catalogue to one dataset, every dataset without --dataset', () => {
    const dataset = (id: string) => ({ dataset: id }) as CatalogDataset;
    const series = (id: string) => ({ dataset: id, border: 'A_B' }) as CatalogSeries;
    const dictionary = {
      datasets: [dataset('maxExchanges'), dataset('nordicMaxExchanges')],
      series: [series('maxExchanges'), series('nordicMaxExchanges')],
      objects: [],
    } as unknown as DataDictionary;
    expect(onlyDataset(dictionary, null)).toBe(dictionary);
    const nordic = onlyDataset(dictionary, 'nordicMaxExchanges');
    expect(nordic.datasets.map((entry) => entry.dataset)).toEqual(['nordicMaxExchanges']);
    expect(nordic.series.map((entry) => entry.dataset)).toEqual(['nordicMaxExchanges']);
  });
});
