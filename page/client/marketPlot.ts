// What every uPlot chart of the page shares: the time axis on the market's clock, and an MTU's value drawn as a step
// that holds until the next MTU starts, a gap where none is stored.
import uPlot from 'uplot';
import type { Line } from './chartData';
import { MARKET_TICK_INCREMENTS, marketAxisLabels, marketTicks, marketTimeText } from './marketTime';
import { loneIndices } from './mtuAxis';

/**
 * The x axis: ticks on the market's clock (its midnights, its whole hours), not the browser's; a label is
 * `HH:MM CEST` (and its date), ticks at least 90 px apart, so that labels never run together. `onTicks` is told
 * each labelling (the browser tests read it).
 */
function marketTimeAxis(onTicks: (seconds: number[], labels: string[]) => void = () => {}): uPlot.Axis {
  return {
    incrs: MARKET_TICK_INCREMENTS,
    splits: (_plot, _axis, min, max, increment) => marketTicks(min, max, increment),
    values: (_plot, splits) => {
      const labels = marketAxisLabels(splits);
      onTicks([...splits], labels);
      return labels;
    },
    size: 50,
    space: 90,
  };
}

/**
 * Room on the plot's right (CSS px; the other sides as uPlot pads them) for half the widest time label
 * (`00:00 CEST` over `2026-11-15`), which uPlot centres on a tick that may be the plot's right edge.
 */
const PLOT_PADDING: uPlot.Padding = [null, 48, null, null];

/** The x series: the cursor's instant in market time (a fresh object: a plot keeps its own). */
const marketTimeSeries = (): uPlot.Series => ({
  value: (_plot, seconds) => (seconds == null ? '—' : marketTimeText(new Date(seconds * 1000).toISOString())),
});

/**
 * Each MTU's value drawn as a step from the MTU's start to the next x: the data's x is every expected MTU, then the
 * end of the last (mtuAxis.ts), so each step is as wide as its MTU, the last one included. An MTU without a value
 * (null) draws nothing: the line breaks there, and a value with none beside it is still a step of its MTU's width.
 */
const mtuSteps =
  (): uPlot.Series.PathBuilder =>
  (plot, seriesIndex, firstIndex, lastIndex): uPlot.Series.Paths => {
    const xs = plot.data[0];
    const ys = plot.data[seriesIndex]!;
    const stroke = new Path2D();
    const px = (x: number) => Math.round(plot.valToPos(x, 'x', true));
    const py = (y: number) => Math.round(plot.valToPos(y, plot.series[seriesIndex]!.scale ?? 'y', true));
    let drawing = false;
    for (let index = Math.max(0, firstIndex - 1); index <= lastIndex && index < xs.length - 1; index++) {
      const y = ys[index];
      if (y == null) {
        drawing = false;
        continue;
      }
      const top = py(y);
      // From the step before (a riser where the value changes), or a new piece of line after a gap.
      if (drawing) stroke.lineTo(px(xs[index]!), top);
      else stroke.moveTo(px(xs[index]!), top);
      stroke.lineTo(px(xs[index + 1]!), top);
      drawing = true;
    }
    return { stroke, fill: null, clip: null, flags: 0 };
  };

/** The cursor reads the MTU it is over (the last x at or before it), never the end of the last MTU. */
const mtuUnderCursor = (plot: uPlot, _seriesIndex: number, closestIndex: number, xValue: number): number => {
  const xs = plot.data[0];
  let index = closestIndex;
  while (index > 0 && xs[index]! > xValue) index--;
  while (index + 1 < xs.length - 1 && xs[index + 1]! <= xValue) index++;
  return Math.min(index, Math.max(0, xs.length - 2));
};

/**
 * A point on each value with no value beside it (an MTU between two gaps): seen at any zoom, even where its step is
 * a pixel wide.
 */
const lonePoints = (colour: string, lineWidth: number): uPlot.Series.Points => ({
  show: false,
  size: Math.max(6, lineWidth * 3),
  width: 0,
  stroke: colour,
  fill: colour,
  filter: (plot, seriesIndex) => {
    const lone = loneIndices(plot.data[seriesIndex] as readonly (number | null | undefined)[]);
    return lone.length > 0 ? lone : null;
  },
});

/** A plot's size in its box (800 px wide before the box is laid out, never under 320). */
export const plotSize = (box: HTMLElement, height: number) => ({
  width: Math.max(320, box.clientWidth || 800),
  height,
});

/**
 * A plot of `lines` (aligned on their MTUs: mtuAxis.ts) in `box`: each MTU's value a step in its line's stroke
 * (black and solid when it has none), a dashed line thinner than a solid one, the x range zoomed by dragging.
 * `onTicks` is told each labelling of the time axis; `hooks` are uPlot's.
 */
export function stepPlot(
  box: HTMLElement,
  height: number,
  lines: readonly Line[],
  data: uPlot.AlignedData,
  valueLabel: string,
  extra: { onTicks?: (seconds: number[], labels: string[]) => void; hooks?: uPlot.Hooks.Arrays } = {},
): uPlot {
  const dashes = lines.map((line) => line.dash ?? []);
  return new uPlot(
    {
      ...plotSize(box, height),
      series: [
        marketTimeSeries(),
        ...lines.map((line, index) => {
          const colour = line.colour ?? '#000000';
          const width = dashes[index]!.length > 0 ? 1.5 : 2;
          return {
            label: line.label,
            stroke: colour,
            paths: mtuSteps(),
            width,
            dash: dashes[index],
            spanGaps: false,
            points: lonePoints(colour, width),
          };
        }),
      ],
      padding: PLOT_PADDING,
      scales: { x: { time: true } },
      axes: [marketTimeAxis(extra.onTicks), { label: valueLabel, size: 60 }],
      legend: {
        live: true,
        // The legend's marks hint at each line's dash (CSS has three kinds: solid, dashed, dotted).
        markers: {
          dash: (_plot, index) => {
            const dash = dashes[index - 1] ?? [];
            return dash.length === 0 ? 'solid' : dash[0]! < 3 ? 'dotted' : 'dashed';
          },
        },
      },
      cursor: { drag: { x: true, y: false }, dataIdx: mtuUnderCursor },
      hooks: extra.hooks,
    },
    data,
    box,
  );
}
