// The operator's controls, shown only to an operator key of the dataset shown (GET /v1/key): pick days on the
// calendar (Ctrl/⌘-click one, Shift-click a range, or every bad day in view), re-run them or backfill them
// (POST /v1/runs/…), follow each run from start to end, and read a day's runs (GET /v1/days/{day}/runs) linked to
// the Temporal Web UI; all of the dataset shown (`config.dataset`).

import type { DayRun, StartedBackfill, StartedDays } from '../../domain/apiAnswers';
import type { Api } from './api';
import type { CalendarView } from './calendar';
import type { PageConfig } from './config';
import { workflowLink, workflowsLink } from './dayCells';
import { DaySelection } from './daySelection';
import { button, externalLink, h, messageOf, tableHead } from './dom';
import { instantText } from './marketTime';
import { type RunEntry, RunLog } from './runLog';

/** POST /v1/runs/days takes at most this many days (api/routes/runs.ts); more are a backfill. */
const MAX_RERUN_DAYS = 31;

const STATE_TEXT: Record<RunEntry['state'], string> = {
  starting: 'started',
  running: 'running',
  ended: 'ended',
  left: 'already running: left to finish',
};

export interface OperatorPanelOptions {
  api: Api;
  config: PageConfig;
  calendar: CalendarView;
  /** Told a backfill started (the page's list of backfills reads again). */
  backfillStarted: () => void;
}

export class OperatorPanel {
  readonly root: HTMLElement;
  readonly selection = new DaySelection();
  readonly log = new RunLog();
  private readonly summary = h('p', { class: 'selection-summary', 'aria-live': 'polite' });
  private readonly message = h('p', { class: 'operator-message', role: 'status' });
  private readonly logList = h('ol', { class: 'run-log', 'aria-label': 'Runs started from this page' });
  private readonly history = h('section', { class: 'day-runs', 'aria-label': "The selected day's runs" });
  private readonly rerunButton: HTMLButtonElement;
  private readonly backfillButton: HTMLButtonElement;
  private readonly modeSelect = h(
    'select',
    { id: 'backfill-mode', name: 'mode' },
    h('option', { value: 'failed' }, 'failed, invalid, partial days'),
    h('option', { value: 'missing' }, 'days not complete yet'),
    h('option', { value: 'all' }, 'every day'),
  );
  private historySeq = 0;

  constructor(private readonly options: OperatorPanelOptions) {
    const { calendar } = options;
    const selectBad = button('Select all bad in view', { 'data-action': 'select-bad' }, () =>
      this.pick(this.selection.replace(calendar.grid.badDays())),
    );
    const clear = button('Clear', { class: 'secondary', 'data-action': 'clear' }, () =>
      this.pick(this.selection.replace([])),
    );
    this.rerunButton = button('Re-run selected', { 'data-action': 'rerun' }, () => void this.rerun());
    this.backfillButton = button(
      'Backfill the selection',
      { 'data-action': 'backfill' },
      () => void this.backfill(),
    );

    this.root = h(
      'section',
      { class: 'operator-panel', 'aria-labelledby': 'operator-heading' },
      h('h2', { id: 'operator-heading' }, `Act on days of ${options.config.dataset} (operator key)`),
      h(
        'p',
        { class: 'hint' },
        'Ctrl- or ⌘-click a day to pick it (again to drop it), Shift-click to pick the range from the last one. ' +
          `Re-runs start each day's workflow at live priority (at most ${MAX_RERUN_DAYS} days); a backfill runs ` +
          'the first to the last picked day. The runs name this key as their starter.',
      ),
      h('div', { class: 'operator-actions' }, selectBad, clear),
      this.summary,
      h(
        'div',
        { class: 'operator-actions' },
        this.rerunButton,
        h('label', { for: 'backfill-mode' }, ' Backfill mode '),
        this.modeSelect,
        this.backfillButton,
      ),
      this.message,
      h('h3', {}, 'Runs started here'),
      this.logList,
      this.history,
    );

    calendar.cellMarks = (day) => (this.selection.has(day) ? 'picked' : '');
    calendar.onSelect((day, event) => {
      if (event && (event.ctrlKey || event.metaKey || event.shiftKey)) {
        event.preventDefault();
        this.pick(event.shiftKey ? this.selection.extendTo(day) : this.selection.toggle(day));
        return;
      }
      void this.showHistory(day);
    });
    calendar.cellsDrawn = (cells) => {
      let moved = false;
      for (const cell of cells) if (this.log.cellDrawn(cell)) moved = true;
      if (moved) this.renderLog();
    };
    this.renderSummary();
  }

  private pick(changed: string[]): void {
    for (const day of changed) this.options.calendar.redraw(day);
    this.renderSummary();
  }

  private renderSummary(): void {
    const days = this.selection.list();
    this.summary.dataset.count = String(days.length);
    this.summary.textContent =
      days.length === 0
        ? 'No day picked.'
        : `${days.length} day${days.length === 1 ? '' : 's'} picked: ${days.length <= 8 ? days.join(', ') : `${days.slice(0, 6).join(', ')} … ${days.at(-1)}`}`;
    this.rerunButton.disabled = days.length === 0 || days.length > MAX_RERUN_DAYS;
    this.backfillButton.disabled = days.length === 0;
  }

