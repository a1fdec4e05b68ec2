// Border keys as JAO publishes them: `border_{FROM}_{TO}`, one per ordered pair of bidding zones.

/** The twelve Core bidding zones (DE stands for DE-LU), in JAO's key order. */
export const CORE_ZONES = ['AT', 'BE', 'CZ', 'DE', 'FR', 'HR', 'HU', 'NL', 'PL', 'RO', 'SI', 'SK'] as const;

export const BORDER_KEY_PATTERN = /^border_([A-Z0-9]+)_([A-Z0-9]+)$/;

export interface Border {
  key: string;
  fromZone: string;
  toZone: string;
}

export type BorderKeyCheck =
  | { ok: true; border: Border }
  | { ok: false; rule: 'key_format' | 'key_same_zone' };

export function borderKey(fromZone: string, toZone: string): string {
  return `border_${fromZone}_${toZone}`;
}

/** Reads a key; refuses a malformed key or one whose two zones are the same. */
export function parseBorderKey(key: string): BorderKeyCheck {
  const match = BORDER_KEY_PATTERN.exec(key);
  if (!match) return { ok: false, rule: 'key_format' };
  const fromZone = match[1]!;
  const toZone = match[2]!;
  if (fromZone === toZone) return { ok: false, rule: 'key_same_zone' };
  return { ok: true, border: { key, fromZone, toZone } };
}

/** Every ordered pair of distinct zones, grouped by the first zone, in the order the zones are given. */
export function allOrderedBorderKeys(zones: readonly string[]): string[] {
  const keys: string[] = [];
  for (const fromZone of zones) {
    for (const toZone of zones) if (fromZone !== toZone) keys.push(borderKey(fromZone, toZone));
  }
  return keys;
}
