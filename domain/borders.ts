// Border keys as JAO publishes them: `border_{FROM}_{TO}`, one per ordered pair of bidding zones.
import { MAX_KEY_LENGTH, MAX_ZONE_CODE_LENGTH } from './limits';

/** The twelve Core bidding zones (DE stands for DE-LU), in JAO's key order. */
export const CORE_ZONES = ['AT', 'BE', 'CZ', 'DE', 'FR', 'HR', 'HU', 'NL', 'PL', 'RO', 'SI', 'SK'] as const;

/** Zone codes: upper-case letters and digits (DE, NO4, SE3SWL), at most MAX_ZONE_CODE_LENGTH of them. */
export const BORDER_KEY_PATTERN = new RegExp(
  `^border_([A-Z0-9]{1,${MAX_ZONE_CODE_LENGTH}})_([A-Z0-9]{1,${MAX_ZONE_CODE_LENGTH}})$`,
);

export interface Border {
  key: string;
  fromZone: string;
  toZone: string;
}

export type BorderKeyCheck =
  | { ok: true; border: Border }
  | { ok: false; rule: 'key_too_long' | 'key_format' | 'key_same_zone' };

export function borderKey(fromZone: string, toZone: string): string {
  return `border_${fromZone}_${toZone}`;
}

/** Reads a key; refuses an overlong or malformed key (control characters included) or one from a zone to itself. */
export function parseBorderKey(key: string): BorderKeyCheck {
  if (key.length > MAX_KEY_LENGTH) return { ok: false, rule: 'key_too_long' };
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
