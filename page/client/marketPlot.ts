// What every uPlot chart of the page shares: the time axis on the market's clock, and an MTU's value drawn as a step
// that holds until the next MTU starts.
import uPlot from 'uplot';
import { MARKET_TICK_INCREMENTS, marketAxisLabels, marketTicks, marketTimeText } from './marketTime';

/**
 * The x axis: ticks on the market's clock (its midnights, its whole hours), not the browser's; a label is
 * `HH:MM CEST` (and its date), ticks at least 90 px apart, so that labels never run together. `onTicks` is told
 * each labelling (the browser tests read it).
 */
export function marketTimeAxis(
  onTicks: (seconds: number[], labels: string[]) => void = () => {},
): uPlot.Axis {
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

/** The x series: the cursor's instant in market time (a fresh object: a plot keeps its own). */
export const marketTimeSeries = (): uPlot.Series => ({
  value: (_plot, seconds) => (seconds == null ? '—' : marketTimeText(new Date(seconds * 1000).toISOString())),
});

/** Each MTU's value holds until the next MTU starts: drawn as steps. */
export const mtuSteps = (): uPlot.Series.PathBuilder | undefined => uPlot.paths.stepped?.({ align: 1 });
