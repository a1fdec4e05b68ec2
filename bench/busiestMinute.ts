// The most requests any 60 s window held: what JAO's per-minute limit judges, whatever the minute's start.

export interface BusiestWindow {
  count: number;
  /** When that window starts (its first request), epoch ms; null without requests. */
  from: number | null;
}

/** The largest number of `times` (epoch ms, any order) inside one window [t, t + windowMs). */
export function busiestWindow(times: readonly number[], windowMs = 60_000): BusiestWindow {
  const sorted = [...times].sort((a, b) => a - b);
  let best: BusiestWindow = { count: 0, from: null };
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    if (last - first + 1 > best.count) best = { count: last - first + 1, from: sorted[first]! };
  }
  return best;
}
