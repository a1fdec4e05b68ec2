// The calendar: one cell per delivery day of a range, a row per month, coloured and marked by status, with a
// legend; hover or focus shows the day's facts, a click opens its workflow in the Temporal Web UI and shows the
// command that re-runs it. Cells are redrawn one by one when the live feed or the running list says a day moved.
// What the grid holds is calendarGrid.ts (pure), its markup calendarHtml.ts, the day's tooltip and panel
// dayPanels.ts; this is the DOM, the loading and the live updates.

import type { DayRow, JaoWordDay, RunningDay } from '../../domain/apiAnswers';
import { type Api, ApiError, UnauthorizedError } from './api';
import { CalendarGrid, contiguousRuns, defaultRange } from './calendarGrid';
import { cellHtml, gridHtml, jaoWordKeyHtml, legendHtml, revisedKeyHtml } from './calendarHtml';
import type { PageConfig } from './config';
import { type Cell, dayStartInput, startDayLink, workflowLink } from './dayCells';
import { dayInput, dayProblemOf } from './dayInput';
import { DayDetailPanel, DayTooltip } from './dayPanels';
import { button, h, messageOf } from './dom';
import { instantText } from './marketTime';

export interface CalendarOptions {
  api: Api;
  config: PageConfig;
  /** The API's tomorrow (Europe/Amsterdam). */
  tomorrow: () => string;
  /** The first delivery day of the dataset shown (`config.dataset`). */
  firstDay: string;
  /** Its first stored day, as /v1/datasets said when the page loaded (null: nothing stored yet). */
  storedFrom: string | null;
}

export class CalendarView {
  readonly root: HTMLElement;
  readonly grid: CalendarGrid;
  private readonly gridElement = h('div', {
    class: 'calendar',
    role: 'grid',
    'aria-label': 'Delivery days by status',
    'aria-describedby': 'calendar-help',
  });
  private readonly legend = h('ul', { class: 'legend', 'aria-label': 'Legend' });
  private readonly revisedKey = h('p', { class: 'marks', 'data-mark': 'revised' });
  private readonly jaoWordKey = h('p', { class: 'marks', 'data-mark': 'jao-word' });
  /** Classes another part of the page puts on a day's cell (the operator's selection). */
  cellMarks: (day: string) => string = () => '';
  /** Told each cell drawn anew (the whole range after a load, one day after a live update). */
  cellsDrawn: (cells: Cell[]) => void = () => {};
  /** Told the day a click or Enter selected. */
  private readonly selectListeners = new Set<(day: string, event: MouseEvent | null) => void>();
  private readonly tooltip = new DayTooltip();
  private readonly detail = new DayDetailPanel();
  private readonly statusLine = h('p', { class: 'status-line', 'aria-live': 'polite' });
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;
  private loadSeq = 0;
  private readonly pendingRefresh = new Set<string>();
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  feedState = 'connecting';

