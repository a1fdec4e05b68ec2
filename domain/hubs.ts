// Hub keys as JAO publishes net positions: `hub_{HUB}`, one per bidding zone or virtual hub. A hub name holds letters
// of either case, digits and underscores (AT, ALBE, DE_DK1_VH, NL_NO2_NorNed).
import { MAX_HUB_NAME_LENGTH, MAX_KEY_LENGTH } from './limits';

export const HUB_KEY_PREFIX = 'hub_';

/** A hub name: a letter or digit, then letters, digits and underscores, at most MAX_HUB_NAME_LENGTH of them. */
export const HUB_NAME_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_]{0,${MAX_HUB_NAME_LENGTH - 1}}$`);

export const HUB_KEY_PATTERN = new RegExp(`^hub_([A-Za-z0-9][A-Za-z0-9_]{0,${MAX_HUB_NAME_LENGTH - 1}})$`);

export interface Hub {
  key: string;
  hub: string;
}

export type HubKeyCheck = { ok: true; hub: Hub } | { ok: false; rule: 'key_too_long' | 'key_format' };

export function hubKey(hub: string): string {
  return `${HUB_KEY_PREFIX}${hub}`;
}

/** Reads a key; refuses an overlong or malformed one (control characters, a name starting with `_`). */
export function parseHubKey(key: string): HubKeyCheck {
  if (key.length > MAX_KEY_LENGTH) return { ok: false, rule: 'key_too_long' };
  const match = HUB_KEY_PATTERN.exec(key);
  if (!match) return { ok: false, rule: 'key_format' };
  return { ok: true, hub: { key, hub: match[1]! } };
}
