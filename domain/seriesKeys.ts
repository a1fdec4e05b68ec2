// The keys of a keyed-values dataset, read by its declared pattern (domain/datasets: keyPattern): a border key names
// the zone an exchange leaves and the one it enters, a hub key one hub. A row field is a key when it starts with its
// pattern's prefix; any other field is not a value of the dataset.
import { type BorderKeyCheck, parseBorderKey } from './borders';
import { HUB_KEY_PREFIX, parseHubKey } from './hubs';

export const KEY_PATTERNS = ['border_{FROM}_{TO}', 'hub_{HUB}'] as const;
export type KeyPattern = (typeof KEY_PATTERNS)[number];

/** What a key names, as jao.series stores it: a hub in `fromZone`, with `toZone` null. */
export interface SeriesName {
  key: string;
  fromZone: string;
  toZone: string | null;
}

export type SeriesKeyCheck = { ok: true; series: SeriesName } | Extract<BorderKeyCheck, { ok: false }>;

export interface KeyReader {
  pattern: KeyPattern;
  /** Row fields starting with it are the dataset's keys. */
  prefix: string;
  read(key: string): SeriesKeyCheck;
}

const CACHE_LIMIT = 10_000;

function cached(read: (key: string) => SeriesKeyCheck): (key: string) => SeriesKeyCheck {
  const checks = new Map<string, SeriesKeyCheck>();
  return (key) => {
    let check = checks.get(key);
    if (check === undefined) {
      check = read(key);
      if (checks.size > CACHE_LIMIT) checks.clear();
      checks.set(key, check);
    }
    return check;
  };
}

function readBorderKey(key: string): SeriesKeyCheck {
  const check = parseBorderKey(key);
  return check.ok ? { ok: true, series: check.border } : check;
}

function readHubKey(key: string): SeriesKeyCheck {
  const check = parseHubKey(key);
  return check.ok ? { ok: true, series: { key, fromZone: check.hub.hub, toZone: null } } : check;
}

const READERS: { readonly [P in KeyPattern]: KeyReader } = {
  'border_{FROM}_{TO}': { pattern: 'border_{FROM}_{TO}', prefix: 'border_', read: cached(readBorderKey) },
  'hub_{HUB}': { pattern: 'hub_{HUB}', prefix: HUB_KEY_PREFIX, read: cached(readHubKey) },
};

export const DEFAULT_KEY_PATTERN: KeyPattern = 'border_{FROM}_{TO}';

export function keyReaderOf(pattern: KeyPattern): KeyReader {
  return READERS[pattern];
}

/** The names (zones or hubs) a key of the pattern carries; null when it is no well-formed key of it. */
export function namesInKey(pattern: KeyPattern, key: string): string[] | null {
  const check = READERS[pattern].read(key);
  if (!check.ok) return null;
  const { fromZone, toZone } = check.series;
  return toZone === null ? [fromZone] : [fromZone, toZone];
}
