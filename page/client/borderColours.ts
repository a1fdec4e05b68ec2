// A border's colour on the chart: derived from its name alone, so that a border keeps its colour whatever else is
// drawn beside it, in whichever order the borders were picked, in every drawing and on every page load.

/** Twelve hues far apart on white (Paul Tol's "muted" and "bright" schemes, darkened where too light for a line). */
const BORDER_COLOURS = [
  '#332288',
  '#117733',
  '#cc6677',
  '#3a9fc8',
  '#b8860b',
  '#aa4499',
  '#44aa99',
  '#882255',
  '#4477aa',
  '#999933',
  '#ee6677',
  '#555555',
] as const;

/** FNV-1a of the name: the same border, the same colour. */
function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function borderColour(border: string): string {
  return BORDER_COLOURS[nameHash(border) % BORDER_COLOURS.length]!;
}
