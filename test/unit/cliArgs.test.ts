// Argument parsing of the CLI: strict numbers, no stray arguments, one-line refusals.
import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../cli/args';
import { parseBackfillArgs } from '../../cli/commands/backfill';
import { UsageError } from '../../cli/errors';

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
