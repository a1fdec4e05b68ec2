// The runs this page started, followed from start to end by what the calendar already hears (the running list,
// the live feed's day events and the resync), without a reload. Pure (no DOM): test/unit/operatorPage.test.ts.
import type { Cell } from './dayCells';

export type RunState = 'starting' | 'running' | 'ended' | 'left';

export interface RunEntry {
  day: string;
  workflowId: string;
  /** When the page asked for it (the browser's clock, for the reader only). */
  askedAt: string;
  state: RunState;
  /** The day's status the run ended with; null until it ended. */
  outcome: string | null;
  /** The stored record's last check before the run: a later one is this run's end. */
  checkedBefore: string | null;
}

export class RunLog {
  private readonly entries = new Map<string, RunEntry>();

  /** Newest first. */
  list(): RunEntry[] {
    return [...this.entries.values()].reverse();
  }

  get(day: string): RunEntry | undefined {
    return this.entries.get(day);
  }

  /**
   * A run the API started (`started`), or found going on and left to finish (`left`), for the day as its cell
   * is now.
   */
  started(cell: Cell, workflowId: string, started: boolean, askedAt: string): void {
    this.entries.delete(cell.day);
    this.entries.set(cell.day, {
      day: cell.day,
      workflowId,
      askedAt,
      state: started ? 'starting' : 'left',
      outcome: null,
      checkedBefore: cell.stored?.last_checked_at ?? null,
    });
  }

  /** The day's cell as drawn anew; returns the entry when its state moved. */
  cellDrawn(cell: Cell): RunEntry | null {
    const entry = this.entries.get(cell.day);
    if (!entry || entry.state === 'ended') return null;
    if (cell.running) {
      if (entry.state === 'running') return null;
      entry.state = 'running';
      return entry;
    }
    const checked = cell.stored?.last_checked_at ?? null;
    if (checked === null || checked === entry.checkedBefore) return null;
    entry.state = 'ended';
    entry.outcome = cell.stored!.status;
    return entry;
  }
}
