// The flow-based domain's view, in place of the border chart for a dataset of constraints: a delivery day (the
// calendar's selected day, or typed) and an hour of it, that hour's presolved CNECs with their RAM (cnecTable.ts),
// and a CNEC's RAM over the days around the chosen one. Rows as stored now, or as known at an instant.
import type uPlot from 'uplot';
import type { DayRow } from '../../domain/apiAnswers';
import type { Api } from './api';
import type { Line } from './chartData';
import { datasetPath } from './chartRequest';
import { cnecTable } from './cnecTable';
import { AsOfInput, dayInput, dayProblemOf } from './dayInput';
import { h, messageOf } from './dom';
import {
  type CnecLine,
  type ConstraintRow,
  type DayHour,
  dayHours,
  hourLines,
  mwText,
  RAM_DAYS_AROUND,
  ramByMtu,
  ramRange,
} from './domainData';
import { plotSize, stepPlot } from './marketPlot';
import { instantText, marketTimeText } from './marketTime';
import { alignOnMtus, expectedMtus, type MtuAxis, resolutionOf } from './mtuAxis';

const AS_OF_EMPTY = 'market time, Europe/Amsterdam; empty: as stored now';
/** A burst of events (a backfill's days) reads again once. */
const LIVE_DEBOUNCE_MS = 250;

export interface DomainOptions {
  api: Api;
  dataset: string;
  firstDay: string;
  tomorrow: () => string;
}

/** The day's rows as read, for one as-of instant (null: as stored now). */
interface DayRead {
  day: string;
  asOf: string | null;
  rows: ConstraintRow[];
}

/** The CNEC whose RAM is drawn. */
interface Chosen {
  constraintId: number;
  /** `Achene - Lonny 380.19 (DIRECT, N state), ELIA`. */
  title: string;
}

export class DomainView {
  readonly root: HTMLElement;
  private readonly dayInput: HTMLInputElement;
  private readonly hourSelect = h('select', { id: 'domain-hour' });
  private readonly asOf: AsOfInput;
  private readonly statusLine = h('p', { class: 'status-line', 'aria-live': 'polite' });
  private readonly tableBox = h('div', { class: 'cnec-table' });
  private readonly chartHeading = h('h3', { id: 'ram-heading' }, 'RAM over time');
  private readonly chartStatus = h(
    'p',
    { class: 'status-line', 'aria-live': 'polite' },
    'Choose a CNEC in the table to draw its RAM over time.',
  );
  private readonly plotBox = h('div', { class: 'plot', role: 'img', 'aria-label': 'No CNEC chosen yet' });
  private readonly chart = new RamChart(this.plotBox);
  private read: DayRead | null = null;
  private hours: DayHour[] = [];
  private chosen: Chosen | null = null;
  private ramLines: { axis: MtuAxis; lines: Line[] } | null = null;
  private daySeq = 0;
  private ramSeq = 0;
  private liveDays = new Set<string>();
  private liveTimer: ReturnType<typeof setTimeout> | null = null;
  /** What the table shows (read by the browser tests). */
  shown: { day: string; mtu: string; asOf: string | null; lines: CnecLine[] } | null = null;
  /** What the chart draws (read by the browser tests). */
  drawn: {
    constraintId: number;
    from: string;
    to: string;
    labels: string[];
    data: (number | null)[][];
  } | null = null;

