// The calendar: one cell per delivery day of a range, a row per month, coloured and marked by status, with a
// legend; hover or focus shows the day's facts, a click opens its workflow in the Temporal Web UI and shows the
// command that re-runs it. Cells are redrawn one by one when the live feed or the running list says a day moved.
import { addDays, GO_LIVE_DAY } from '../../domain/calendar';
import { type Api, ApiError, UnauthorizedError } from './api';
import type { PageConfig } from './config';
import {
  CELL_STATUSES,
  type Cell,
  cellOf,
  countByStatus,
  dayWorkflowIdOf,
  RECHECK_FAILED_TEXT,
  rangeDays,
  rerunCommand,
  STATUS_TEXT,
  workflowLink,
} from './dayCells';
import { dayFacts } from './dayFacts';
import { escapeHtml, h, utcText } from './dom';
import type { DayRow, RunningDay } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface CalendarOptions {
  api: Api;
  config: PageConfig;
  /** The API's tomorrow (Europe/Amsterdam). */
  tomorrow: () => string;
}

export class CalendarView {
  readonly root: HTMLElement;
  readonly cells = new Map<string, Cell>();
  private readonly rows = new Map<string, DayRow>();
  private running = new Map<string, RunningDay>();
  private runningKnown = false;
  private from = '';
  private to = '';
  private readonly grid: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly detail: HTMLElement;
  private readonly statusLine: HTMLElement;
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;
  private selected: string | null = null;
  private loadSeq = 0;
  private readonly pendingRefresh = new Set<string>();
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  feedState = 'connecting';

  constructor(private readonly options: CalendarOptions) {
    const tomorrow = options.tomorrow();
    this.fromInput = h('input', {
      type: 'date',
      id: 'calendar-from',
      name: 'from',
      min: GO_LIVE_DAY,
      max: tomorrow,
      required: true,
    });
    this.toInput = h('input', {
      type: 'date',
      id: 'calendar-to',
      name: 'to',
      min: GO_LIVE_DAY,
      max: tomorrow,
      required: true,
    });
    const form = h(
      'form',
      { class: 'range', 'aria-label': 'Range of delivery days' },
      h('label', { for: 'calendar-from' }, 'From '),
      this.fromInput,
      h('label', { for: 'calendar-to' }, ' to '),
      this.toInput,
      h('button', { type: 'submit' }, 'Show'),
      h(
        'button',
        { type: 'button', class: 'secondary', 'data-action': 'default-range' },
        'Last 90 days and tomorrow',
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.show(this.fromInput.value, this.toInput.value);
    });
    form.querySelector('[data-action="default-range"]')!.addEventListener('click', () => {
      const [from, to] = this.defaultRange();
      void this.show(from, to);
    });
    this.statusLine = h('p', { class: 'status-line', 'aria-live': 'polite' });
    this.legend = h('ul', { class: 'legend', 'aria-label': 'Legend' });
    this.grid = h('div', {
      class: 'calendar',
      role: 'grid',
      'aria-label': 'Delivery days by status',
      'aria-describedby': 'calendar-help',
    });
    this.tooltip = h('div', { class: 'tooltip', id: 'day-tooltip', role: 'tooltip', hidden: true });
    this.detail = h('aside', { class: 'day-detail', 'aria-live': 'polite', 'aria-label': 'Selected day' });
    this.detail.append(
      h(
        'p',
        { class: 'hint' },
        'Select a day: its workflow opens in the Temporal Web UI, and its facts and re-run command show here.',
      ),
    );
    this.root = h(
      'section',
      { class: 'calendar-section', 'aria-labelledby': 'calendar-heading' },
      h('h2', { id: 'calendar-heading' }, 'Delivery days'),
      form,
      this.statusLine,
      this.legend,
      h(
        'p',
        { id: 'calendar-help', class: 'hint' },
        'One row per month, one cell per delivery day (Europe/Amsterdam). Arrow keys move between days; Enter opens the workflow.',
      ),
      h('div', { class: 'calendar-body' }, this.grid, this.detail),
      this.tooltip,
    );
    this.wireGrid();
  }

  defaultRange(): [string, string] {
    const tomorrow = this.options.tomorrow();
    const from = addDays(tomorrow, -91);
    return [from < GO_LIVE_DAY ? GO_LIVE_DAY : from, tomorrow];
  }

