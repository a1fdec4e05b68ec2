// Border keys as JAO publishes them: `border_{FROM}_{TO}`, one per ordered pair of bidding zones (domain/seriesKeys.ts
// reads them).

/** The twelve Core bidding zones (DE stands for DE-LU), in JAO's key order. */
export const CORE_ZONES = ['AT', 'BE', 'CZ', 'DE', 'FR', 'HR', 'HU', 'NL', 'PL', 'RO', 'SI', 'SK'] as const;

export function borderKey(fromZone: string, toZone: string): string {
  return `border_${fromZone}_${toZone}`;
}

/** Every ordered pair of distinct zones, grouped by the first zone, in the order the zones are given. */
export function allOrderedBorderKeys(zones: readonly string[]): string[] {
  const keys: string[] = [];
  for (const fromZone of zones) {
    for (const toZone of zones) if (fromZone !== toZone) keys.push(borderKey(fromZone, toZone));
  }
  return keys;
}
