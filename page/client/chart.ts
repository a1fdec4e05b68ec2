// Borders' values over a range, drawn with uPlot, each border in its own colour; the versions of one day overlaid;
// the values as they were known at an instant (as_of); or the difference between two versions of a day. Every line
// is the API's rows as they came (chartData.ts aligns them); the CSV download is the API's answer for the same.
import type uPlot from 'uplot';
import type { DifferenceRow, RevisionRow, SeriesEntry, ValueRow } from '../../domain/apiAnswers';
import { addDays, dayStartMs } from '../../domain/calendar';
import type { Api } from './api';
import { type LineKind, type Stroke, strokeOf } from './borderColours';
import { BorderPicker } from './borderPicker';
import { dayVersions, differenceLine, type Line, lineOf, rowsByBorder, versionInstants } from './chartData';
import {
  anyTouched,
  type ChartRequest,
  csvFileName,
  csvRequest,
  type DayChange,
  datasetPath,
  linesTouched,
  mergeTouched,
  NOTHING_TOUCHED,
  type TouchedLines,
} from './chartRequest';
import { AsOfInput, dayInput, dayProblemOf } from './dayInput';
import { DifferenceForm } from './differenceForm';
import { button, h, messageOf } from './dom';
import { plotSize, stepPlot } from './marketPlot';
import { instantText, marketTimeText } from './marketTime';
import { alignOnMtus, expectedMtus, resolutionOf } from './mtuAxis';

const AS_OF_EMPTY = 'market time, Europe/Amsterdam; empty: the current values';

/** A burst of events (a backfill's days, a re-run) redraws once. */
const LIVE_DEBOUNCE_MS = 250;

/** The API's rows behind a drawing, kept so that a live redraw asks again only for the lines that moved. */
interface DrawnRows {
  request: ChartRequest;
  current: ValueRow[];
  asOf: ValueRow[] | null;
  revisions: RevisionRow[] | null;
  difference: DifferenceRow[] | null;
}

export interface ChartOptions {
  api: Api;
  tomorrow: () => string;
  /** The dataset drawn: its id and its first delivery day. */
  dataset: string;
  firstDay: string;
  /** The unit of the dataset's values (GET /v1/datasets: unit), for the value axis. */
  unit: string;
}

export class ChartView {
  readonly root: HTMLElement;
  private readonly picker: BorderPicker;
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;
  private readonly asOf: AsOfInput;
  private readonly dayInput: HTMLInputElement;
  private readonly differenceForm: DifferenceForm;
  private readonly statusLine = h('p', { class: 'status-line', 'aria-live': 'polite' });
  private readonly plotBox: HTMLElement;
  private readonly csvButton: HTMLButtonElement;
  private readonly csvNote = h('span', { class: 'hint', id: 'chart-csv-note' });
  private plot: uPlot | null = null;
  /** The time axis's ticks as last drawn (epoch seconds) and their labels (read by the browser tests). */
  axisTicks: { seconds: number[]; labels: string[] } | null = null;
  private seq = 0;
  /** The request last asked for (drawn, or being drawn). */
  private requested: ChartRequest | null = null;
  private rows: DrawnRows | null = null;
  private liveTouched: TouchedLines = NOTHING_TOUCHED;
  private liveTimer: ReturnType<typeof setTimeout> | null = null;
  /** The difference view's day and borders whose versions were last read. */
  private versionsOf = '';
  /** What is drawn: the lines' labels and strokes, uPlot's aligned data (read by the browser tests). */
  drawn: {
    request: ChartRequest;
    labels: string[];
    colours: string[];
    data: uPlot.AlignedData;
  } | null = null;

