// A border's values over a range, drawn with uPlot; the versions of one day overlaid; the values as they were
// known at an instant (as_of). Every line is the API's rows as they came (chartData.ts aligns them).
import uPlot from 'uplot';
import { addDays, dayStartMs, GO_LIVE_DAY } from '../../domain/calendar';
import type { Api } from './api';
import {
  AS_OF_COLOUR,
  alignLines,
  CURRENT_COLOUR,
  dayVersions,
  type Line,
  lineOf,
  versionColour,
} from './chartData';
import { h, utcText } from './dom';
import { marketAxisLabels, marketTimeText } from './marketTime';
import type { RevisionRow, SeriesEntry, ValueRow } from './types';

const VALUES_PATH = '/v1/datasets/maxExchanges/values';
const REVISIONS_PATH = '/v1/datasets/maxExchanges/revisions';

export interface ChartRequest {
  border: string;
  from: string;
  to: string;
  /** ISO-8601 instant, or null for the current values. */
  asOf: string | null;
  /** A day whose versions are overlaid, or null. */
  revisionsDay: string | null;
}

/** A change the live feed announced: its day and, for the pipeline's events, when it was stored. */
export interface DayChange {
  day: unknown;
  raisedAt?: unknown;
}

/** Which of a drawing's lines a change may have moved. */
export interface TouchedLines {
  current: boolean;
  asOf: boolean;
  revisions: boolean;
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** A burst of events (a backfill's days, a re-run) redraws once. */
const LIVE_DEBOUNCE_MS = 250;

/**
 * The lines of `request` a change may have moved. A day in the range moves the current values; the values as
 * known at an instant only when the change was stored at or before that instant (an event's raisedAt is its
 * write's transaction time, the valid_from of what it stored), or when the event does not say when. The
 * overlaid day's versions move when that day changes.
 */
export function linesTouched(request: ChartRequest, change: DayChange): TouchedLines {
  const none = { current: false, asOf: false, revisions: false };
  const day = change.day;
  if (typeof day !== 'string' || !DAY_PATTERN.test(day)) return none;
  const inRange = request.from <= day && day <= request.to;
  const storedAt = typeof change.raisedAt === 'string' ? Date.parse(change.raisedAt) : Number.NaN;
  const beforeAsOf =
    request.asOf !== null && (Number.isNaN(storedAt) || storedAt <= Date.parse(request.asOf));
  return { current: inRange, asOf: inRange && beforeAsOf, revisions: day === request.revisionsDay };
}

/** The API's rows behind a drawing, kept so that a live redraw asks again only for the lines that moved. */
interface DrawnRows {
  request: ChartRequest;
  current: ValueRow[];
  asOf: ValueRow[] | null;
  revisions: RevisionRow[] | null;
}

export interface ChartOptions {
  api: Api;
  tomorrow: () => string;
}

export class ChartView {
  readonly root: HTMLElement;
  private readonly borderInput: HTMLInputElement;
  private readonly borderList: HTMLDataListElement;
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;
  private readonly asOfInput: HTMLInputElement;
  private readonly asOfNote: HTMLElement;
  private readonly dayInput: HTMLInputElement;
  private readonly statusLine: HTMLElement;
  private readonly plotBox: HTMLElement;
  private borders = new Map<string, SeriesEntry>();
  private plot: uPlot | null = null;
  private seq = 0;
  /** The request last asked for (drawn, or being drawn). */
  private requested: ChartRequest | null = null;
  private rows: DrawnRows | null = null;
  private liveTouched: TouchedLines = { current: false, asOf: false, revisions: false };
  private liveTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly csvButton: HTMLButtonElement;
  /** What is drawn: the lines' labels and colours, uPlot's aligned data (read by the browser tests). */
  drawn: { request: ChartRequest; labels: string[]; colours: string[]; data: uPlot.AlignedData } | null =
    null;

  constructor(private readonly options: ChartOptions) {
    const tomorrow = options.tomorrow();
    this.borderInput = h('input', {
      id: 'chart-border',
      list: 'chart-borders',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'type to search, e.g. DE_FR',
      required: true,
    });
    this.borderList = h('datalist', { id: 'chart-borders' });
    const dateInput = (id: string) => h('input', { type: 'date', id, min: GO_LIVE_DAY, max: tomorrow });
    this.fromInput = dateInput('chart-from');
    this.toInput = dateInput('chart-to');
    this.dayInput = dateInput('chart-day');
    this.asOfInput = h('input', { type: 'datetime-local', id: 'chart-as-of', step: 1 });
    this.asOfNote = h('span', { class: 'hint', id: 'chart-as-of-note' }, 'empty: the current values');
    this.asOfInput.setAttribute('aria-describedby', 'chart-as-of-note');
    const clear = (input: HTMLInputElement, label: string) => {
      const button = h('button', { type: 'button', class: 'secondary', 'aria-label': label }, 'Clear');
      button.addEventListener('click', () => {
        input.value = '';
        this.updateAsOfNote();
        void this.draw();
      });
      return button;
    };
    this.csvButton = h(
      'button',
      { type: 'button', class: 'secondary', id: 'chart-csv', disabled: true },
      'Download CSV',
    );
    this.csvButton.addEventListener('click', () => void this.downloadCsv());
    const form = h(
      'form',
      { class: 'chart-form', 'aria-label': 'What to draw' },
      h('div', {}, h('label', { for: 'chart-border' }, 'Border '), this.borderInput, this.borderList),
      h(
        'div',
        {},
        h('label', { for: 'chart-from' }, 'From '),
        this.fromInput,
        h('label', { for: 'chart-to' }, ' to '),
        this.toInput,
      ),
      h(
        'div',
        {},
        h('label', { for: 'chart-as-of' }, 'As known at '),
        this.asOfInput,
        clear(this.asOfInput, 'Clear the as-of instant'),
        ' ',
        this.asOfNote,
      ),
      h(
        'div',
        {},
        h('label', { for: 'chart-day' }, "Overlay a day's revisions "),
        this.dayInput,
        clear(this.dayInput, 'Clear the revisions day'),
      ),
      h('div', {}, h('button', { type: 'submit' }, 'Draw'), ' ', this.csvButton),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.draw();
    });
    this.asOfInput.addEventListener('change', () => {
      this.updateAsOfNote();
      void this.draw();
    });
    this.dayInput.addEventListener('change', () => void this.draw());
    this.statusLine = h('p', { class: 'status-line', 'aria-live': 'polite' });
    this.plotBox = h('div', { class: 'plot', role: 'img', 'aria-label': 'Chart of the chosen border' });
    this.root = h(
      'section',
      { class: 'chart-section', 'aria-labelledby': 'chart-heading' },
      h('h2', { id: 'chart-heading' }, 'Border values'),
      form,
      this.statusLine,
      this.plotBox,
      h(
        'p',
        { class: 'hint' },
        'Drag across the chart to zoom in, double-click to zoom out. Times are market time (Europe/Amsterdam, CET or CEST), on a 24-hour clock.',
      ),
    );
    window.addEventListener('resize', () => this.plot?.setSize(this.size()));
  }

  /** The catalogue for the border search; draws the first border over the last month. */
  async start(): Promise<void> {
    let series: SeriesEntry[];
    try {
      series = await this.options.api.get<SeriesEntry[]>('/v1/datasets/maxExchanges/series');
    } catch (error) {
      this.root.dataset.state = 'error';
      this.say(
        `Could not load the catalogue of borders: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
    this.borders = new Map(series.map((entry) => [entry.border, entry]));
    this.borderList.replaceChildren(
      ...series.map((entry) =>
        h(
          'option',
          { value: entry.border },
          `${entry.from_zone} → ${entry.to_zone}${entry.last_day ? ` (to ${entry.last_day})` : ' (no values)'}`,
        ),
      ),
    );
    const tomorrow = this.options.tomorrow();
    this.fromInput.value = addDays(tomorrow, -30);
    this.toInput.value = tomorrow;
    const first = series.find((entry) => entry.values > 0) ?? series[0];
    if (first) {
      this.borderInput.value = first.border;
      await this.draw();
    } else this.say('No border is stored yet.');
  }

  private updateAsOfNote(): void {
    const asOf = this.asOfValue();
    this.asOfNote.textContent = asOf ? `your browser's time, sent as ${asOf}` : 'empty: the current values';
  }

  private asOfValue(): string | null {
    if (!this.asOfInput.value) return null;
    const date = new Date(this.asOfInput.value);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }

  /** What the form asks for; null (and a message) when it asks for something the API would refuse. */
  private request(): ChartRequest | null {
    const border = this.borderInput.value.trim().toUpperCase();
    if (!this.borders.has(border)) {
      this.say(border ? `No border ${border} in the catalogue.` : 'Choose a border.');
      return null;
    }
    const from = this.fromInput.value;
    const to = this.toInput.value;
    if (!from || !to || from > to) {
      this.say('Choose a range: from must not be after to.');
      return null;
    }
    return { border, from, to, asOf: this.asOfValue(), revisionsDay: this.dayInput.value || null };
  }

  /** Sets the form and draws (the tests and the bench drive the chart through this). */
  async drawRequest(request: ChartRequest): Promise<void> {
    this.borderInput.value = request.border;
    this.fromInput.value = request.from;
    this.toInput.value = request.to;
    this.dayInput.value = request.revisionsDay ?? '';
    if (request.asOf) {
      const local = new Date(request.asOf);
      const pad = (n: number) => String(n).padStart(2, '0');
      this.asOfInput.value = `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}T${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}`;
    } else this.asOfInput.value = '';
    this.updateAsOfNote();
    await this.draw();
  }

  async draw(): Promise<void> {
    const request = this.request();
    if (request) await this.load(request, null);
  }

  /** An event of the live feed for this dataset: the lines it may have moved are asked again, shortly. */
  dayChanged(change: DayChange): void {
    if (!this.requested) return;
    const touched = linesTouched(this.requested, change);
    if (!touched.current && !touched.asOf && !touched.revisions) return;
    this.liveTouched = {
      current: this.liveTouched.current || touched.current,
      asOf: this.liveTouched.asOf || touched.asOf,
      revisions: this.liveTouched.revisions || touched.revisions,
    };
    if (this.liveTimer) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = null;
      const touchedLines = this.liveTouched;
      this.liveTouched = { current: false, asOf: false, revisions: false };
      const request = this.requested;
      if (!request) return;
      // A drawing still loading (or one that failed) is asked again whole; a drawn one, only where it moved.
      const rows = this.rows?.request === request ? this.rows : null;
      void this.load(request, rows && { rows, touched: touchedLines });
    }, LIVE_DEBOUNCE_MS);
  }

  /**
   * Draws `request`. `kept`: a live redraw of the drawing these rows made, asking again only for the touched
   * lines, keeping the zoom and the plot (no "loading" state, no new plot when the lines are the same).
   */
  private async load(request: ChartRequest, kept: { rows: DrawnRows; touched: TouchedLines } | null) {
    this.requested = request;
    const seq = ++this.seq;
    if (!kept) {
      this.root.dataset.state = 'loading';
      this.plotBox.setAttribute('aria-busy', 'true');
    }
    const started = performance.now();
    const { api } = this.options;
    const params = { border: request.border };
    const again = <T>(line: keyof TouchedLines, old: T, ask: () => Promise<T>): Promise<T> =>
      kept && !kept.touched[line] ? Promise.resolve(old) : ask();
    try {
      const [current, asOf, revisions] = await Promise.all([
        again('current', kept?.rows.current ?? [], () =>
          api.getRange<ValueRow>(VALUES_PATH, request.from, request.to, params),
        ),
        again('asOf', kept?.rows.asOf ?? null, () =>
          request.asOf
            ? api.getRange<ValueRow>(VALUES_PATH, request.from, request.to, {
                ...params,
                as_of: request.asOf,
              })
            : Promise.resolve(null),
        ),
        again('revisions', kept?.rows.revisions ?? null, () =>
          request.revisionsDay
            ? api.get<RevisionRow[]>(REVISIONS_PATH, { border: request.border, day: request.revisionsDay })
            : Promise.resolve(null),
        ),
      ]);
      if (seq !== this.seq) return;
      this.rows = { request, current, asOf, revisions };
      const currentLine = { ...lineOf('current', current), colour: CURRENT_COLOUR };
      const lines: Line[] = asOf
        ? [{ ...lineOf(`as of ${utcText(request.asOf)}`, asOf), colour: AS_OF_COLOUR }, currentLine]
        : [currentLine];
      const versions = revisions ? dayVersions(revisions) : [];
      versions.forEach((version, index) => {
        lines.push({
          label: `${request.revisionsDay} version ${index + 1} (from ${utcText(version.knownFrom)})`,
          values: version.values,
          colour: versionColour(index),
        });
      });
      this.render(request, lines, kept !== null);
      const ms = performance.now() - started;
      this.root.dataset.state = 'ready';
      this.root.dataset.renderMs = ms.toFixed(0);
      this.plotBox.removeAttribute('aria-busy');
      this.csvButton.disabled = false;
      const points = (asOf ?? current).length;
      const overlay = request.revisionsDay ? `; ${request.revisionsDay}: ${versions.length} version(s)` : '';
      const live = kept ? ` Redrawn from the live feed at ${utcText(new Date().toISOString())}.` : '';
      this.say(
        `${request.border} ${request.from} to ${request.to}: ${points} values${request.asOf ? ` as known at ${utcText(request.asOf)}` : ''}${overlay}.${live}`,
      );
      this.plotBox.setAttribute(
        'aria-label',
        `Chart of ${request.border}: ${points} values from ${request.from} to ${request.to}`,
      );
    } catch (error) {
      if (seq !== this.seq) return;
      const problem = error instanceof Error ? error.message : String(error);
      // A live redraw that failed leaves the drawing as it was, and says so.
      if (kept) this.say(`Could not redraw from the live feed: ${problem}`);
      else {
        this.root.dataset.state = 'error';
        this.say(`Could not draw: ${problem}`);
      }
    }
  }

  /** The CSV of what is drawn (the values as known at the instant when one is set), from the API, saved. */
  async downloadCsv(): Promise<void> {
    const request = this.drawn?.request;
    if (!request) return;
    try {
      const csv = await this.options.api.getRangeCsv(VALUES_PATH, request.from, request.to, {
        border: request.border,
        as_of: request.asOf ?? undefined,
      });
      // The key goes in a header, which a plain link cannot send: the answer is saved through a Blob URL.
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = h('a', { href: url, download: csvFileName(request), hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.say(`Could not download the CSV: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(320, this.plotBox.clientWidth || 800), height: 320 };
  }

  private render(request: ChartRequest, lines: Line[], keepView: boolean): void {
    const data = alignLines(lines) as uPlot.AlignedData;
    const labels = lines.map((line) => line.label);
    const colours = lines.map((line) => line.colour ?? CURRENT_COLOUR);
    const zoom = keepView ? this.zoomedX() : null;
    if (keepView && this.plot && this.drawn && sameItems(this.drawn.labels, labels)) {
      // The same lines with new values: the plot keeps its place on the page and its zoom.
      this.plot.setData(data);
      if (zoom) this.plot.setScale('x', zoom);
      this.drawn = { request, labels, colours, data };
      return;
    }
    // Each MTU's value holds until the next MTU starts: drawn as steps.
    const steps = uPlot.paths.stepped?.({ align: 1 });
    const series: uPlot.Series[] = [
      {
        value: (_plot, seconds) =>
          seconds == null ? '—' : marketTimeText(new Date(seconds * 1000).toISOString()),
      },
      ...lines.map((line, index) => ({
        label: line.label,
        stroke: line.colour ?? CURRENT_COLOUR,
        paths: steps,
        width: index === 0 ? 1.5 : 1,
        dash: line.label === 'current' && index > 0 ? [6, 4] : undefined,
        spanGaps: false,
        points: { show: false },
      })),
    ];
    this.plot?.destroy();
    this.plot = new uPlot(
      {
        ...this.size(),
        series,
        scales: { x: { time: true } },
        axes: [
          { values: (_plot, splits) => marketAxisLabels(splits), size: 50 },
          { label: 'MW', size: 60 },
        ],
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
      },
      data,
      this.plotBox,
    );
    if (zoom) this.plot.setScale('x', zoom);
    else if (request.revisionsDay) {
      this.plot.setScale('x', {
        min: dayStartMs(request.revisionsDay) / 1000 - 3600,
        max: dayStartMs(addDays(request.revisionsDay, 1)) / 1000,
      });
    }
    this.drawn = { request, labels, colours, data };
  }

  /** The x range the user zoomed to (or the overlaid day's), null when the plot shows all its data. */
  private zoomedX(): { min: number; max: number } | null {
    const xs = this.drawn?.data[0];
    const scale = this.plot?.scales.x;
    if (!xs || xs.length === 0 || scale?.min == null || scale.max == null) return null;
    const zoomed = scale.min > xs[0]! || scale.max < xs[xs.length - 1]!;
    return zoomed ? { min: scale.min, max: scale.max } : null;
  }

  private say(text: string): void {
    this.statusLine.textContent = text;
  }
}

const sameItems = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, index) => item === b[index]);

/** maxExchanges_AT_BE_2025-03-30_2025-03-31[_as_of_20250331T120000Z].csv */
export function csvFileName(request: ChartRequest): string {
  const asOf = request.asOf ? `_as_of_${request.asOf.replace(/[-:]|\.\d+/g, '')}` : '';
  return `maxExchanges_${request.border}_${request.from}_${request.to}${asOf}.csv`;
}