  private say(text: string, problem = false): void {
    this.message.textContent = text;
    this.message.classList.toggle('problem', problem);
  }

  private async rerun(): Promise<void> {
    const days = this.selection.list();
    if (days.length === 0) return;
    const { api, calendar, config } = this.options;
    await this.startRuns(this.rerunButton, async () => {
      const answer = await api.post<StartedDays>('/v1/runs/days', { days }, { dataset: config.dataset });
      const askedAt = new Date().toISOString();
      for (const run of answer.runs)
        this.log.started(calendar.grid.cellOf(run.day), run.workflow_id, run.started, askedAt);
      this.renderLog();
      const started = answer.runs.filter((run) => run.started).length;
      this.say(`Started ${started} of ${answer.runs.length} day workflows.`);
      this.pick(this.selection.replace([]));
      await calendar.refreshRunning().catch(() => {});
    });
  }

  private async backfill(): Promise<void> {
    const span = this.selection.span();
    if (!span) return;
    await this.startRuns(this.backfillButton, async () => {
      const answer = await this.options.api.post<StartedBackfill>(
        '/v1/runs/backfill',
        { from: span[0], to: span[1], mode: this.modeSelect.value },
        { dataset: this.options.config.dataset },
      );
      this.say(
        `${answer.attached ? 'Joined the backfill already running' : 'Started the backfill'} ${answer.workflow_id}.`,
      );
      this.pick(this.selection.replace([]));
      this.options.backfillStarted();
    });
  }

  /** Runs `start` with its button disabled; what failed is said, and the buttons follow the selection again. */
  private async startRuns(pressed: HTMLButtonElement, start: () => Promise<void>): Promise<void> {
    pressed.disabled = true;
    try {
      await start();
    } catch (error) {
      this.say(`Nothing started: ${messageOf(error)}`, true);
    } finally {
      this.renderSummary();
    }
  }

  private renderLog(): void {
    const { temporalUiUrl, namespace } = this.options.config;
    this.logList.replaceChildren(
      ...this.log
        .list()
        .map((entry) =>
          h(
            'li',
            { 'data-day': entry.day, 'data-state': entry.state, 'data-outcome': entry.outcome ?? undefined },
            externalLink(workflowLink(temporalUiUrl, namespace, entry.workflowId), entry.day),
            ` ${STATE_TEXT[entry.state]}${entry.outcome ? `: ${entry.outcome.replace('_', ' ')}` : ''}`,
            h('span', { class: 'meaning' }, ` asked ${instantText(entry.askedAt)}`),
          ),
        ),
    );
  }

  /** The day's runs, newest first, each linked to its page in the Web UI. */
  private async showHistory(day: string): Promise<void> {
    const seq = ++this.historySeq;
    this.history.dataset.day = day;
    this.history.dataset.state = 'loading';
    const heading = () => h('h3', {}, `Runs of ${day}`);
    this.history.replaceChildren(heading(), h('p', { class: 'hint' }, 'Loading…'));
    let runs: DayRun[];
    try {
      runs = await this.options.api.get<DayRun[]>(`/v1/days/${day}/runs`, {
        dataset: this.options.config.dataset,
      });
    } catch (error) {
      if (seq !== this.historySeq) return;
      this.history.dataset.state = 'error';
      const problem = `Could not list the runs: ${messageOf(error)}`;
      this.history.replaceChildren(heading(), h('p', { class: 'problem' }, problem));
      return;
    }
    if (seq !== this.historySeq) return;
    const { temporalUiUrl, namespace } = this.options.config;
    const table = h(
      'table',
      { class: 'runs' },
      tableHead(['Started (UTC)', 'Ended (UTC)', 'Outcome', 'Build', 'Started by']),
      h(
        'tbody',
        {},
        ...runs.map((run) =>
          h(
            'tr',
            { 'data-run': run.run_id, 'data-outcome': run.day_status ?? run.execution_status },
            ...[
              externalLink(
                workflowsLink(
                  temporalUiUrl,
                  namespace,
                  `/${encodeURIComponent(run.workflow_id)}/${encodeURIComponent(run.run_id)}/history`,
                ),
                instantText(run.started_at),
              ),
              run.closed_at ? instantText(run.closed_at) : 'running',
              outcomeText(run),
              run.build_id ?? '—',
              starterText(run),
            ].map((cell) => h('td', {}, cell)),
          ),
        ),
      ),
    );
    this.history.dataset.state = 'ready';
    this.history.replaceChildren(
      heading(),
      runs.length ? table : h('p', { class: 'hint' }, 'No run of this day is recorded in Temporal.'),
    );
  }
}

function outcomeText(run: DayRun): string {
  const status = run.execution_status.toLowerCase().replace('_', ' ');
  if (!run.day_status || run.day_status === 'running') return status;
  return `${run.day_status.replace('_', ' ')} (${status})`;
}

function starterText(run: DayRun): string {
  if (run.started_by?.via === 'api')
    return `key ${run.started_by.key_id ?? '?'} "${run.started_by.key_name ?? ''}"`;
  if (run.started_by?.via === 'cli') return 'jao (CLI)';
  return run.parent_workflow_id
    ? `${run.parent_workflow_id.split('/')[1] ?? 'parent'} run`
    : 'schedule or Web UI';
}
