// The pure pieces of acting from the page: the operator's pick of days, the log that follows each run from start
// to end, the cell's bad and revised marks, the freshness and backfill lines, and what a key's new scope takes
// from the streams it holds open.
import { describe, expect, it } from 'vitest';
import { keyLossOf } from '../../api/keyWatch';
import type { RunningDay, TomorrowFreshness } from '../../domain/apiAnswers';
import { cellOf } from '../../page/client/dayCells';
import { DaySelection } from '../../page/client/daySelection';
import { backfillText, freshnessText } from '../../page/client/pageFactsText';
import { RunLog } from '../../page/client/runLog';
import { dayRow } from '../helpers/pageRows';

/** The first stored day: the days here are after it. */
const STORED_FROM = '2026-01-01';

const running = (day: string): RunningDay => ({
  dataset: 'maxExchanges',
  day,
  workflow_id: `maxExchanges/day/${day}`,
  run_id: 'r2',
  started_at: '2026-01-05T10:00:00.000Z',
});

describe("the operator's pick of days", () => {
  it('toggles one day, extends a range from the last pick either way, and replaces the lot', () => {
    const pick = new DaySelection();
    expect(pick.toggle('2026-01-05')).toEqual(['2026-01-05']);
    expect(pick.extendTo('2026-01-02')).toEqual(['2026-01-02', '2026-01-03', '2026-01-04']);
    expect(pick.list()).toEqual(['2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05']);
    expect(pick.span()).toEqual(['2026-01-02', '2026-01-05']);
    expect(pick.toggle('2026-01-03')).toEqual(['2026-01-03']);
    expect(pick.has('2026-01-03')).toBe(false);
    // Across a month's end, from the last toggled day.
    expect(pick.extendTo('2026-02-01')).toEqual([
      '2026-01-03',
      ...Array.from({ length: 26 }, (_, i) => `2026-01-${String(i + 6).padStart(2, '0')}`),
      '2026-02-01',
    ]);
    pick.replace(['2026-01-02', '2026-03-01']);
    expect(pick.list()).toEqual(['2026-01-02', '2026-03-01']);
    expect(pick.replace([])).toEqual(['2026-01-02', '2026-03-01']);
    expect(pick.span()).toBeNull();
  });

  it('names in replace() exactly the days whose mark changes', () => {
    const pick = new DaySelection();
    pick.replace(['2026-01-01', '2026-01-02']);
    expect(pick.replace(['2026-01-02', '2026-01-03']).sort()).toEqual(['2026-01-01', '2026-01-03']);
  });
});

describe("a cell's marks", () => {
  it('marks stored partial, invalid and failed days and failed re-checks as bad, nothing else', () => {
    const bad = (row: Parameters<typeof cellOf>[1], run: RunningDay | null = null) =>
      cellOf('2026-01-05', row, run, STORED_FROM).bad;
    expect(bad(dayRow('2026-01-05', 'partial'))).toBe(true);
    expect(bad(dayRow('2026-01-05', 'invalid'))).toBe(true);
    expect(bad(dayRow('2026-01-05', 'failed'))).toBe(true);
    expect(bad({ ...dayRow('2026-01-05', 'complete'), last_error: 'JAO refused' })).toBe(true);
    expect(bad(dayRow('2026-01-05', 'complete'))).toBe(false);
    expect(bad(dayRow('2026-01-05', 'not_published'))).toBe(false);
    expect(bad(null)).toBe(false);
    // A running day is judged by what is stored.
    expect(bad(dayRow('2026-01-05', 'failed'), running('2026-01-05'))).toBe(true);
  });

  it('marks a day revised once its stored values changed (revision_count above 1)', () => {
    expect(cellOf('2026-01-05', dayRow('2026-01-05', 'complete'), null, STORED_FROM).revised).toBe(false);
    expect(
      cellOf('2026-01-05', { ...dayRow('2026-01-05', 'complete'), revision_count: 2 }, null, STORED_FROM)
        .revised,
    ).toBe(true);
    expect(cellOf('2026-01-05', null, null, STORED_FROM).revised).toBe(false);
  });
});

