// What a calendar cell shows, decided in one place: a running day workflow first, then the stored status; for a day
// without a row, "missing" when it should have been fetched (it is not before the first day stored: a backfill or
// the poll covered it), else "not fetched" (no backfill or poll ever covered it: not a finding). Pure (no DOM):
// test/unit/pageModel.test.ts.

import type { DayRow, JaoWordDay, RunningDay } from '../../domain/apiAnswers';
import { addDays, isDstChangeDay } from '../../domain/calendar';

export const CELL_STATUSES = [
  'complete',
  'partial',
  'invalid',
  'failed',
  'not_published',
  'missing',
  'not_fetched',
  'running',
] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];

/** Label, glyph (so a status never rests on colour alone) and meaning, as the legend says them. */
export const STATUS_TEXT: Record<CellStatus, { label: string; glyph: string; meaning: string }> = {
  complete: { label: 'complete', glyph: '✓', meaning: 'every MTU, every border has a value' },
  partial: { label: 'partial', glyph: '◐', meaning: 'MTUs or values missing' },
  invalid: {
    label: 'invalid',
    glyph: '!',
    meaning: 'nothing usable arrived (not the JAO envelope, no value)',
  },
  failed: { label: 'failed', glyph: '✕', meaning: 'retries exhausted or refused' },
  not_published: { label: 'not published yet', glyph: '…', meaning: 'JAO answered, with no data yet' },
  missing: {
    label: 'missing',
    glyph: '?',
    meaning: 'not stored, though an earlier day is: a gap',
  },
  not_fetched: {
    label: 'not fetched',
    glyph: '·',
    meaning: 'before the first day stored: never asked for',
  },
  running: { label: 'running', glyph: '↻', meaning: 'its day workflow is running now' },
};

/** What JAO's own word marks on a cell: only what deserves a look (published and unknown mark nothing). */
export const JAO_WORD_MARKS = ['late', 'missing', 'not_yet_published'] as const;
export type JaoWordMark = (typeof JAO_WORD_MARKS)[number];

export const JAO_WORD_TEXT: Record<JaoWordMark, { label: string; meaning: string }> = {
  late: { label: 'JAO: late', meaning: "JAO's step is still pending after its deadline (a red bar on top)" },
  missing: {
    label: 'JAO: missing',
    meaning: 'JAO says it published the day, which is not stored complete (a purple bar on top)',
  },
  not_yet_published: {
    label: 'JAO: not yet published',
    meaning: "JAO's step is pending, its deadline still ahead (a grey bar on top)",
  },
};

export interface Cell {
  day: string;
  status: CellStatus;
  /** The stored record (the last finished run); null for a missing or never fetched day. */
  stored: DayRow | null;
  /** The open run, when one runs. */
  running: RunningDay | null;
  /** 23 or 25 hours. */
  dstChange: boolean;
  /**
   * A complete day whose last re-check failed (JAO refused, or answered nothing usable): its stored values stand,
   * and `jao health` says `re-check failed` (domain/health.ts).
   */
  recheckFailed: boolean;
  /** Its stored values changed after they were first stored (revision_count above 1). */
  revised: boolean;
  /** What an operator re-runs: stored partial, invalid or failed (as `jao rerun --failed`), or a failed re-check. */
  bad: boolean;
  /** JAO's own word where it deserves a look (late, missing, not yet published); null otherwise or unknown. */
  jaoWord: JaoWordMark | null;
  /** The word behind it, for the tooltip (null: none read, or the dataset declares no step). */
  word: JaoWordDay | null;
}

/** Stored statuses that `jao rerun --failed` (backfill mode `failed`) runs again. */
export const BAD_STATUSES: readonly string[] = ['partial', 'invalid', 'failed'];

export const REVISED_TEXT = {
  label: 'revised',
  meaning: 'its values changed after they were first stored (a corner dot)',
};

export const RECHECK_FAILED_TEXT = {
  label: 're-check failed',
  meaning: 'complete values stand, the last fetch failed',
};

/**
 * A day's cell. `storedFrom`: the dataset's first stored day (null when none is): a day without a row from then on
 * is missing, one before it was never fetched.
 */