  constructor(private readonly options: CalendarOptions) {
    this.grid = new CalendarGrid(options.config.dataset, options.storedFrom);
    const tomorrow = options.tomorrow();
    const bounds = { min: options.firstDay, max: tomorrow, required: true };
    this.fromInput = dayInput('calendar-from', { ...bounds, name: 'from' });
    this.toInput = dayInput('calendar-to', { ...bounds, name: 'to' });
    const form = h(
      'form',
      { class: 'range', 'aria-label': 'Range of delivery days', novalidate: true },
      h('label', { for: 'calendar-from' }, 'From '),
      this.fromInput,
      h('label', { for: 'calendar-to' }, ' to '),
      this.toInput,
      h('button', { type: 'submit' }, 'Show'),
      button('Stored days and tomorrow', { class: 'secondary', 'data-action': 'default-range' }, () => {
        const [from, to] = this.defaultRange();
        void this.show(from, to);
      }),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const problem = dayProblemOf(this.fromInput) ?? dayProblemOf(this.toInput);
      if (problem) {
        this.say(problem);
        return;
      }
      void this.show(this.fromInput.value, this.toInput.value);
    });
    const onlyBad = h('input', { type: 'checkbox', id: 'calendar-only-bad', name: 'only-bad' });
    onlyBad.addEventListener('change', () => {
      this.gridElement.classList.toggle('only-bad', onlyBad.checked);
    });
    const filter = h(
      'p',
      { class: 'filter' },
      onlyBad,
      h(
        'label',
        { for: 'calendar-only-bad' },
        ' Only bad days (partial, invalid, failed, or a failed re-check); the others are blanked',
      ),
    );
    this.root = h(
      'section',
      { class: 'calendar-section', 'aria-labelledby': 'calendar-heading' },
      h('h2', { id: 'calendar-heading' }, 'Delivery days'),
      form,
      this.statusLine,
      this.legend,
      this.revisedKey,
      this.jaoWordKey,
      filter,
      h(
        'p',
        { id: 'calendar-help', class: 'hint' },
        'One row per month, one cell per delivery day (Europe/Amsterdam). Arrow keys move between days; Enter opens the workflow.',
      ),
      h('div', { class: 'calendar-body' }, this.gridElement, this.detail.element),
      this.tooltip.element,
    );
    this.wireGrid();
  }

  /** The stored days and tomorrow (the last 35 days and tomorrow when none is stored). */
  defaultRange(): [string, string] {
    return defaultRange(this.options.tomorrow(), this.options.firstDay, this.grid.storedFrom);
  }

  private get ready(): boolean {
    return this.gridElement.dataset.state === 'ready';
  }

  /** Loads from..to and draws it; `data-state` is `ready` with `data-range` once drawn. */
  async show(from: string, to: string): Promise<void> {
    const seq = ++this.loadSeq;
    const started = performance.now();
    const element = this.gridElement;
    element.dataset.state = 'loading';
    element.setAttribute('aria-busy', 'true');
    this.fromInput.value = from;
    this.toInput.value = to;
    if (from > to) {
      this.say(`The range is reversed: ${from} is after ${to}.`);
      return;
    }
    this.grid.setRange(from, to);
    let answers: [DayRow[], JaoWordDay[] | null, unknown];
    try {
      answers = await Promise.all([
        this.readDays(from, to),
        this.readJaoWords(from, to),
        this.refreshRunning(false),
      ]);
    } catch (error) {
      if (seq !== this.loadSeq) return;
      element.dataset.state = 'error';
      this.say(`Could not load the days: ${messageOf(error)}`);
      throw error;
    }
    if (seq !== this.loadSeq) return;
    const [rows, words] = answers;
    this.grid.replaceRows(rows);
    this.grid.replaceJaoWords(words ?? []);
    this.render();
    element.dataset.state = 'ready';
    element.dataset.range = `${from}..${to}`;
    element.removeAttribute('aria-busy');
    element.dataset.renderMs = (performance.now() - started).toFixed(0);
    this.updateStatusLine();
    // Days the feed named while this range was loading.
    if (this.pendingRefresh.size > 0) this.scheduleRefresh();
  }

  /** The day's workflow in the Web UI; for a day that has never run, the Web UI's start page prefilled. */
  private linkFor(day: string): string {
    const { temporalUiUrl, namespace, taskQueue, dataset } = this.options.config;
    if (this.neverRun(day)) return startDayLink(temporalUiUrl, namespace, taskQueue, dataset, day);
    return workflowLink(temporalUiUrl, namespace, this.grid.workflowIdOf(day));
  }

  private neverRun(day: string): boolean {
    const status = this.grid.cellOf(day).status;
    return status === 'missing' || status === 'not_fetched';
  }

  /** The whole grid as one HTML string: a thousand cells in one layout. */
  private render(): void {
    const months = this.grid.layout();
    this.gridElement.innerHTML = gridHtml(
      months,
      this.grid.focusDay(),
      (day) => this.linkFor(day),
      (day) => this.cellMarks(day),
    );
    this.renderLegend();
    this.cellsDrawn([...this.grid.cells.values()]);
  }

  private renderLegend(): void {
    this.legend.innerHTML = legendHtml(this.grid.legend());
    this.revisedKey.innerHTML = revisedKeyHtml(this.grid.revisedCount());
    this.jaoWordKey.innerHTML = jaoWordKeyHtml(this.grid.jaoWordCounts());
  }

  onSelect(listener: (day: string, event: MouseEvent | null) => void): void {
    this.selectListeners.add(listener);
  }

  /** Redraws one day's cell (and the legend) in place, e.g. after its marks (cellMarks) changed. */
  redraw(day: string): void {
    if (!this.grid.inRange(day) || !this.ready) return;
    const element = this.gridElement.querySelector<HTMLElement>(`a[data-day="${day}"]`);
    if (!element) return;
    const cell = this.grid.updateCell(day);
    const template = document.createElement('template');
    template.innerHTML = cellHtml(cell, this.linkFor(day), element.tabIndex, this.cellMarks(day));
    const fresh = template.content.firstElementChild as HTMLElement;
    const focused = document.activeElement === element;
    element.replaceWith(fresh);
    if (focused) fresh.focus();
    this.renderLegend();
    if (this.grid.selected === day) this.showDetail(day);
    if (this.tooltip.day === day) this.showTooltip(fresh);
    this.cellsDrawn([cell]);
  }

  // --- live updates -------------------------------------------------------------------------------------------

  /**
   * A day named by the live feed (stored, revised, failed, or a failed re-check of its stored values): its row is
   * read again (debounced, contiguous days in one request), which redraws its status and marks.
   */
  dayChanged(day: string): void {
    this.pendingRefresh.add(day);
    if (this.ready) this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refreshPending();
    }, 150);
  }

  private async refreshPending(): Promise<void> {
    const days = [...this.pendingRefresh].filter((day) => this.grid.inRange(day)).sort();
    this.pendingRefresh.clear();
    if (days.length === 0) return;
    try {
      const answers = await Promise.all(contiguousRuns(days).map(([from, to]) => this.readDays(from, to)));
      const found = new Map(answers.flat().map((row) => [row.day, row]));
      let storedFromMoved = false;
      for (const day of days) storedFromMoved = this.grid.setRow(day, found.get(day)) || storedFromMoved;
      // An earlier first stored day turns the days after it from "not fetched" to "missing": all are laid out again.
      if (storedFromMoved) this.render();
      else for (const day of days) this.redraw(day);
      this.updateStatusLine();
    } catch {
      for (const day of days) this.pendingRefresh.add(day);
      setTimeout(() => this.scheduleRefresh(), 3_000);
    }
  }

  /**
   * Reads the whole range again and redraws the days whose record changed: a re-check that changed nothing and
   * met nothing raises no event. The browser revalidates with the answers' ETags, so an unchanged range costs 304s.
   */
  async resync(): Promise<void> {
    if (!this.ready) return;
    const [from, to, seq] = [this.grid.from, this.grid.to, this.loadSeq];
    const rows = await this.readDays(from, to);
    const words = await this.readJaoWords(from, to);
    if (seq !== this.loadSeq) return;
    const storedFrom = this.grid.storedFrom;
    // Words that could not be read this time: the last ones stay.
    const changed = new Set([
      ...this.grid.resyncRows(rows),
      ...(words ? this.grid.replaceJaoWords(words) : []),
    ]);
    if (this.grid.storedFrom !== storedFrom) this.render();
    else for (const day of changed) this.redraw(day);
  }

  private readDays(from: string, to: string): Promise<DayRow[]> {
    return this.options.api.getRange<DayRow>('/v1/days', from, to, { dataset: this.options.config.dataset });
  }

  /**
   * JAO's own word on the days of the range (GET /v1/days/jao-word); null when it cannot be read (an API from
   * before it, a request that failed): the marks are an addition, never a reason for the calendar not to show.
   */
  private async readJaoWords(from: string, to: string): Promise<JaoWordDay[] | null> {
    try {
      const dataset = this.options.config.dataset;
      return await this.options.api.getRange<JaoWordDay>('/v1/days/jao-word', from, to, { dataset });
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      return null;
    }
  }

  /** Asks which day workflows run; days that started or stopped running are redrawn (a stopped one re-read). */
  async refreshRunning(redraw = true): Promise<void> {
    let list: RunningDay[];
    try {
      list = await this.options.api.get<RunningDay[]>('/v1/days/running');
    } catch (error) {
      // Only a refused key stops the page; otherwise (Temporal away) which days run is unknown for now: the last
      // known list stays, and the status line says so.
      if (error instanceof UnauthorizedError) throw error;
      this.grid.runningUnknown(
        error instanceof ApiError ? error.message : `the API did not answer (${messageOf(error)})`,
      );
      this.updateStatusLine();
      return;
    }
    const moved = this.grid.setRunning(list, new Date().toISOString());
    if (redraw) {
      for (const day of moved) {
        if (!this.grid.isRunning(day)) this.dayChanged(day);
        this.redraw(day);
      }
    }
    this.updateStatusLine();
  }

  updateStatusLine(): void {
    if (this.ready) this.say(this.grid.statusLine(this.feedState, instantText));
  }

  private say(text: string): void {
    this.statusLine.textContent = text;
  }

  // --- interaction ------------------------------------------------------------------------------------------

  private wireGrid(): void {
    const cellOfEvent = (event: Event) => (event.target as HTMLElement).closest<HTMLElement>('a.cell');
    for (const [enter, leave] of [
      ['mouseover', 'mouseleave'],
      ['focusin', 'focusout'],
    ] as const) {
      this.gridElement.addEventListener(enter, (event) => {
        const cell = cellOfEvent(event);
        if (cell) this.showTooltip(cell);
      });
      this.gridElement.addEventListener(leave, () => this.tooltip.hide());
    }
    this.gridElement.addEventListener('click', (event) => {
      const cell = cellOfEvent(event);
      if (!cell?.dataset.day) return;
      this.select(cell.dataset.day, event);
    });
    this.gridElement.addEventListener('keydown', (event) => {
      const cell = cellOfEvent(event);
      if (!cell?.dataset.day) return;
      const target = this.grid.keyTarget(cell.dataset.day, event.key);
      if (!target) {
        if (event.key === 'Escape') this.tooltip.hide();
        return;
      }
      event.preventDefault();
      this.focusDay(target);
    });
  }

  private focusDay(day: string): void {
    const target = this.gridElement.querySelector<HTMLElement>(`a[data-day="${day}"]`);
    if (!target) return;
    for (const element of this.gridElement.querySelectorAll<HTMLElement>('a.cell[tabindex="0"]'))
      element.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  }

  /** Selects a day (its facts beside the grid); `event` is the click, when a click selected it. */
  select(day: string, event: MouseEvent | null = null): void {
    for (const listener of this.selectListeners) listener(day, event);
    if (event?.defaultPrevented) return;
    this.grid.selected = day;
    for (const element of this.gridElement.querySelectorAll('a.cell[aria-selected]'))
      element.removeAttribute('aria-selected');
    this.gridElement.querySelector(`a[data-day="${day}"]`)?.setAttribute('aria-selected', 'true');
    this.showDetail(day);
  }

  private showDetail(day: string): void {
    const startInput = this.neverRun(day) ? dayStartInput(this.options.config.dataset, day) : null;
    this.detail.show(this.grid.cellOf(day), this.grid.workflowIdOf(day), this.linkFor(day), startInput);
  }

  private showTooltip(element: HTMLElement): void {
    const day = element.dataset.day;
    if (day) this.tooltip.show(this.grid.cellOf(day), element);
  }
}