describe('the log of runs started from the page', () => {
  const stored = (status: 'partial' | 'complete', checkedAt: string) => ({
    ...dayRow('2026-01-05', status),
    last_checked_at: checkedAt,
  });

  it('follows a run from started to running to ended, with the status it ended with', () => {
    const log = new RunLog();
    const before = stored('partial', '2026-01-05T08:00:00.000Z');
    log.started(cellOf('2026-01-05', before, null, STORED_FROM), 'maxExchanges/day/2026-01-05', true, 'now');
    expect(log.get('2026-01-05')?.state).toBe('starting');
    // The same record drawn again (a resync) is not the end of the run.
    expect(log.cellDrawn(cellOf('2026-01-05', before, null, STORED_FROM))).toBeNull();
    expect(log.cellDrawn(cellOf('2026-01-05', before, running('2026-01-05'), STORED_FROM))?.state).toBe(
      'running',
    );
    expect(log.cellDrawn(cellOf('2026-01-05', before, running('2026-01-05'), STORED_FROM))).toBeNull();
    const after = stored('complete', '2026-01-05T08:01:00.000Z');
    expect(log.cellDrawn(cellOf('2026-01-05', after, null, STORED_FROM))).toMatchObject({
      state: 'ended',
      outcome: 'complete',
    });
    expect(log.cellDrawn(cellOf('2026-01-05', after, null, STORED_FROM))).toBeNull();
  });

  it('ends a run seen only by its result (it finished between two looks at the running list)', () => {
    const log = new RunLog();
    log.started(cellOf('2026-01-05', null, null, STORED_FROM), 'maxExchanges/day/2026-01-05', true, 'now');
    expect(
      log.cellDrawn(cellOf('2026-01-05', stored('partial', '2026-01-05T08:01:00.000Z'), null, STORED_FROM)),
    ).toMatchObject({ state: 'ended', outcome: 'partial' });
  });

  it('lists newest first, a day started again replacing its older entry', () => {
    const log = new RunLog();
    for (const day of ['2026-01-05', '2026-01-06', '2026-01-05'])
      log.started(
        cellOf(day, null, null, STORED_FROM),
        `maxExchanges/day/${day}`,
        day !== '2026-01-06',
        'now',
      );
    expect(log.list().map((entry) => [entry.day, entry.state])).toEqual([
      ['2026-01-05', 'starting'],
      ['2026-01-06', 'left'],
    ]);
  });
});

describe("the page's facts", () => {
  const utc = (iso: string | null) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—');
  const facts: TomorrowFreshness = {
    day: '2026-01-06',
    status: 'missing',
    published: false,
    dataset: 'maxExchanges',
    deadline: '2026-01-05T11:00:00.000Z',
    late: false,
    published_after: null,
    seen_at: null,
    stored_at: null,
    publication_to_stored_seconds: null,
    seen_to_stored_seconds: null,
    jao_word: null,
  };

  it("says tomorrow's freshness: published or not, the latency from publication, the deadline", () => {
    expect(freshnessText(facts, utc)).toBe(
      'Tomorrow 2026-01-06: not published yet (missing), due 2026-01-05 11:00:00 UTC.',
    );
    expect(freshnessText({ ...facts, late: true }, utc)).toMatch(/ — LATE\.$/);
    // JAO's own word on tomorrow, where its monitoring listed a declared step.
    const word = {
      state: 'not_yet_published' as const,
      steps: [
        {
          page: 'Final Computation',
          status: 'Pending' as const,
          deadline: '2026-01-05T09:30:00.000Z',
          last_modified_on: null,
        },
      ],
      seen_at: '2026-01-05T08:00:00.000Z',
    };
    expect(freshnessText({ ...facts, jao_word: word }, utc)).toBe(
      "Tomorrow 2026-01-06: not published yet (missing), due 2026-01-05 11:00:00 UTC. JAO's word: not yet published: Final Computation pending, due 2026-01-05 09:30:00 UTC (read 2026-01-05 08:00:00 UTC).",
    );
    expect(
      freshnessText({ ...facts, jao_word: { ...word, state: 'unknown', steps: [] } }, utc),
    ).not.toContain('JAO');
    expect(
      freshnessText(
        {
          ...facts,
          status: 'complete',
          published: true,
          published_after: '2026-01-05T07:59:30.000Z',
          seen_at: '2026-01-05T08:00:00.000Z',
          stored_at: '2026-01-05T08:00:02.000Z',
          publication_to_stored_seconds: 32,
        },
        utc,
      ),
    ).toBe(
      'Tomorrow 2026-01-06: published (first seen 2026-01-05 08:00:00 UTC), complete, publication → stored ≤ 32 s; due 2026-01-05 11:00:00 UTC.',
    );
  });

  it("draws a backfill's progress as a share, and says when it is unknown", () => {
    const base = {
      workflow_id: 'maxExchanges/backfill/a..b/all',
      run_id: 'r',
      started_at: '2026-01-05T08:00:00Z',
    };
    expect(
      backfillText({
        ...base,
        progress: { total: 8, done: 2, running: 4, byStatus: {}, failedDays: ['2026-01-01'] },
      }),
    ).toEqual({ share: 0.25, text: '2 of 8 days done, 4 running, 1 failed, invalid or partial' });
    expect(backfillText({ ...base, progress: null }).share).toBeNull();
  });
});

describe('what a changed key takes from its open streams', () => {
  const scope = (datasets: string[], operator: boolean) => ({ datasets, operator });
  it('ends on revocation and lost datasets always, on a lost operator scope only for operator streams', () => {
    expect(keyLossOf(undefined, 'maxExchanges', false)).toBe('revoked');
    expect(keyLossOf(scope([], true), 'maxExchanges', true)).toBe('unscoped');
    expect(keyLossOf(scope(['maxExchanges'], false), 'maxExchanges', true)).toBe('demoted');
    expect(keyLossOf(scope(['maxExchanges'], false), 'maxExchanges', false)).toBeNull();
    expect(keyLossOf(scope(['maxExchanges'], true), 'maxExchanges', true)).toBeNull();
  });
});
