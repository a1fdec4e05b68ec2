// bench:query's arguments: a mistake is one line (exit 2 through UsageError), and --dataset seeds the dataset's own
// shape (its published borders, its latest MTU length).
import { describe, expect, it } from 'vitest';
import { parseQueryArgs, seedShapeOf } from '../../bench/query';
import { UsageError } from '../../cli/errors';
import { unknownDatasetMessage } from '../../domain/datasets';

describe('bench:query arguments', () => {
  it('defaults to 1,630 days of Core maxExchanges; --smoke to six days', () => {
    expect(parseQueryArgs([])).toEqual({ dayCount: 1630, repetitions: 25, dataset: 'maxExchanges' });
    expect(parseQueryArgs(['--smoke', '--dataset', 'nordic/maxExchanges'])).toEqual({
      dayCount: 6,
      repetitions: 3,
      dataset: 'nordicMaxExchanges',
    });
    expect(parseQueryArgs(['--days', '365', '--dataset', 'coreShadowAuctionATC']).dayCount).toBe(365);
  });

  it.each([
    [['--dataset', 'core/nothing'], `bench:query: ${unknownDatasetMessage('core/nothing')}`],
    [['--days', '89'], 'bench:query: --days must be a whole number from 90 to 20000'],
    [['--days', '1.5'], 'bench:query: --days must be a whole number from 90 to 20000'],
    [['--smoke', '--days', '100'], 'bench:query: --smoke runs six days: leave --days out'],
    [['--day', '100'], "bench:query: Unknown option '--day'"],
    [['100'], 'bench:query: unexpected argument "100"'],
  ])('refuses %j in one line', (args, message) => {
    let thrown: unknown;
    try {
      parseQueryArgs(args);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toBe(message);
  });
});

describe('the shape --dataset seeds', () => {
  it('is the dataset’s published borders at its latest MTU length', () => {
    const core = seedShapeOf('maxExchanges');
    expect([core.keys.length, core.minutes]).toEqual([132, 60]);
    const nordic = seedShapeOf('nordicMaxExchanges');
    expect([nordic.keys.length, nordic.minutes]).toEqual([62, 15]);
    expect(nordic.keys).toContain('border_NO1_SE3');
    const shadow = seedShapeOf('coreShadowAuctionATC');
    expect([shadow.keys.length, shadow.minutes]).toEqual([38, 60]);
    expect(shadow.keys).toEqual(expect.arrayContaining(['border_DE_FR', 'border_FR_DE', 'border_DE_NL']));
  });
});