  /** Loads from..to and draws it; `data-state` is `ready` with `data-range` once drawn. */
  async show(from: string, to: string): Promise<void> {
    const seq = ++this.loadSeq;
    const started = performance.now();
    this.grid.dataset.state = 'loading';
    this.grid.setAttribute('aria-busy', 'true');
    this.fromInput.value = from;
    this.toInput.value = to;
    if (from > to) {
      this.say(`The range is reversed: ${from} is after ${to}.`);
      return;
    }
    this.from = from;
    this.to = to;
    let rows: DayRow[];
    try {
      const [answer] = await Promise.all([
        this.options.api.getRange<DayRow>('/v1/days', from, to),
        this.refreshRunning(false),
      ]);
      rows = answer;
    } catch (error) {
      if (seq !== this.loadSeq) return;
      this.grid.dataset.state = 'error';
      this.say(`Could not load the days: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    if (seq !== this.loadSeq) return;
    this.rows.clear();
    for (const row of rows) if (row.dataset === this.options.config.dataset) this.rows.set(row.day, row);
    this.render();
    const ms = performance.now() - started;
    this.grid.dataset.state = 'ready';
    this.grid.dataset.range = `${from}..${to}`;
    this.grid.removeAttribute('aria-busy');
    this.grid.dataset.renderMs = ms.toFixed(0);
    this.updateStatusLine();
    // Days the feed named while this range was loading.
    if (this.pendingRefresh.size > 0) this.scheduleRefresh();
  }

  private cellFor(day: string): Cell {
    return cellOf(day, this.rows.get(day) ?? null, this.running.get(day) ?? null);
  }

  private linkFor(day: string): string {
    const { temporalUiUrl, namespace, dataset } = this.options.config;
    return workflowLink(
      temporalUiUrl,
      namespace,
      this.running.get(day)?.workflow_id ?? dayWorkflowIdOf(dataset, day),
    );
  }

  private cellHtml(cell: Cell, tabIndex: number): string {
    const text = STATUS_TEXT[cell.status];
    const stored = cell.running && cell.stored ? ` data-stored="${cell.stored.status}"` : '';
    const running = cell.running
      ? ` (stored: ${cell.stored ? STATUS_TEXT[cell.stored.status].label : 'missing'})`
      : '';
    const label = `${cell.day}: ${text.label}${running}${cell.recheckFailed ? `, ${RECHECK_FAILED_TEXT.label}` : ''}`;
    const marks = `${cell.dstChange ? ' dst' : ''}${cell.recheckFailed ? ' recheck-failed' : ''}`;
    return (
      `<a role="gridcell" class="cell d${Number(cell.day.slice(8, 10))} s-${cell.status}${marks}"` +
      ` data-day="${cell.day}" data-status="${cell.status}"${stored} href="${escapeHtml(this.linkFor(cell.day))}"` +
      ` target="_blank" rel="noopener noreferrer" tabindex="${tabIndex}" aria-label="${escapeHtml(label)}">${text.glyph}</a>`
    );
  }

  /** The whole grid as one HTML string: a thousand cells in one layout. */
  private render(): void {
    this.cells.clear();
    const days = rangeDays(this.from, this.to);
    const focusDay =
      this.selected && this.selected >= this.from && this.selected <= this.to ? this.selected : days.at(-1);
    const parts: string[] = [
      '<div role="row" class="month header"><span role="columnheader" class="month-label">Month</span>',
    ];
    for (let d = 1; d <= 31; d++) parts.push(`<span role="columnheader" class="d${d}">${d}</span>`);
    parts.push('</div>');
    let month = '';
    for (const day of days) {
      const cell = this.cellFor(day);
      this.cells.set(day, cell);
      if (day.slice(0, 7) !== month) {
        if (month) parts.push('</div>');
        month = day.slice(0, 7);
        const name = `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
        parts.push(
          `<div role="row" class="month" data-month="${month}"><span role="rowheader" class="month-label">${name}</span>`,
        );
      }
      parts.push(this.cellHtml(cell, day === focusDay ? 0 : -1));
    }
    if (month) parts.push('</div>');
    this.grid.innerHTML = parts.join('');
    this.renderLegend();
  }

  private renderLegend(): void {
    const counts = countByStatus(this.cells.values());
    const item = (
      attribute: string,
      swatch: string,
      glyph: string,
      label: string,
      count: number,
      meaning: string,
    ) =>
      `<li ${attribute}><span class="swatch cell ${swatch}" aria-hidden="true">${glyph}</span>` +
      `<span class="legend-label">${escapeHtml(label)}</span> <span class="count">${count}</span>` +
      `<span class="meaning">${escapeHtml(meaning)}</span></li>`;
    let rechecksFailed = 0;
    for (const cell of this.cells.values()) if (cell.recheckFailed) rechecksFailed++;
    this.legend.innerHTML =
      CELL_STATUSES.map((status) => {
        const text = STATUS_TEXT[status];
        return item(
          `data-status="${status}"`,
          `s-${status}`,
          text.glyph,
          text.label,
          counts[status],
          text.meaning,
        );
      }).join('') +
      item(
        'data-mark="recheck-failed"',
        's-complete recheck-failed',
        STATUS_TEXT.complete.glyph,
        RECHECK_FAILED_TEXT.label,
        rechecksFailed,
        RECHECK_FAILED_TEXT.meaning,
      );
  }

