import { describe, expect, it } from 'vitest';
import { renderProgress } from '../../cli/progressLine';
import { DETAILS_END, LISTED_DAYS, notCompleteLines, renderRunDetails } from '../../domain/runDetails';

describe('details of a backfill or poll run in the Web UI (markdown)', () => {
  it('ends with a line the Web UI may cut (it sizes the frame without the body margins): never a day', () => {
    const details = renderRunDetails({
      title: 't',
      total: 2,
      done: 2,
      running: 0,
      byStatus: { partial: 2 },
      notCompleted: [
        { day: '2024-01-02', status: 'partial', reason: '1 of 24 MTUs missing' },
        { day: '2024-01-03', status: 'partial', reason: '1 of 24 MTUs missing' },
      ],
    });
    expect(details.split('\n').slice(-3)).toEqual([
      '- 2024-01-03 **partial**: 1 of 24 MTUs missing',
      '',
      '\u00a0',
    ]);
  });

  it('renders progress, outcomes and the not-complete days as markdown lists, with no fractions or quotes', () => {
    expect(
      renderRunDetails({
        title: 'backfill 2024-01-01..2024-01-10 (missing)',
        total: 10,
        done: 4,
        running: 2,
        byStatus: { complete: 2, partial: 1, failed: 1 },
        notCompleted: [
          { day: '2024-01-02', status: 'partial', reason: '1 of 24 MTUs\nmissing' },
          { day: '2024-01-03', status: 'failed', error: 'JAO rejected the request: "bad day" *twice*' },
        ],
      }),
    ).toBe(
      [
        '**backfill 2024-01-01..2024-01-10 (missing)**',
        '',
        'Running: 4 of 10 days done, 2 running.',
        '',
        'Outcomes:',
        '',
        '- complete: 2 days',
        '- partial: 1 day',
        '- failed: 1 day',
        '',
        'Not complete (2):',
        '',
        '- 2024-01-02 **partial**: 1 of 24 MTUs missing',
        '- 2024-01-03 **failed**: JAO rejected the request: `bad day` \\*twice\\*',
        '',
        DETAILS_END,
      ].join('\n'),
    );
  });

  it("writes quoted text as code spans and keeps apostrophes: JAO's 'quotes' would turn curly", () => {
    const details = renderRunDetails({
      title: 't',
      total: 1,
      done: 1,
      running: 0,
      byStatus: { invalid: 1 },
      notCompleted: [
        {
          day: '2024-01-02',
          status: 'invalid',
          reason: `body is not JSON: Unexpected token '<', "<!DOCTYPE "... is not valid JSON; JAO's answer`,
        },
      ],
    });
    expect(details.split('\n').at(-3)).toBe(
      "- 2024-01-02 **invalid**: body is not JSON: Unexpected token `<`, `<!DOCTYPE `... is not valid JSON; JAO's answer",
    );
  });

  it('says a run whose days all ended is finished, with none running', () => {
    expect(
      renderRunDetails({
        title: 'poll 2024-01-01..2024-01-05',
        total: 5,
        done: 4,
        running: 0,
        skipped: 1,
        byStatus: { complete: 4 },
        notCompleted: [],
      }),
    ).toBe(
      [
        '**poll 2024-01-01..2024-01-05**',
        '',
        'Finished: 4 of 5 days done.',
        '',
        '1 day left to a run already in flight.',
        '',
        'Outcomes:',
        '',
        '- complete: 4 days',
        '',
        DETAILS_END,
      ].join('\n'),
    );
  });

  it('stays bounded however many days fail, in details and memo', () => {
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
    expect(details.length).toBeLessThan(4_000);
    const memo = notCompleteLines(notCompleted);
    expect(memo).toHaveLength(LISTED_DAYS + 1);
    expect(memo[0]).toBe(`2024-01-01 failed: ${'x'.repeat(100)}…`);
    expect(memo.at(-1)).toBe(`… and ${400 - LISTED_DAYS} more (query progress for all)`);
  });
});

describe('the --wait progress bar', () => {
  const progress = { running: 0, byStatus: {}, failedDays: [], notCompleted: [] };
  it('starts empty while the days are planned, not full at 0 of 0', () => {
    expect(renderProgress({ ...progress, total: 0, done: 0 })).toBe(`[${'░'.repeat(30)}] planning the days…`);
  });
  it('counts one day in the singular', () => {
    expect(renderProgress({ ...progress, total: 1, done: 0, running: 1 })).toBe(
      `[${'░'.repeat(30)}] 0 of 1 day done, 1 running`,
    );
    expect(renderProgress({ ...progress, total: 2, done: 1, byStatus: { complete: 1 } })).toBe(
      `[${'█'.repeat(15)}${'░'.repeat(15)}] 1 of 2 days done, 0 running | complete 1`,
    );
  });
});