export function cellOf(
  day: string,
  stored: DayRow | null,
  running: RunningDay | null,
  storedFrom: string | null,
  word: JaoWordDay | null = null,
): Cell {
  const unstored: CellStatus = storedFrom !== null && day >= storedFrom ? 'missing' : 'not_fetched';
  const status: CellStatus = running ? 'running' : stored ? stored.status : unstored;
  const recheckFailed = stored?.status === 'complete' && stored.last_error !== null;
  const revised = (stored?.revision_count ?? 0) > 1;
  const bad = (stored !== null && BAD_STATUSES.includes(stored.status)) || recheckFailed;
  const jaoWord =
    word && (JAO_WORD_MARKS as readonly string[]).includes(word.state) ? (word.state as JaoWordMark) : null;
  return {
    day,
    status,
    stored,
    running,
    dstChange: isDstChangeDay(day),
    recheckFailed,
    revised,
    bad,
    jaoWord,
    word,
  };
}

/** from..to cut into pieces of at most `maxDays` days (the API's API_MAX_RANGE_DAYS). */
export function rangePieces(from: string, to: string, maxDays: number): [string, string][] {
  const pieces: [string, string][] = [];
  for (let start = from; start <= to; start = addDays(start, maxDays)) {
    const end = addDays(start, maxDays - 1);
    pieces.push([start, end < to ? end : to]);
  }
  return pieces;
}

/** The Web UI's workflows of a namespace, `<ui>/namespaces/<ns>/workflows`, then `rest`. */
export const workflowsLink = (uiUrl: string, namespace: string, rest = '') =>
  `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows${rest}`;

/** The Web UI's page of a workflow (its latest run): `<ui>/namespaces/<ns>/workflows/<id>`. */
export function workflowLink(uiUrl: string, namespace: string, workflowId: string): string {
  return workflowsLink(uiUrl, namespace, `/${encodeURIComponent(workflowId)}`);
}

/**
 * The Web UI's list of the days bad now: one running bad-day marker per day, its id naming the day and its status
 * (domain/badDays.ts; docs/operations.md "Only the days bad now").
 */
export function badDaysLink(uiUrl: string, namespace: string, dataset: string): string {
  const query = `WorkflowType = "badDayWorkflow" AND ExecutionStatus = "Running" AND Dataset = "${dataset}"`;
  return workflowsLink(uiUrl, namespace, `?${new URLSearchParams({ query })}`);
}

/** The day workflow's id (docs/design.md §5). */
export function dayWorkflowIdOf(dataset: string, day: string): string {
  return `${dataset}/day/${day}`;
}

/** The day workflow's input as an operator starts it (docs/operations.md "Re-run a day"). */
export function dayStartInput(dataset: string, day: string): string {
  return JSON.stringify({ dataset, day, trigger: 'manual' });
}

/**
 * The Temporal Web UI's start page for a day that has never run, prefilled: a never-run day has no workflow page to
 * link to (the UI answers 404). The UI (2.x) prefills Workflow ID, Task Queue and Workflow Type from the start page's
 * query parameters, and the input from the last run under that id and type when there is one; it reads no input
 * from the address, so the page shows the input to paste beside the link (dayStartInput).
 */
export function startDayLink(
  uiUrl: string,
  namespace: string,
  taskQueue: string,
  dataset: string,
  day: string,
): string {
  const query = new URLSearchParams({
    workflowId: dayWorkflowIdOf(dataset, day),
    taskQueue,
    workflowType: 'deliveryDayWorkflow',
  });
  return workflowsLink(uiUrl, namespace, `/start-workflow?${query}`);
}

/** The command that runs this one day again (cli/commands/backfill.ts rerunDays). */
export function rerunCommand(day: string): string {
  return `npx jao rerun ${day}`;
}

/** Counts by status, in legend order. */
export function countByStatus(cells: Iterable<Cell>): Record<CellStatus, number> {
  const counts = Object.fromEntries(CELL_STATUSES.map((status) => [status, 0])) as Record<CellStatus, number>;
  for (const cell of cells) counts[cell.status] += 1;
  return counts;
}
