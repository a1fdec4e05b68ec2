// The calendar's grid model (page/client/calendarGrid.ts), without a browser; its markup is test/browser/page.test.ts's.
import { describe, expect, it } from 'vitest';
import type { DayRow, JaoWordDay, RunningDay } from '../../domain/apiAnswers';
import { CalendarGrid, cellLabel, contiguousRuns, defaultRange } from '../../page/client/calendarGrid';
import { dayRow } from '../helpers/pageRows';

const DATASET = 'maxExchanges';

const row = dayRow;

const run = (day: string, runId = 'r1', dataset = DATASET): RunningDay => ({
  dataset,
  day,
  workflow_id: `${dataset}/day/${day}`,
  run_id: runId,
  started_at: '2026-01-05T10:00:00.000Z',
});

function grid(from: string, to: string, rows: DayRow[] = []): CalendarGrid {
  const model = new CalendarGrid(DATASET);
  model.setRange(from, to);
  model.replaceRows(rows);
  return model;
}

describe('calendar grid', () => {
  it('opens on the stored days and tomorrow, or on the last 35 days and tomorrow when none is stored', () => {
    // After a 33-day backfill: its days and tomorrow, nothing before them.
    expect(defaultRange('2026-11-26', '2022-06-09', '2026-10-23')).toEqual(['2026-10-23', '2026-11-26']);
    // A year stored: the whole year.
    expect(defaultRange('2026-01-10', '2022-06-09', '2025-01-10')).toEqual(['2025-01-10', '2026-01-10']);
    expect(defaultRange('2026-01-10', '2022-06-09', null)).toEqual(['2025-12-06', '2026-01-10']);
    expect(defaultRange('2026-01-10', '2022-06-09')).toEqual(['2025-12-06', '2026-01-10']);
    // Never before go-live.
    expect(defaultRange('2022-07-01', '2022-06-09')).toEqual(['2022-06-09', '2022-07-01']);
  });

  it('marks a day without a row missing only from the first stored day on; before it, not fetched', () => {
    const model = new CalendarGrid(DATASET, '2026-01-03');
    model.setRange('2026-01-01', '2026-01-06');
    model.replaceRows([row('2026-01-03', 'complete'), row('2026-01-05', 'complete')]);
    model.layout();
    const statuses = () => [...model.cells.values()].map((cell) => cell.status);
    expect(statuses()).toEqual(['not_fetched', 'not_fetched', 'complete', 'missing', 'complete', 'missing']);
    // A backfill stores an earlier day: the first stored day moves, and the days after it become findings.
    expect(model.setRow('2026-01-01', row('2026-01-01', 'complete'))).toBe(true);
    model.layout();
    expect(statuses()).toEqual(['complete', 'missing', 'complete', 'missing', 'complete', 'missing']);
    expect(model.setRow('2026-01-02', row('2026-01-02', 'complete'))).toBe(false);
    // Nothing stored at all: nothing is missing.
    const empty = grid('2026-01-01', '2026-01-03');
    empty.layout();
    expect([...empty.cells.values()].map((cell) => cell.status)).toEqual([
      'not_fetched',
      'not_fetched',
      'not_fetched',
    ]);
  });

  it('lays out every day of the range in month rows, with the status of its row of this dataset', () => {
    const model = grid('2024-01-30', '2024-03-02', [
      row('2024-01-30', 'complete'),
      row('2024-02-29', 'partial'),
      row('2024-03-01', 'complete', 'otherDataset'),
    ]);
    const months = model.layout();
    expect(months.map(({ month, label, cells }) => [month, label, cells.length])).toEqual([
      ['2024-01', 'Jan 2024', 2],
      ['2024-02', 'Feb 2024', 29],
      ['2024-03', 'Mar 2024', 2],
    ]);
    expect(model.cells.size).toBe(33);
    expect(model.cells.get('2024-01-30')?.status).toBe('complete');
    expect(model.cells.get('2024-02-29')?.status).toBe('partial');
    expect(model.cells.get('2024-03-01')?.status).toBe('missing');
  });

  it('counts each laid-out cell once in the legend, a failed re-check under its own mark', () => {
    const model = grid('2026-01-01', '2026-01-05', [
      row('2026-01-01', 'complete'),
      { ...row('2026-01-02', 'complete'), last_error: 'JAO rejected the request' },
      row('2026-01-03', 'failed'),
    ]);
    model.setRunning([run('2026-01-04')], '2026-01-05T12:00:00.000Z');
    model.layout();
    const counts = Object.fromEntries(
      model.legend().map((entry) => [entry.status ?? 'recheck', entry.count]),
    );
    expect(counts).toEqual({
      complete: 1,
      partial: 0,
      invalid: 0,
      failed: 1,
      not_published: 0,
      missing: 1,
      not_fetched: 0,
      running: 1,
      recheck: 1,
    });
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(5);
  });

  it('names the days whose run started, stopped or changed, and links a running day to its run', () => {
    const model = grid('2026-01-01', '2026-01-10');
    expect(model.setRunning([run('2026-01-02'), run('2026-01-03')], '2026-01-05T12:00:00.000Z')).toEqual([
      '2026-01-02',
      '2026-01-03',
    ]);
    const moved = model.setRunning(
      [run('2026-01-03', 'r2'), run('2026-01-04'), run('2026-01-05', 'r1', 'otherDataset')],
      '2026-01-05T12:01:00.000Z',
    );
    expect(moved.sort()).toEqual(['2026-01-02', '2026-01-03', '2026-01-04']);
    expect(model.isRunning('2026-01-02')).toBe(false);
    expect(model.isRunning('2026-01-05')).toBe(false);
    expect(model.cellFor('2026-01-04').status).toBe('running');
    expect(model.workflowIdOf('2026-01-04')).toBe('maxExchanges/day/2026-01-04');
  });

  it('takes a range read again and names only the days whose record changed', () => {
    const model = grid('2026-01-01', '2026-01-03', [
      row('2026-01-01', 'complete'),
      row('2026-01-02', 'partial'),
    ]);
    const changed = model.resyncRows([
      row('2026-01-01', 'complete'),
      row('2026-01-02', 'complete'),
      row('2026-01-03', 'failed'),
    ]);
    expect(changed.sort()).toEqual(['2026-01-02', '2026-01-03']);
    expect(model.resyncRows([row('2026-01-01', 'complete')]).sort()).toEqual(['2026-01-02', '2026-01-03']);
    expect(model.cellFor('2026-01-03').status).toBe('missing');
  });

  it('puts the selected day in the tab order when in range, else the last day', () => {
    const model = grid('2026-01-01', '2026-01-31');
    expect(model.focusDay()).toBe('2026-01-31');
    model.selected = '2026-01-15';
    expect(model.focusDay()).toBe('2026-01-15');
    model.setRange('2026-02-01', '2026-02-28');
    expect(model.focusDay()).toBe('2026-02-28');
  });

  it('moves with the keys inside the range: a day, the same day of the next or previous month, the ends', () => {
    const model = grid('2024-01-15', '2024-04-10');
    expect(model.keyTarget('2024-01-31', 'ArrowRight')).toBe('2024-02-01');
    expect(model.keyTarget('2024-01-15', 'ArrowLeft')).toBe('2024-01-15');
    expect(model.keyTarget('2024-01-31', 'ArrowDown')).toBe('2024-02-29');
    expect(model.keyTarget('2024-03-31', 'ArrowDown')).toBe('2024-04-10');
    expect(model.keyTarget('2024-02-10', 'ArrowUp')).toBe('2024-01-15');
    expect(model.keyTarget('2024-02-10', 'Home')).toBe('2024-01-15');
    expect(model.keyTarget('2024-02-10', 'End')).toBe('2024-04-10');
    expect(model.keyTarget('2024-02-10', 'a')).toBeNull();
  });

  it('says the range, the feed and which days run, or why that is unknown', () => {
    const instantText = (iso: string | null) => `at ${iso}`;
    const model = grid('2026-01-01', '2026-01-03');
    model.layout();
    expect(model.statusLine('connecting', instantText)).toBe(
      '2026-01-01 to 2026-01-03: 3 days. Live feed: connecting…. running days unknown: not asked yet.',
    );
    model.setRunning([run('2026-01-02')], '2026-01-05T12:00:00.000Z');
    expect(model.statusLine('live', instantText)).toBe(
      '2026-01-01 to 2026-01-03: 3 days. Live feed: live. 1 running (checked at 2026-01-05T12:00:00.000Z).',
    );
    model.runningUnknown('Temporal is unreachable');
    expect(model.statusLine('reconnecting', instantText)).toContain(
      'running days unknown: Temporal is unreachable.',
    );
  });

  it('cuts days into runs of consecutive days', () => {
    expect(contiguousRuns(['2024-02-28', '2024-02-29', '2024-03-01', '2024-03-03'])).toEqual([
      ['2024-02-28', '2024-03-01'],
      ['2024-03-03', '2024-03-03'],
    ]);
    expect(contiguousRuns([])).toEqual([]);
  });
});