  constructor(private readonly options: DomainOptions) {
    const tomorrow = options.tomorrow();
    this.dayInput = dayInput('domain-day', { min: options.firstDay, max: tomorrow });
    this.asOf = new AsOfInput('domain-as-of', AS_OF_EMPTY, () => void this.load());
    const form = h(
      'form',
      { class: 'domain-form', 'aria-label': 'Which hour of the domain', novalidate: true },
      h('div', {}, h('label', { for: 'domain-day' }, 'Delivery day '), this.dayInput),
      h('div', {}, h('label', { for: 'domain-hour' }, 'Hour (MTU) '), this.hourSelect),
      this.asOf.root,
      h('div', {}, h('button', { type: 'submit' }, 'Show')),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.load();
    });
    this.dayInput.addEventListener('change', () => void this.load());
    this.asOf.input.addEventListener('change', () => void this.load());
    this.hourSelect.addEventListener('change', () => this.renderHour());
    this.root = h(
      'section',
      { class: 'domain-section', 'aria-labelledby': 'domain-heading' },
      h('h2', { id: 'domain-heading' }, 'Flow-based domain: presolved CNECs'),
      form,
      this.statusLine,
      this.tableBox,
      h(
        'div',
        { class: 'ram-chart', role: 'region', 'aria-labelledby': 'ram-heading' },
        this.chartHeading,
        this.chartStatus,
        this.plotBox,
        h(
          'p',
          { class: 'hint' },
          `The chosen CNEC's RAM, hourly, from ${RAM_DAYS_AROUND} days before the chosen day to ${RAM_DAYS_AROUND} days after it, the chosen hour shaded. Times are market time (Europe/Amsterdam, CET or CEST). With an as-of instant, its RAM as known then is dashed beside the RAM stored now. Drag across the chart to zoom in, double-click to zoom out.`,
        ),
      ),
    );
  }

  /**
   * Shows a day (the last stored day when the page opens, then the calendar's selected one), keeping the hour's place
   * in the day and the CNEC drawn.
   */
  async showDay(day: string): Promise<void> {
    this.dayInput.value = day;
    await this.load();
  }

  /** An event of the live feed for this dataset: the shown day read again, the chart redrawn when it covers it. */
  dayChanged(day: string): void {
    this.liveDays.add(day);
    if (this.liveTimer) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = null;
      const days = [...this.liveDays];
      this.liveDays.clear();
      if (this.read && days.includes(this.read.day)) void this.load(true);
      else if (this.drawn && days.some((each) => this.drawn!.from <= each && each <= this.drawn!.to))
        void this.drawRam();
    }, LIVE_DEBOUNCE_MS);
  }

  /** Reads the chosen day's rows (`again`: even when already read), then shows its hour and redraws the CNEC. */
  private async load(again = false): Promise<void> {
    const day = this.dayInput.value;
    const asOf = this.asOf.read();
    if (!day) return this.say('Choose a delivery day.');
    const dayProblem = dayProblemOf(this.dayInput);
    if (dayProblem) return this.say(`Delivery day: ${dayProblem}`);
    if (asOf === undefined) return this.say(`As known at: ${this.asOf.note.textContent}`);
    const seq = ++this.daySeq;
    const same = this.read?.day === day && this.read.asOf === asOf;
    if (!same || again) {
      this.root.dataset.state = 'loading';
      this.tableBox.setAttribute('aria-busy', 'true');
      let rows: ConstraintRow[];
      try {
        rows = await this.options.api.get<ConstraintRow[]>(datasetPath(this.options.dataset, 'constraints'), {
          from: day,
          to: day,
          as_of: asOf ?? undefined,
        });
      } catch (error) {
        if (seq !== this.daySeq) return;
        this.root.dataset.state = 'error';
        this.tableBox.removeAttribute('aria-busy');
        return this.say(`Could not read ${day}: ${messageOf(error)}`);
      }
      if (seq !== this.daySeq) return;
      const hourIndex = Math.max(0, this.hourSelect.selectedIndex);
      this.read = { day, asOf, rows };
      this.fillHours(day, rows, hourIndex);
    }
    if (!this.read?.rows.length) await this.showNothingStored(day, asOf, seq);
    else this.renderHour();
    if (seq !== this.daySeq) return;
    this.root.dataset.state = 'ready';
    this.tableBox.removeAttribute('aria-busy');
    if (this.chosen && (!same || again)) await this.drawRam();
  }

  /** The day's hours in the hour list, each with its count of CNECs; the hour at `index` kept chosen. */
  private fillHours(day: string, rows: readonly ConstraintRow[], index: number): void {
    this.hours = dayHours(day);
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(Date.parse(row.mtu), (counts.get(Date.parse(row.mtu)) ?? 0) + 1);
    this.hourSelect.replaceChildren(
      ...this.hours.map((hour) => {
        const count = counts.get(Date.parse(hour.mtu)) ?? 0;
        return h('option', { value: hour.mtu }, `${hour.label} (${count} CNEC${count === 1 ? '' : 's'})`);
      }),
    );
    this.hourSelect.selectedIndex = Math.min(index, this.hours.length - 1);
    // A day without a row has no hour to choose.
    this.hourSelect.disabled = rows.length === 0;
  }

  /** The chosen hour's table, or why it has none. */
  private renderHour(): void {
    const read = this.read;
    const mtu = this.hourSelect.value;
    if (!read || !mtu) return;
    const lines = hourLines(read.rows, mtu);
    this.shown = { day: read.day, mtu, asOf: read.asOf, lines };
    const hour = this.hours.find((each) => each.mtu === mtu)?.label ?? marketTimeText(mtu);
    const known = read.asOf ? ` as known at ${instantText(read.asOf)}` : '';
    if (lines.length === 0) {
      this.tableBox.replaceChildren(
        h(
          'p',
          { class: 'empty' },
          `No presolved constraint stored for this hour (${read.day} ${hour})${known}.`,
        ),
      );
      this.say(
        `${read.day}: ${read.rows.length} presolved rows stored for the day${known}, none in this hour.`,
      );
    } else {
      const caption = `${lines.length} presolved constraint${lines.length === 1 ? '' : 's'} of ${read.day}, hour ${hour}${known}: the network elements first, the most limiting (lowest RAM) first in each group`;
      this.tableBox.replaceChildren(
        cnecTable(lines, caption, this.chosen?.constraintId ?? null, (line) => void this.choose(line)),
      );
      const cnecs = lines.filter((line) => line.kind === 'cnec');
      const least = cnecs[0];
      this.say(
        least
          ? `${cnecs.length} presolved CNECs in ${read.day} ${hour}${known}; the lowest RAM of a network element is ${mwText(least.ram)} MW (${least.cneName}).`
          : `${lines.length} presolved constraints in ${read.day} ${hour}${known}, none of them a network element.`,
      );
    }
    if (this.ramLines) this.chart.draw(this.ramLines.axis, this.ramLines.lines, Date.parse(mtu) / 1000);
  }

  /** No row of the day: whether the day is not stored yet, or stored without a domain (its status and reason). */
  private async showNothingStored(day: string, asOf: string | null, seq: number): Promise<void> {
    this.shown = { day, mtu: this.hourSelect.value, asOf, lines: [] };
    const days = await this.options.api
      .get<DayRow[]>('/v1/days', { from: day, to: day, dataset: this.options.dataset })
      .catch((): DayRow[] => []);
    const record = days.find((row) => row.day === day);
    if (seq !== this.daySeq) return;
    const known = asOf ? ` as known at ${instantText(asOf)}` : '';
    const why = !record
      ? `${day} is not stored yet: its domain has not been fetched.`
      : record.status === 'not_published'
        ? `JAO published no presolved constraint for ${day}.`
        : `${day} is stored as ${record.status}${record.reason ? ` (${record.reason})` : ''}, with no constraint${known}.`;
    const message = asOf && record ? `No constraint of ${day} was stored${known}.` : why;
    this.tableBox.replaceChildren(h('p', { class: 'empty' }, message));
    this.say('');
  }

  /** Draws the RAM of `line`'s constraint over the days around the chosen one. */
  private async choose(line: CnecLine): Promise<void> {
    this.chosen = {
      constraintId: line.constraintId,
      title: `${line.cneName} (${line.direction}, ${line.contingency}), ${line.tso}`,
    };
    for (const row of this.tableBox.querySelectorAll<HTMLTableRowElement>('tbody tr')) {
      const isChosen = row.dataset.constraintId === String(line.constraintId);
      row.classList.toggle('chosen', isChosen);
      row.querySelector('button')?.setAttribute('aria-pressed', String(isChosen));
    }
    await this.drawRam();
  }

  private async drawRam(): Promise<void> {
    const chosen = this.chosen;
    const read = this.read;
    if (!chosen || !read) return;
    const seq = ++this.ramSeq;
    const [from, to] = ramRange(read.day, this.options.firstDay, this.options.tomorrow());
    const path = datasetPath(this.options.dataset, 'constraints');
    const ids = { constraint_id: String(chosen.constraintId) };
    this.chartHeading.textContent = `RAM of ${chosen.title}`;
    this.plotBox.setAttribute('aria-busy', 'true');
    this.root.dataset.ram = 'loading';
    try {
      const [current, asOf] = await Promise.all([
        this.options.api.getRange<ConstraintRow>(path, from, to, ids),
        read.asOf
          ? this.options.api.getRange<ConstraintRow>(path, from, to, { ...ids, as_of: read.asOf })
          : Promise.resolve(null),
      ]);
      if (seq !== this.ramSeq) return;
      const lines: Line[] = [
        { label: asOf ? 'RAM stored now (MW)' : 'RAM (MW)', values: ramByMtu(current), colour: RAM_COLOUR },
      ];
      if (asOf) {
        const label = `RAM as known at ${instantText(read.asOf)} (MW)`;
        lines.push({ label, values: ramByMtu(asOf), colour: AS_OF_COLOUR, dash: AS_OF_DASH });
      }
      // Every MTU of the days, null where no RAM is stored: a gap, and a lone hour a step of its own.
      const axis = expectedMtus(from, to, resolutionOf(this.options.dataset));
      this.ramLines = { axis, lines };
      const data = this.chart.draw(
        axis,
        lines,
        this.hourSelect.value ? Date.parse(this.hourSelect.value) / 1000 : null,
      );
      this.drawn = {
        constraintId: chosen.constraintId,
        from,
        to,
        labels: lines.map((line) => line.label),
        data: data.map((column) => [...column]),
      };
      const summary = ramSummary(current, from, to);
      this.chartStatus.textContent = summary;
      this.plotBox.setAttribute('aria-label', `RAM of ${chosen.title}: ${summary}`);
      this.root.dataset.ram = 'ready';
    } catch (error) {
      if (seq !== this.ramSeq) return;
      this.root.dataset.ram = 'error';
      this.chartStatus.textContent = `Could not draw the RAM: ${messageOf(error)}`;
    } finally {
      if (seq === this.ramSeq) this.plotBox.removeAttribute('aria-busy');
    }
  }

  private say(text: string): void {
    this.statusLine.textContent = text;
  }
}

