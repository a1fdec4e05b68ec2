// The calendar's model: the range, the stored rows and running days behind it, a cell per day laid out a row per
// month, the legend's counts, the selection, keyboard moves and the status line. Pure (no DOM):
// test/unit/calendarGrid.test.ts.

import type { DayRow, JaoWordDay, RunningDay } from '../../domain/apiAnswers';
import { addDays, daysInRange } from '../../domain/calendar';
import {
  CELL_STATUSES,
  type Cell,
  type CellStatus,
  cellOf,
  countByStatus,
  dayWorkflowIdOf,
  JAO_WORD_MARKS,
  JAO_WORD_TEXT,
  type JaoWordMark,
  RECHECK_FAILED_TEXT,
  REVISED_TEXT,
  STATUS_TEXT,
} from './dayCells';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const FEED_TEXT: Record<string, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  unauthorized: 'refused the key',
};

export interface MonthRow {
  /** `YYYY-MM`. */
  month: string;
  /** `Feb 2024`. */
  label: string;
  cells: Cell[];
}

export interface LegendEntry {
  /** The status the entry counts, or null for the re-check-failed mark. */
  status: CellStatus | null;
  /** CSS classes of its swatch. */
  swatch: string;
  glyph: string;
  label: string;
  count: number;
  meaning: string;
}

/** The days the calendar opens on when nothing is stored yet: the last 35 and tomorrow. */
export const UNSTORED_RANGE_DAYS = 35;

/**
 * The calendar's first range: the stored days (from the first stored, `storedFrom`) and tomorrow, or the last 35
 * days and tomorrow when nothing is stored yet; never before the dataset's first day.
 */
export function defaultRange(
  tomorrow: string,
  firstDay: string,
  storedFrom: string | null = null,
): [string, string] {
  const from = storedFrom ?? addDays(tomorrow, -UNSTORED_RANGE_DAYS);
  if (from > tomorrow) return [tomorrow, tomorrow];
  return [from < firstDay ? firstDay : from, tomorrow];
}

/** Sorted days cut into runs of consecutive days, each as [first, last]. */
export function contiguousRuns(sortedDays: readonly string[]): [string, string][] {
  const runs: [string, string][] = [];
  for (const day of sortedDays) {
    const last = runs.at(-1);
    if (last && addDays(last[1], 1) === day) last[1] = day;
    else runs.push([day, day]);
  }
  return runs;
}

/** The days either map holds whose entry differs between them, compared as `key` writes it (JSON by default). */
function changedDays<T>(
  before: ReadonlyMap<string, T>,
  after: ReadonlyMap<string, T>,
  key: (entry: T | undefined) => unknown = (entry) => JSON.stringify(entry),
): string[] {
  const days = new Set([...before.keys(), ...after.keys()]);
  return [...days].filter((day) => key(before.get(day)) !== key(after.get(day)));
}

/** The cell's accessible name: day, status, what is stored under a running day, a failed re-check. */
export function cellLabel(cell: Cell): string {
  const running = cell.running
    ? ` (stored: ${cell.stored ? STATUS_TEXT[cell.stored.status].label : 'missing'})`
    : '';
  return `${cell.day}: ${STATUS_TEXT[cell.status].label}${running}${cell.recheckFailed ? `, ${RECHECK_FAILED_TEXT.label}` : ''}${cell.revised ? `, ${REVISED_TEXT.label}` : ''}${cell.jaoWord ? `, ${JAO_WORD_TEXT[cell.jaoWord].label}` : ''}`;
}

export class CalendarGrid {
  from = '';
  to = '';
  selected: string | null = null;
  /** The cells of the range as last laid out or updated. */
  readonly cells = new Map<string, Cell>();
  private readonly rows = new Map<string, DayRow>();
  /** JAO's own word per day of the range (GET /v1/days/jao-word). */
  private words = new Map<string, JaoWordDay>();
  private running = new Map<string, RunningDay>();
  private runningKnown = false;
  private runningProblem: string | null = null;
  private runningCheckedAt: string | null = null;

  /**
   * @param storedFrom the dataset's first stored day as the API said it (null: none stored yet); a row read of an
   * earlier day moves it.
   */
  constructor(
    private readonly dataset: string,
    public storedFrom: string | null = null,
  ) {}

  /** Takes a stored day: true when it moved the first stored day (days without a row may now be missing). */
  private noteStored(day: string): boolean {
    if (this.storedFrom !== null && this.storedFrom <= day) return false;
    this.storedFrom = day;
    return true;
  }

  setRange(from: string, to: string): void {
    this.from = from;
    this.to = to;
  }

  inRange(day: string): boolean {
    return day >= this.from && day <= this.to;
  }

  /** The stored rows of the range, replacing those held (rows of other datasets are left out). */
  replaceRows(rows: readonly DayRow[]): void {
    this.rows.clear();
    for (const row of rows) {
      if (row.dataset !== this.dataset) continue;
      this.rows.set(row.day, row);
      this.noteStored(row.day);
    }
  }

  /**
   * A day's row as read again: undefined when the API has none. True when it moved the first stored day: the days
   * between are missing now, no longer never fetched (the whole range is to be laid out again).
   */
  setRow(day: string, row: DayRow | undefined): boolean {
    if (!row) {
      this.rows.delete(day);
      return false;
    }
    this.rows.set(day, row);
    return this.noteStored(day);
  }

  /**
   * Takes the range's rows as read again; returns the days whose record changed (every day of the range when the
   * first stored day moved).
   */
  resyncRows(rows: readonly DayRow[]): string[] {
    const fresh = new Map(rows.filter((row) => row.dataset === this.dataset).map((row) => [row.day, row]));
    const changed = changedDays(this.rows, fresh);
    let moved = false;
    for (const day of changed) moved = this.setRow(day, fresh.get(day)) || moved;
    return moved ? daysInRange(this.from, this.to) : changed;
  }