describe('calendar cell labels', () => {
  it('names the day, its status, what is stored under a running day and a failed re-check', () => {
    const model = grid('2026-01-30', '2026-02-01', [
      row('2026-01-31', 'failed'),
      { ...row('2026-02-01', 'complete'), last_error: 'JAO rejected the request' },
    ]);
    model.setRunning([run('2026-01-31'), run('2026-01-30')], '2026-01-31T12:00:00.000Z');
    expect(cellLabel(model.cellFor('2026-01-31'))).toBe('2026-01-31: running (stored: failed)');
    expect(cellLabel(model.cellFor('2026-01-30'))).toBe('2026-01-30: running (stored: missing)');
    expect(cellLabel(model.cellFor('2026-02-01'))).toBe('2026-02-01: complete, re-check failed');
  });
});

describe("JAO's own word on the calendar", () => {
  const word = (day: string, state: JaoWordDay['state']): JaoWordDay => ({
    day,
    state,
    steps: [
      {
        page: 'Final Computation',
        status: 'Pending',
        deadline: '2026-01-04T11:00:00.000Z',
        last_modified_on: null,
      },
    ],
    seen_at: '2026-01-05T12:00:00.000Z',
  });

  it('marks late, missing and not yet published days (a mark beside their status), in the label and the counts beside the legend', () => {
    const model = grid('2026-01-03', '2026-01-07', [
      row('2026-01-03', 'complete'),
      row('2026-01-04', 'partial'),
    ]);
    expect(
      model.replaceJaoWords([
        word('2026-01-03', 'published'),
        word('2026-01-04', 'missing'),
        word('2026-01-05', 'late'),
        word('2026-01-06', 'not_yet_published'),
        word('2026-01-07', 'unknown'),
      ]),
    ).toEqual(['2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07']);
    model.layout();
    expect([...model.cells.values()].map((cell) => [cell.status, cell.jaoWord])).toEqual([
      ['complete', null],
      ['partial', 'missing'],
      ['missing', 'late'],
      ['missing', 'not_yet_published'],
      ['missing', null],
    ]);
    expect(cellLabel(model.cellFor('2026-01-05'))).toBe('2026-01-05: missing, JAO: late');
    expect(model.jaoWordCounts()).toEqual({ late: 1, missing: 1, not_yet_published: 1 });
    // Read again with one word changed: that day alone is redrawn.
    expect(
      model.replaceJaoWords([
        word('2026-01-03', 'published'),
        word('2026-01-04', 'missing'),
        word('2026-01-05', 'late'),
        word('2026-01-06', 'late'),
        word('2026-01-07', 'unknown'),
      ]),
    ).toEqual(['2026-01-06']);
  });
});