  constructor(private readonly options: ChartOptions) {
    const tomorrow = options.tomorrow();
    this.picker = new BorderPicker(
      () => void this.draw(),
      (text) => this.say(text),
    );
    const dateInput = (id: string) => dayInput(id, { min: options.firstDay, max: tomorrow });
    this.fromInput = dateInput('chart-from');
    this.toInput = dateInput('chart-to');
    this.dayInput = dateInput('chart-day');
    this.asOf = new AsOfInput('chart-as-of', AS_OF_EMPTY, () => void this.draw());
    this.differenceForm = new DifferenceForm(tomorrow, options.firstDay, () => void this.draw());
    const clearDay = button('Clear', { class: 'secondary', 'aria-label': 'Clear the revisions day' }, () => {
      this.dayInput.value = '';
      void this.draw();
    });
    this.csvButton = button(
      'Download CSV',
      { class: 'secondary', id: 'chart-csv', disabled: true },
      () => void this.downloadCsv(),
    );
    const form = h(
      'form',
      // The form says itself why a day is not one (dayInput.ts), in its status line.
      { class: 'chart-form', 'aria-label': 'What to draw', novalidate: true },
      this.picker.root,
      h(
        'div',
        {},
        h('label', { for: 'chart-from' }, 'From '),
        this.fromInput,
        h('label', { for: 'chart-to' }, ' to '),
        this.toInput,
      ),
      this.asOf.root,
      h('div', {}, h('label', { for: 'chart-day' }, "Overlay a day's revisions "), this.dayInput, clearDay),
      this.differenceForm.root,
      h('div', {}, h('button', { type: 'submit' }, 'Draw'), ' ', this.csvButton, ' ', this.csvNote),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.picker.takeTyped();
      void this.draw();
    });
    this.asOf.input.addEventListener('change', () => {
      const asOf = this.asOf.read();
      // The same instant written again (its text completed on leaving the box) draws nothing new.
      if (asOf !== undefined && asOf === (this.requested?.asOf ?? null)) return;
      void this.draw();
    });
    this.dayInput.addEventListener('change', () => void this.draw());
    this.plotBox = h('div', { class: 'plot', role: 'img', 'aria-label': 'Chart of the chosen borders' });
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
        'Drag across the chart to zoom in, double-click to zoom out. Times are market time (Europe/Amsterdam, CET or CEST), on a 24-hour clock. Each border keeps its colour while it is drawn; its values as known at an instant and the versions of a day are in its colour, dashed.',
      ),
    );
    window.addEventListener('resize', () => this.plot?.setSize(plotSize(this.plotBox, 320)));
  }

  /** The catalogue for the border search; draws the first border over the last month. */
  async start(): Promise<void> {
    let series: SeriesEntry[];
    try {
      series = await this.options.api.get<SeriesEntry[]>(datasetPath(this.options.dataset, 'series'));
    } catch (error) {
      this.root.dataset.state = 'error';
      this.say(`Could not load the catalogue of borders: ${messageOf(error)}`);
      throw error;
    }
    this.picker.setCatalogue(series);
    const tomorrow = this.options.tomorrow();
    this.fromInput.value = addDays(tomorrow, -30);
    this.toInput.value = tomorrow;
    const first = series.find((entry) => entry.values > 0) ?? series[0];
    if (first) {
      this.picker.set([first.border]);
      await this.draw();
    } else this.say('No border is stored yet.');
  }

  /**
   * What the form asks for, or why it asks for something the API would refuse. The difference view first reads the
   * day's versions (when its day or borders changed) to offer them.
   */
  private async request(): Promise<ChartRequest | string> {
    const borders = this.picker.borders;
    if (borders.length === 0) return 'Choose a border.';
    const dayProblem = this.differenceForm.toggle.checked && dayProblemOf(this.differenceForm.dayInput);
    if (dayProblem) return `Difference: ${dayProblem}`;
    if (this.differenceForm.enabled) {
      const day = this.differenceForm.day;
      await this.readVersions(day, borders);
      const pair = this.differenceForm.pair();
      if (!pair) return `${day} has fewer than two versions of ${borders.join(', ')}: nothing to compare.`;
      return { borders, from: day, to: day, asOf: null, revisionsDay: null, difference: pair };
    }
    for (const [input, name] of [
      [this.fromInput, 'From'],
      [this.toInput, 'To'],
      [this.dayInput, 'Overlay'],
    ] as const) {
      const problem = dayProblemOf(input);
      if (problem) return `${name}: ${problem}`;
    }
    const from = this.fromInput.value;
    const to = this.toInput.value;
    if (!from || !to || from > to) return 'Choose a range: from must not be after to.';
    const revisionsDay = this.dayInput.value || null;
    const asOf = this.asOf.read();
    if (asOf === undefined) return `As known at: ${this.asOf.note.textContent}`;
    return { borders, from, to, asOf, revisionsDay, difference: null };
  }

  /** The versions of `day` over `borders`, offered by the difference form (read again when the feed says so). */
  private async readVersions(day: string, borders: string[], again = false): Promise<void> {
    const key = `${day} ${borders.join(',')}`;
    if (!again && key === this.versionsOf) return;
    const rows = await this.revisionsOf(day, borders);
    this.versionsOf = key;
    this.differenceForm.showVersions(versionInstants(rows), null);
  }

  private async revisionsOf(day: string, borders: string[]): Promise<RevisionRow[]> {
    const path = datasetPath(this.options.dataset, 'revisions');
    const answers = await Promise.all(
      borders.map((border) => this.options.api.get<RevisionRow[]>(path, { border, day })),
    );
    return answers.flat();
  }

  /** Sets the form and draws (the tests and the bench drive the chart through this). */
  async drawRequest(request: ChartRequest): Promise<void> {
    this.picker.set(request.borders);
    this.fromInput.value = request.from;
    this.toInput.value = request.to;
    this.dayInput.value = request.revisionsDay ?? '';
    this.asOf.input.value = request.asOf ? instantText(request.asOf) : '';
    this.asOf.read();
    if (request.difference) {
      this.differenceForm.set(request.from, null);
      await this.readVersions(request.from, this.picker.borders);
      this.differenceForm.set(request.from, request.difference);
    } else this.differenceForm.set(null, null);
    await this.draw();
  }

  async draw(): Promise<void> {
    let request: ChartRequest | string;
    try {
      request = await this.request();
    } catch (error) {
      this.root.dataset.state = 'error';
      this.say(`Could not read the day's versions: ${messageOf(error)}`);
      return;
    }
    if (typeof request === 'string') this.say(request);
    else await this.load(request, null);
  }

  /** An event of the live feed for this dataset: the lines it may have moved are asked again, shortly. */
  dayChanged(change: DayChange): void {
    if (!this.requested) return;
    const touched = linesTouched(this.requested, change);
    if (!anyTouched(touched)) return;
    this.liveTouched = mergeTouched(this.liveTouched, touched);
    if (this.liveTimer) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = null;
      const touchedLines = this.liveTouched;
      this.liveTouched = NOTHING_TOUCHED;
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
    const { api, dataset } = this.options;
    const { from, to, difference: versions } = request;
    // The read whose CSV is what is drawn: the values (as known at the instant), or the versions' difference.
    const drawnRead = csvRequest(request, dataset);
    const again = <T>(line: keyof TouchedLines, old: T, ask: () => Promise<T>): Promise<T> =>
      kept && !kept.touched[line] ? Promise.resolve(old) : ask();
    try {
      const [current, asOf, revisions, difference] = await Promise.all([
        again('current', kept?.rows.current ?? [], async () =>
          versions
            ? []
            : api.getRange<ValueRow>(datasetPath(dataset, 'values'), from, to, { border: request.borders }),
        ),
        again('asOf', kept?.rows.asOf ?? null, async () =>
          request.asOf && !versions
            ? api.getRange<ValueRow>(drawnRead.path, from, to, drawnRead.params)
            : null,
        ),
        again('revisions', kept?.rows.revisions ?? null, async () =>
          request.revisionsDay && !versions ? this.revisionsOf(request.revisionsDay, request.borders) : null,
        ),
        again('difference', kept?.rows.difference ?? null, async () =>
          versions ? api.getRange<DifferenceRow>(drawnRead.path, from, to, drawnRead.params) : null,
        ),
      ]);
      if (seq !== this.seq) return;
      // A new version of the compared day: offered in the lists, the choice kept.
      if (kept?.touched.difference && request.difference) {
        await this.readVersions(request.from, request.borders, true).catch(() => {});
      }
      this.rows = { request, current, asOf, revisions, difference };
      const stroke = (border: string, line: LineKind) => strokeOf(this.picker.slotOf(border), line);
      const lines = difference
        ? differenceLines(request, difference, stroke)
        : valueLines(request, this.rows, stroke);
      this.render(request, lines, kept !== null);
      this.root.dataset.state = 'ready';
      this.root.dataset.renderMs = (performance.now() - started).toFixed(0);
      this.plotBox.removeAttribute('aria-busy');
      this.csvButton.disabled = false;
      this.csvNote.textContent = request.revisionsDay
        ? "the CSV holds the values drawn, not the overlaid day's versions"
        : '';
      const live = kept ? ` Redrawn from the live feed at ${instantText(new Date().toISOString())}.` : '';
      this.say(`${summaryOf(request, this.rows)}${live}`);
      this.plotBox.setAttribute('aria-label', `Chart of ${summaryOf(request, this.rows)}`);
    } catch (error) {
      if (seq !== this.seq) return;
      const problem = messageOf(error);
      // A live redraw that failed leaves the drawing as it was, and says so.
      if (kept) this.say(`Could not redraw from the live feed: ${problem}`);
      else {
        this.root.dataset.state = 'error';
        this.say(`Could not draw: ${problem}`);
      }
    }
  }

  /** The CSV of what is drawn, from the API (csvRequest), saved. */
  async downloadCsv(): Promise<void> {
    const request = this.drawn?.request;
    if (!request) return;
    try {
      const { path, params } = csvRequest(request, this.options.dataset);
      const csv = await this.options.api.getRangeCsv(path, request.from, request.to, params);
      // The key goes in a header, which a plain link cannot send: the answer is saved through a Blob URL.
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = h('a', {
        href: url,
        download: csvFileName(request, this.options.dataset),
        hidden: true,
      });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.say(`Could not download the CSV: ${messageOf(error)}`);
    }
  }

  private render(request: ChartRequest, lines: Line[], keepView: boolean): void {
    // Every MTU the range should hold, null where a line has nothing stored: a gap, never a line across it.
    const axis = expectedMtus(request.from, request.to, resolutionOf(this.options.dataset));
    const data = alignOnMtus(axis, lines) as uPlot.AlignedData;
    const labels = lines.map((line) => line.label);
    const colours = lines.map((line) => line.colour ?? '#000000');
    const zoom = keepView ? this.zoomedX() : null;
    if (keepView && this.plot && this.drawn && sameItems(this.drawn.labels, labels)) {
      // The same lines with new values: the plot keeps its place on the page and its zoom.
      this.plot.setData(data);
    } else {
      this.plot?.destroy();
      this.plot = stepPlot(
        this.plotBox,
        320,
        lines,
        data,
        request.difference ? `${this.options.unit} (newer − older)` : this.options.unit,
        {
          onTicks: (seconds, labels) => {
            this.axisTicks = { seconds, labels };
          },
        },
      );
      const focusDay = request.difference ? request.from : request.revisionsDay;
      if (focusDay && !zoom) {
        this.plot.setScale('x', {
          min: dayStartMs(focusDay) / 1000 - 3600,
          max: dayStartMs(addDays(focusDay, 1)) / 1000,
        });
      }
    }
    if (zoom) this.plot.setScale('x', zoom);
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

/** The stroke of a border's line, from its slot on the chart (borderColours.ts). */
type StrokeFor = (border: string, line: LineKind) => Stroke;

/** Each border: its values as known at the instant (dashed) when one is set, its current values, its day's versions. */
function valueLines(request: ChartRequest, rows: DrawnRows, strokeFor: StrokeFor): Line[] {
  const current = rowsByBorder(request.borders, rows.current);
  const asOf = rows.asOf ? rowsByBorder(request.borders, rows.asOf) : null;
  const revisions = rows.revisions ? rowsByBorder(request.borders, rows.revisions) : null;
  const lines: Line[] = [];
  for (const border of request.borders) {
    if (asOf && request.asOf) {
      lines.push({
        ...lineOf(`${border} as of ${instantText(request.asOf)}`, asOf.get(border) ?? []),
        ...strokeFor(border, { kind: 'asOf' }),
      });
    }
    lines.push({ ...lineOf(border, current.get(border) ?? []), ...strokeFor(border, { kind: 'current' }) });
  }
  if (revisions) {
    for (const border of request.borders) {
      dayVersions(revisions.get(border) ?? []).forEach((version, index) => {
        lines.push({
          label: `${border} ${request.revisionsDay} version ${index + 1} (from ${instantText(version.knownFrom)})`,
          values: version.values,
          ...strokeFor(border, { kind: 'version', index }),
        });
      });
    }
  }
  return lines;
}

/** Each border's change per MTU between the two versions, in its colour. */
function differenceLines(request: ChartRequest, rows: DifferenceRow[], strokeFor: StrokeFor): Line[] {
  const { base, compare } = request.difference!;
  const between = `${compare ? marketTimeText(compare) : 'current'} − ${marketTimeText(base)}`;
  const byBorder = rowsByBorder(request.borders, rows);
  return request.borders.map((border) => ({
    ...differenceLine(`${border}: ${between}`, byBorder.get(border) ?? []),
    ...strokeFor(border, { kind: 'current' }),
  }));
}

/** The status line: what is drawn, in words. */
function summaryOf(request: ChartRequest, rows: DrawnRows): string {
  const borders = request.borders.join(', ');
  if (request.difference && rows.difference) {
    const { base, compare } = request.difference;
    const changed = rows.difference.filter((row) => row.difference_mw !== 0).length;
    return `${borders} ${request.from}: ${compare ? `the version from ${marketTimeText(compare)}` : 'the current values'} minus the version from ${marketTimeText(base)}: ${changed} of ${rows.difference.length} values differ.`;
  }
  const points = (rows.asOf ?? rows.current).length;
  const versions = rows.revisions ? versionInstants(rows.revisions).length : 0;
  const overlay = request.revisionsDay ? `; ${request.revisionsDay}: ${versions} version(s)` : '';
  return `${borders} ${request.from} to ${request.to}: ${points} values${request.asOf ? ` as known at ${instantText(request.asOf)}` : ''}${overlay}.`;
}