  /** JAO's word on the days of the range, replacing what was held; returns the days whose word changed. */
  replaceJaoWords(list: readonly JaoWordDay[]): string[] {
    const fresh = new Map(list.map((word) => [word.day, word]));
    const changed = changedDays(this.words, fresh);
    this.words = fresh;
    return changed;
  }

  /** Days of the range JAO's word marks, by mark (a mark beside the legend, not a status). */
  jaoWordCounts(): Record<JaoWordMark, number> {
    const counts = Object.fromEntries(JAO_WORD_MARKS.map((mark) => [mark, 0])) as Record<JaoWordMark, number>;
    for (const cell of this.cells.values()) if (cell.jaoWord) counts[cell.jaoWord] += 1;
    return counts;
  }

  /** Which days run is unknown for now: the last known list stays. */
  runningUnknown(problem: string): void {
    this.runningKnown = false;
    this.runningProblem = problem;
  }

  /** The running day workflows as listed at `checkedAt`; returns the days whose run started, stopped or changed. */
  setRunning(list: readonly RunningDay[], checkedAt: string): string[] {
    const after = new Map(list.filter((run) => run.dataset === this.dataset).map((run) => [run.day, run]));
    const changed = changedDays(this.running, after, (run) => run?.run_id);
    this.running = after;
    this.runningKnown = true;
    this.runningProblem = null;
    this.runningCheckedAt = checkedAt;
    return changed;
  }

  isRunning(day: string): boolean {
    return this.running.has(day);
  }

  /** The workflow a day's cell links to: its open run's, else its day workflow's id. */
  workflowIdOf(day: string): string {
    return this.running.get(day)?.workflow_id ?? dayWorkflowIdOf(this.dataset, day);
  }

  cellFor(day: string): Cell {
    return cellOf(
      day,
      this.rows.get(day) ?? null,
      this.running.get(day) ?? null,
      this.storedFrom,
      this.words.get(day) ?? null,
    );
  }

  /** The day's cell as last laid out, or as it would be now. */
  cellOf(day: string): Cell {
    return this.cells.get(day) ?? this.cellFor(day);
  }

  updateCell(day: string): Cell {
    const cell = this.cellFor(day);
    this.cells.set(day, cell);
    return cell;
  }

  /** Revised days of the range: a mark beside the legend, not a status (each is counted under its status). */
  revisedCount(): number {
    return [...this.cells.values()].filter((cell) => cell.revised).length;
  }

  /** The days of the range an operator re-runs ("all bad in view"), in order. */
  badDays(): string[] {
    return [...this.cells.values()].filter((cell) => cell.bad).map((cell) => cell.day);
  }

  /** Every day of the range, its cell recomputed, in month rows. */
  layout(): MonthRow[] {
    this.cells.clear();
    const months: MonthRow[] = [];
    for (const day of daysInRange(this.from, this.to)) {
      const cell = this.updateCell(day);
      const month = day.slice(0, 7);
      if (months.at(-1)?.month !== month) {
        const label = `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
        months.push({ month, label, cells: [] });
      }
      months.at(-1)!.cells.push(cell);
    }
    return months;
  }

  /** The day keyboard focus enters the grid on: the selected day when in range, else the last. */
  focusDay(): string | undefined {
    if (this.selected && this.inRange(this.selected)) return this.selected;
    return this.to >= this.from && this.from ? this.to : undefined;
  }

  legend(): LegendEntry[] {
    const counts = countByStatus(this.cells.values());
    const rechecksFailed = [...this.cells.values()].filter((cell) => cell.recheckFailed).length;
    return [
      // A day is counted once: a complete day whose re-check failed under its mark, not under complete too.
      ...CELL_STATUSES.map((status) => ({
        status,
        swatch: `s-${status}`,
        ...STATUS_TEXT[status],
        count: status === 'complete' ? counts.complete - rechecksFailed : counts[status],
      })),
      {
        status: null,
        swatch: 's-complete recheck-failed',
        glyph: STATUS_TEXT.complete.glyph,
        label: RECHECK_FAILED_TEXT.label,
        count: rechecksFailed,
        meaning: RECHECK_FAILED_TEXT.meaning,
      },
    ];
  }

  /** Where a key moves focus from `day`, kept inside the range; null for a key that moves nothing. */
  keyTarget(day: string, key: string): string | null {
    const clamp = (target: string) => (target < this.from ? this.from : target > this.to ? this.to : target);
    switch (key) {
      case 'ArrowLeft':
        return clamp(addDays(day, -1));
      case 'ArrowRight':
        return clamp(addDays(day, 1));
      case 'ArrowUp':
      case 'ArrowDown': {
        const step = key === 'ArrowUp' ? -1 : 1;
        const date = new Date(`${day}T00:00:00Z`);
        const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + step, 1));
        const lastOfMonth = new Date(
          Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
        ).getUTCDate();
        target.setUTCDate(Math.min(date.getUTCDate(), lastOfMonth));
        return clamp(target.toISOString().slice(0, 10));
      }
      case 'Home':
        return this.from;
      case 'End':
        return this.to;
      default:
        return null;
    }
  }

  /** The range, the feed's state and which days run; `instantText` writes when the running list was read. */
  statusLine(feedState: string, instantText: (iso: string | null) => string): string {
    const running = this.runningKnown
      ? `${this.running.size} running (checked ${instantText(this.runningCheckedAt)})`
      : `running days unknown: ${this.runningProblem ?? 'not asked yet'}`;
    return `${this.from} to ${this.to}: ${this.cells.size} days. Live feed: ${FEED_TEXT[feedState]}. ${running}.`;
  }
}
