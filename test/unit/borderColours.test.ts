// The strokes of the chart's lines (page/client/borderColours.ts): slots kept while a border stays drawn, colours
// from a colour-blind-safe set, and no two lines of a drawing alike, past the set's size too. Pure, no DOM.
import { describe, expect, it } from 'vitest';
import { assignSlots, type LineKind, PALETTE, strokeOf } from '../../page/client/borderColours';
import { MAX_BORDERS } from '../../page/client/chartRequest';

const strokeKey = (slot: number, line: LineKind) => JSON.stringify(strokeOf(slot, line));

describe("the chart's strokes", () => {
  it('gives the borders slots in the order they are added, from the first', () => {
    expect([...assignSlots(new Map(), ['ALBE_AT', 'DE_FR', 'AT_BE'])]).toEqual([
      ['ALBE_AT', 0],
      ['DE_FR', 1],
      ['AT_BE', 2],
    ]);
  });

  it('keeps a border its slot while it stays drawn; a new one takes the lowest slot free', () => {
    const first = assignSlots(new Map(), ['A', 'B', 'C']);
    const without = assignSlots(first, ['A', 'C']);
    expect(without.get('A')).toBe(0);
    expect(without.get('C')).toBe(2);
    const added = assignSlots(without, ['A', 'C', 'D', 'E']);
    expect([...added]).toEqual([
      ['A', 0],
      ['C', 2],
      ['D', 1],
      ['E', 3],
    ]);
  });

  it('draws the tutorial borders (ALBE_AT, which the page loads first, and DE_FR) in different colours', () => {
    const slots = assignSlots(new Map(), ['ALBE_AT', 'DE_FR']);
    expect(strokeOf(slots.get('ALBE_AT')!, { kind: 'current' }).colour).not.toBe(
      strokeOf(slots.get('DE_FR')!, { kind: 'current' }).colour,
    );
  });

  it("takes Okabe and Ito's colour-blind-safe colours, each once before any comes again", () => {
    expect(PALETTE).toEqual(['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#000000', '#e69f00', '#56b4e9']);
    const colours = PALETTE.map((_, slot) => strokeOf(slot, { kind: 'current' }).colour);
    expect(new Set(colours).size).toBe(PALETTE.length);
    // The first round is solid; the borders past the palette come round in its colours, dashed.
    expect(strokeOf(0, { kind: 'current' }).dash).toEqual([]);
    expect(strokeOf(PALETTE.length, { kind: 'current' }).colour).toBe(PALETTE[0]);
    expect(strokeOf(PALETTE.length, { kind: 'current' }).dash).not.toEqual([]);
  });

  it('never draws two lines alike: every border the chart holds, with its values as of an instant and ten versions', () => {
    expect(MAX_BORDERS).toBeGreaterThan(PALETTE.length);
    const kinds: LineKind[] = [
      { kind: 'current' },
      { kind: 'asOf' },
      ...Array.from({ length: 10 }, (_, index) => ({ kind: 'version' as const, index })),
    ];
    const strokes = Array.from({ length: 3 * PALETTE.length }, (_, slot) =>
      kinds.map((line) => strokeKey(slot, line)),
    ).flat();
    expect(new Set(strokes).size).toBe(strokes.length);
  });
});