  /** Redraws one day's cell (and the legend) in place. */
  private redraw(day: string): void {
    if (day < this.from || day > this.to || this.grid.dataset.state !== 'ready') return;
    const element = this.grid.querySelector<HTMLElement>(`a[data-day="${day}"]`);
    if (!element) return;
    const cell = this.cellFor(day);
    this.cells.set(day, cell);
    const template = document.createElement('template');
    template.innerHTML = this.cellHtml(cell, element.tabIndex);
    const fresh = template.content.firstElementChild as HTMLElement;
    const focused = document.activeElement === element;
    element.replaceWith(fresh);
    if (focused) fresh.focus();
    this.renderLegend();
    if (this.selected === day) this.showDetail(day);
    if (this.tooltip.dataset.day === day && !this.tooltip.hidden) this.showTooltip(fresh);
  }

  // --- live updates -------------------------------------------------------------------------------------------

  /** A day named by the live feed: its row is read again (debounced, contiguous days in one request). */
  dayChanged(day: string): void {
    this.pendingRefresh.add(day);
    if (this.grid.dataset.state === 'ready') this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refreshPending();
    }, 150);
  }

  private async refreshPending(): Promise<void> {
    const days = [...this.pendingRefresh].filter((day) => day >= this.from && day <= this.to).sort();
    this.pendingRefresh.clear();
    if (days.length === 0) return;
    const groups: [string, string][] = [];
    for (const day of days) {
      const last = groups.at(-1);
      if (last && addDays(last[1], 1) === day) last[1] = day;
      else groups.push([day, day]);
    }
    try {
      const answers = await Promise.all(
        groups.map(([from, to]) => this.options.api.getRange<DayRow>('/v1/days', from, to)),
      );
      const found = new Map(answers.flat().map((row) => [row.day, row]));
      for (const day of days) {
        const row = found.get(day);
        if (row) this.rows.set(day, row);
        else this.rows.delete(day);
        this.redraw(day);
      }
      this.updateStatusLine();
    } catch {
      for (const day of days) this.pendingRefresh.add(day);
      setTimeout(() => this.scheduleRefresh(), 3_000);
    }
  }

  /**
   * Reads the whole range again and redraws the days whose record changed: a re-check that changed nothing
   * (a failed one included) raises no event. The browser revalidates with the answers' ETags, so an unchanged
   * range costs 304s.
   */
  async resync(): Promise<void> {
    if (this.grid.dataset.state !== 'ready') return;
    const [from, to, seq] = [this.from, this.to, this.loadSeq];
    const rows = await this.options.api.getRange<DayRow>('/v1/days', from, to);
    if (seq !== this.loadSeq) return;
    const fresh = new Map(
      rows.filter((row) => row.dataset === this.options.config.dataset).map((row) => [row.day, row]),
    );
    for (const day of new Set([...this.rows.keys(), ...fresh.keys()])) {
      const before = this.rows.get(day);
      const after = fresh.get(day);
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      if (after) this.rows.set(day, after);
      else this.rows.delete(day);
      this.redraw(day);
    }
  }

  /** Asks which day workflows run; days that started or stopped running are redrawn (a stopped one re-read). */
  async refreshRunning(redraw = true): Promise<void> {
    let list: RunningDay[] | null;
    try {
      list = await this.options.api.get<RunningDay[]>('/v1/days/running');
    } catch (error) {
      // Only a refused key stops the page; otherwise which days run is unknown for now, and says so.
      if (error instanceof UnauthorizedError) throw error;
      list = null;
      this.runningProblem =
        error instanceof ApiError
          ? error.message
          : `the API did not answer (${error instanceof Error ? error.message : String(error)})`;
    }
    const before = this.running;
    const after = new Map(
      (list ?? []).filter((run) => run.dataset === this.options.config.dataset).map((run) => [run.day, run]),
    );
    // Unknown (Temporal away): the last known list stays, and the status line says it is unknown.
    this.runningKnown = list !== null;
    if (list === null) {
      this.updateStatusLine();
      return;
    }
    this.runningProblem = null;
    this.running = after;
    if (redraw) {
      for (const day of new Set([...before.keys(), ...after.keys()])) {
        if (before.get(day)?.run_id === after.get(day)?.run_id) continue;
        if (!after.has(day)) this.dayChanged(day);
        this.redraw(day);
      }
    }
    this.runningCheckedAt = new Date().toISOString();
    this.updateStatusLine();
  }

  private runningProblem: string | null = null;
  private runningCheckedAt: string | null = null;

  updateStatusLine(): void {
    if (this.grid.dataset.state !== 'ready') return;
    const feed = {
      connecting: 'connecting…',
      live: 'live',
      reconnecting: 'reconnecting…',
      unauthorized: 'refused the key',
    }[this.feedState];
    const running = this.runningKnown
      ? `${this.running.size} running (checked ${utcText(this.runningCheckedAt)})`
      : `running days unknown: ${this.runningProblem ?? 'not asked yet'}`;
    this.say(`${this.from} to ${this.to}: ${this.cells.size} days. Live feed: ${feed}. ${running}.`);
  }

  private say(text: string): void {
    this.statusLine.textContent = text;
  }

  // --- interaction ------------------------------------------------------------------------------------------

  private wireGrid(): void {
    const cellOfEvent = (event: Event) => (event.target as HTMLElement).closest<HTMLElement>('a.cell');
    this.grid.addEventListener('mouseover', (event) => {
      const cell = cellOfEvent(event);
      if (cell) this.showTooltip(cell);
    });
    this.grid.addEventListener('mouseleave', () => this.hideTooltip());
    this.grid.addEventListener('focusin', (event) => {
      const cell = cellOfEvent(event);
      if (cell) this.showTooltip(cell);
    });
    this.grid.addEventListener('focusout', () => this.hideTooltip());
    this.grid.addEventListener('click', (event) => {
      const cell = cellOfEvent(event);
      if (!cell?.dataset.day) return;
      this.select(cell.dataset.day);
    });
    this.grid.addEventListener('keydown', (event) => {
      const cell = cellOfEvent(event);
      if (!cell?.dataset.day) return;
      const target = this.keyTarget(cell.dataset.day, event.key);
      if (!target) {
        if (event.key === 'Escape') this.hideTooltip();
        return;
      }
      event.preventDefault();
      this.focusDay(target);
    });
  }

  private keyTarget(day: string, key: string): string | null {
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

  private focusDay(day: string): void {
    const target = this.grid.querySelector<HTMLElement>(`a[data-day="${day}"]`);
    if (!target) return;
    for (const element of this.grid.querySelectorAll<HTMLElement>('a.cell[tabindex="0"]'))
      element.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  }

  select(day: string): void {
    this.selected = day;
    for (const element of this.grid.querySelectorAll('a.cell[aria-selected]'))
      element.removeAttribute('aria-selected');
    this.grid.querySelector(`a[data-day="${day}"]`)?.setAttribute('aria-selected', 'true');
    this.showDetail(day);
  }

  private factsList(cell: Cell): HTMLElement {
    const list = h('dl', { class: 'facts' });
    for (const [term, description] of dayFacts(cell))
      list.append(h('dt', {}, term), h('dd', {}, description));
    return list;
  }

  private showDetail(day: string): void {
    const cell = this.cells.get(day) ?? this.cellFor(day);
    const workflowId = cell.running?.workflow_id ?? dayWorkflowIdOf(this.options.config.dataset, day);
    const command = rerunCommand(day);
    const code = h('code', { class: 'command' }, command);
    const copy = h('button', { type: 'button', class: 'secondary' }, 'Copy');
    copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(command).then(
        () => {
          copy.textContent = 'Copied';
        },
        () => {
          window.getSelection()?.selectAllChildren(code);
        },
      );
    });
    this.detail.replaceChildren(
      h(
        'h3',
        {},
        h(
          'span',
          { class: `swatch cell s-${cell.status}`, 'aria-hidden': 'true' },
          STATUS_TEXT[cell.status].glyph,
        ),
        ` ${day}`,
      ),
      this.factsList(cell),
      h(
        'p',
        {},
        h(
          'a',
          { class: 'workflow-link', href: this.linkFor(day), target: '_blank', rel: 'noopener noreferrer' },
          `Open ${workflowId} in the Temporal Web UI`,
        ),
      ),
      h('p', { class: 'rerun' }, 'Run this day again: ', code, ' ', copy),
    );
    this.detail.dataset.day = day;
  }

  private showTooltip(element: HTMLElement): void {
    const day = element.dataset.day;
    if (!day) return;
    const cell = this.cells.get(day) ?? this.cellFor(day);
    this.tooltip.replaceChildren(h('strong', {}, day), this.factsList(cell));
    this.tooltip.dataset.day = day;
    this.tooltip.hidden = false;
    element.setAttribute('aria-describedby', 'day-tooltip');
    const box = element.getBoundingClientRect();
    const width = this.tooltip.offsetWidth;
    const left = Math.min(
      window.scrollX + box.left,
      window.scrollX + document.documentElement.clientWidth - width - 8,
    );
    this.tooltip.style.left = `${Math.max(8, left)}px`;
    this.tooltip.style.top = `${window.scrollY + box.bottom + 6}px`;
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
    delete this.tooltip.dataset.day;
  }
}
