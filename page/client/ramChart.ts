// One CNEC's RAM over days, drawn with uPlot on the market's clock: as stored now, and as known at the page's as-of
// instant (dashed, in a colour of its own) when one is set; the chosen hour shaded.
import uPlot from 'uplot';
import type { Line } from './chartData';
import {
  lonePoints,
  marketTimeAxis,
  marketTimeSeries,
  mtuSteps,
  mtuUnderCursor,
  PLOT_PADDING,
} from './marketPlot';
import { alignOnMtus, type MtuAxis } from './mtuAxis';

const RAM_COLOUR = '#0b57d0';
/** Okabe and Ito's vermillion: told from the RAM stored now where the two lines lie on each other. */
const AS_OF_COLOUR = '#d55e00';
const AS_OF_DASH = [6, 4];
const HOUR_SHADE = 'rgba(245, 158, 11, 0.22)';

/** What is drawn (read by the browser tests). */
export interface RamDrawing {
  labels: string[];
  /** The MTUs (epoch seconds) and the end of the last, then each line's RAM there (null: none). */
  data: [number[], ...(number | null)[][]];
}

export class RamChart {
  private plot: uPlot | null = null;
  drawing: RamDrawing | null = null;

  constructor(private readonly box: HTMLElement) {
    window.addEventListener('resize', () => this.plot?.setSize(this.size()));
  }

  /**
   * Draws `lines` over the MTUs of `axis` (the first solid, the others dashed), null where nothing is stored, the MTU
   * starting at `hourSeconds` shaded.
   */
  draw(axis: MtuAxis, lines: readonly Line[], hourSeconds: number | null): void {
    const data = alignOnMtus(axis, lines);
    const steps = mtuSteps();
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
    this.plot = new uPlot(
      {
        ...this.size(),
        series: [
          marketTimeSeries(),
          ...lines.map((line, index) => ({
            label: line.label,
            stroke: index === 0 ? RAM_COLOUR : AS_OF_COLOUR,
            dash: index === 0 ? [] : AS_OF_DASH,
            width: index === 0 ? 2 : 1.5,
            paths: steps,
            spanGaps: false,
            points: lonePoints(index === 0 ? RAM_COLOUR : AS_OF_COLOUR, index === 0 ? 2 : 1.5),
          })),
        ],
        padding: PLOT_PADDING,
        scales: { x: { time: true } },
        axes: [marketTimeAxis(), { label: 'RAM (MW)', size: 60 }],
        legend: {
          live: true,
          markers: { dash: (_plot, index) => (index === 1 ? 'solid' : 'dashed') },
        },
        cursor: { drag: { x: true, y: false }, dataIdx: mtuUnderCursor },
        hooks: { drawClear: [shade] },
      },
      data as uPlot.AlignedData,
      this.box,
    );
    this.drawing = { labels: lines.map((line) => line.label), data };
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(320, this.box.clientWidth || 800), height: 300 };
  }
}
