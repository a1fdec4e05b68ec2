// A border's colour on the chart: derived from its name alone, so that a border keeps its colour whatever else is
// drawn beside it, in whichever order the borders were picked, in every drawing and on every page load.

/** Ten colours told apart on white and by the common colour-vision deficiencies (Tableau 10, darkened). */
const BORDER_COLOURS = [
  '#1f5fbf',
  '#c2410c',
  '#15803d',
  '#b91c1c',
  '#7c3aed',
  '#92400e',
  '#be185d',
  '#4b5563',
  '#4d7c0f',
  '#0e7490',
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