const RAM_COLOUR = '#0b57d0';
/** Okabe and Ito's vermillion: told from the RAM stored now where the two lines lie on each other. */
const AS_OF_COLOUR = '#d55e00';
const AS_OF_DASH = [6, 4];
const HOUR_SHADE = 'rgba(245, 158, 11, 0.22)';

/** One CNEC's RAM over days on the market's clock, the chosen hour shaded. */
class RamChart {
  private plot: uPlot | null = null;

  constructor(private readonly box: HTMLElement) {
    window.addEventListener('resize', () => this.plot?.setSize(plotSize(this.box, 300)));
  }

  /**
   * Draws `lines` over the MTUs of `axis`, null where nothing is stored, the MTU starting at `hourSeconds` shaded;
   * returns the MTUs (epoch seconds) and the end of the last, then each line's RAM there (null: none).
   */
  draw(axis: MtuAxis, lines: readonly Line[], hourSeconds: number | null): (number | null)[][] {
    const data = alignOnMtus(axis, lines);
    const shade = (plot: uPlot) => {
      if (hourSeconds === null) return;
      const left = plot.valToPos(hourSeconds, 'x', true);
      const right = plot.valToPos(hourSeconds + 3600, 'x', true);
      const { ctx, bbox } = plot;
      ctx.save();
      ctx.fillStyle = HOUR_SHADE;
      ctx.fillRect(left, bbox.top, Math.max(2, right - left), bbox.height);
      ctx.restore();
    };
    this.plot?.destroy();
    this.plot = stepPlot(this.box, 300, lines, data as uPlot.AlignedData, 'RAM (MW)', {
      hooks: { drawClear: [shade] },
    });
    return data;
  }
}

/** `72 hourly values from 2024-12-31 to 2025-01-04; the lowest 1,234 MW at 2025-01-01 05:00 CET.` */
function ramSummary(current: readonly ConstraintRow[], from: string, to: string): string {
  const withRam = current.filter((row) => row.ram !== null);
  if (withRam.length === 0) return `No RAM stored for this CNEC from ${from} to ${to}.`;
  const least = withRam.reduce((low, row) => (row.ram! < low.ram! ? row : low));
  return `${withRam.length} hourly value${withRam.length === 1 ? '' : 's'} from ${from} to ${to} (as stored now); the lowest ${mwText(least.ram)} MW at ${marketTimeText(least.mtu)}.`;
}
