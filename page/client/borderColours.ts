// The strokes of the chart's lines. Each border drawn takes a slot when it is added (the lowest one free) and keeps
// it while it stays on the chart; its slot gives its colour, from a colour-blind-safe set. Past the set's size the
// slots go round the colours again with other dash patterns. Every line of a border (its current values, its values
// as known at an instant, each version of a day) is in the border's colour, told apart by its dash: no two lines of a
// drawing share a stroke. Pure (no DOM): test/unit/borderColours.test.ts.

/**
 * Okabe and Ito's colour-blind-safe set ("Color Universal Design", 2008) without its yellow, too pale for a line
 * on white, in the order borders take them.
 */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#000000', '#e69f00', '#56b4e9'] as const;

/** Which of a border's lines: its current values, its values as known at an instant, or a version of a day (0: the first). */
export type LineKind = { kind: 'current' } | { kind: 'asOf' } | { kind: 'version'; index: number };

export interface Stroke {
  colour: string;
  /** uPlot's dash (canvas setLineDash): empty for a solid line. */
  dash: number[];
}

/**
 * Dash patterns, each far from the others at a glance. The first is the current values of a border in the first
 * round of colours (solid), the second its values as known at an instant.
 */
const DASHES: readonly number[][] = [
  [],
  [6, 4],
  [1.5, 3],
  [14, 4],
  [6, 3, 1.5, 3],
  [3, 3],
  [14, 3, 1.5, 3, 1.5, 3],
  [10, 3, 3, 3],
  [1.5, 6],
  [20, 6],
];

/**
 * The slots of the borders drawn: those in `kept` keep theirs, the others take the lowest free ones, in the order
 * `borders` names them (the order they were added).
 */
export function assignSlots(
  kept: ReadonlyMap<string, number>,
  borders: readonly string[],
): Map<string, number> {
  const slots = new Map<string, number>();
  for (const border of borders) {
    const slot = kept.get(border);
    if (slot !== undefined) slots.set(border, slot);
  }
  const taken = new Set(slots.values());
  let free = 0;
  for (const border of borders) {
    if (slots.has(border)) continue;
    while (taken.has(free)) free++;
    slots.set(border, free);
    taken.add(free);
  }
  return slots;
}

const kindIndex = (line: LineKind): number =>
  line.kind === 'current' ? 0 : line.kind === 'asOf' ? 1 : 2 + line.index;

/** A dash pattern per number, each different from every other. */
function dashOf(n: number): number[] {
  return n < DASHES.length ? DASHES[n]! : [n + 20, 3, 1.5, 3];
}

/**
 * The stroke of a border's line. Slots of one colour differ in their round (how often the slots went round the
 * colours before them); the line's kind and its round together name its dash (Cantor's pairing: one number for
 * each pair), so that no two lines of one colour share a dash.
 */
export function strokeOf(slot: number, line: LineKind): Stroke {
  const round = Math.floor(slot / PALETTE.length);
  const kind = kindIndex(line);
  const pair = ((kind + round) * (kind + round + 1)) / 2 + round;
  return { colour: PALETTE[slot % PALETTE.length]!, dash: dashOf(pair) };
}
