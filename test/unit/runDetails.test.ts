import { describe, expect, it } from 'vitest';
import { LISTED_DAYS, renderRunDetails } from '../../domain/runDetails';

describe('details of a running backfill in the Web UI', () => {
  it('shows progress, counts by status and every non-complete day with its reason', () => {
    expect(
      renderRunDetails({
        title: 'backfill 2024-01-01..2024-01-10 (missing)',
        total: 10,
        done: 4,
        running: 2,
        byStatus: { complete: 2, partial: 1, failed: 1 },
        notCompleted: [
          { day: '2024-01-02', status: 'partial', reason: '1 of 24 MTUs\nmissing' },
          { day: '2024-01-03', status: 'failed', error: 'JAO rejected the request' },
        ],
      }),
    ).toBe(
      [
        '**backfill 2024-01-01..2024-01-10 (missing)**',
        '4/10 days done, 2 running — complete 2 · partial 1 · failed 1',
        '',
        'Not complete (2):',
        '- 2024-01-02 **partial**: 1 of 24 MTUs missing',
        '- 2024-01-03 **failed**: JAO rejected the request',
      ].join('\n'),
    );
  });

  it('stays bounded however many days fail', () => {
    const notCompleted = Array.from({ length: 400 }, (_, i) => ({
      day: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
      status: 'failed' as const,
      reason: 'x'.repeat(1000),
    }));
    const details = renderRunDetails({
      title: 't',
      total: 400,
      done: 400,
      running: 0,
      byStatus: { failed: 400 },
      notCompleted,
    });
    expect(details.split('\n').filter((line) => line.startsWith('- 2024'))).toHaveLength(LISTED_DAYS);
    expect(details).toContain(`- … and ${400 - LISTED_DAYS} more`);
    expect(details.length).toBeLessThan(6_000);
  });
});
