// The keys of a keyed-values dataset, read by the key patterns its declaration names (domain/datasets: keyPattern).
// One grammar reads every spelling JAO uses: a pattern is a family prefix followed by what a key names,
//   `{FROM}_{TO}`  an ordered pair of zone codes: `border_AT_BE`, `shadowPrice_AT_BE`, `grossBorder_DE_DK1`;
//   `{HUB}`        one hub, zone or TSO: `hub_AT`, `minAT` (no separator), `min_NO2_SK`, `limitUp_DE`, `grossTso_Apg`;
//   nothing        the pattern is the key itself: `alphaFactor` (one value per MTU, no key in the row).
// A row field is a key when a pattern claims it (the longest prefix that matches; a plain pattern only itself); any
// other field is not a value of the dataset.
import { MAX_HUB_NAME_LENGTH, MAX_KEY_LENGTH, MAX_ZONE_CODE_LENGTH } from './limits';

/** A key pattern as a declaration writes it: `border_{FROM}_{TO}`, `min{HUB}`, `alphaFactor`. */
export type KeyPattern = string;
/** One pattern or several (a row carrying several families: `shadowPrice_{FROM}_{TO}` and `qty_{FROM}_{TO}`). */
export type KeyPatterns = KeyPattern | readonly KeyPattern[];

/** What a key names, as jao.series stores it: a pair in `fromZone`/`toZone`, one name (or a plain key itself) in `fromZone` with `toZone` null. */
export interface SeriesName {
  key: string;
  fromZone: string;
  toZone: string | null;
}

export type KeyRule = 'key_too_long' | 'key_format' | 'key_same_zone';
export type SeriesKeyCheck = { ok: true; series: SeriesName } | { ok: false; rule: KeyRule };

/** What follows a pattern's prefix. */
export type KeyNames = 'pair' | 'one' | 'none';

export interface KeyFamily {
  pattern: KeyPattern;
  prefix: string;
  names: KeyNames;
}

export interface KeyReader {
  /** The patterns, as declared, joined: `shadowPrice_{FROM}_{TO}, qty_{FROM}_{TO}`. */
  pattern: string;
  families: readonly KeyFamily[];
  /** Whether a row field is one of the dataset's keys (well-formed or not). */
  isKey(field: string): boolean;
  read(key: string): SeriesKeyCheck;
}

const PAIR = '{FROM}_{TO}';
const ONE = '{HUB}';
const PREFIX = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const ZONE_CODE = `[A-Z0-9]{1,${MAX_ZONE_CODE_LENGTH}}`;
/** Zone codes: upper-case letters and digits (DE, NO4, SE3SWL, ALBE). */
export const ZONE_CODE_PATTERN = new RegExp(`^${ZONE_CODE}$`);
const PAIR_NAMES = new RegExp(`^(${ZONE_CODE})_(${ZONE_CODE})$`);
/** A hub, zone or TSO name: a letter or digit, then letters, digits and underscores (AT, DE_DK1_VH, 50Hertz, TennetBv). */
export const NAME_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_]{0,${MAX_HUB_NAME_LENGTH - 1}}$`);

/** The family a pattern declares, or one line saying why it is none. */
export function parseKeyPattern(
  pattern: string,
): { ok: true; family: KeyFamily } | { ok: false; reason: string } {
  const names: KeyNames = pattern.endsWith(PAIR) ? 'pair' : pattern.endsWith(ONE) ? 'one' : 'none';
  const prefix = pattern.slice(0, pattern.length - { pair: PAIR, one: ONE, none: '' }[names].length);
  if (!PREFIX.test(prefix)) {
    return {
      ok: false,
      reason:
        `expected a key pattern: a prefix of letters, digits and underscores (starting with a letter) followed by ` +
        `${PAIR}, ${ONE} or nothing; got ${JSON.stringify(pattern.slice(0, 80))}`,
    };
  }
  return { ok: true, family: { pattern, prefix, names } };
}

function familyOf(pattern: string): KeyFamily {
  const parsed = parseKeyPattern(pattern);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.family;
}

/** The declared patterns as a list. */
export function patternList(patterns: KeyPatterns): readonly KeyPattern[] {
  return typeof patterns === 'string' ? [patterns] : patterns;
}

function readWith(family: KeyFamily, key: string): SeriesKeyCheck {
  if (key.length > MAX_KEY_LENGTH) return { ok: false, rule: 'key_too_long' };
  if (family.names === 'none') return { ok: true, series: { key, fromZone: key, toZone: null } };
  const rest = key.slice(family.prefix.length);
  if (family.names === 'one') {
    return NAME_PATTERN.test(rest)
      ? { ok: true, series: { key, fromZone: rest, toZone: null } }
      : { ok: false, rule: 'key_format' };
  }
  const match = PAIR_NAMES.exec(rest);
  if (!match) return { ok: false, rule: 'key_format' };
  if (match[1] === match[2]) return { ok: false, rule: 'key_same_zone' };
  return { ok: true, series: { key, fromZone: match[1]!, toZone: match[2]! } };
}

/** The family that claims a row field: the first whose prefix it starts with (a plain pattern: only itself). */
const familyOfField = (families: readonly KeyFamily[], field: string): KeyFamily | undefined =>
  families.find((family) =>
    family.names === 'none' ? field === family.prefix : field.startsWith(family.prefix),
  );

const CACHE_LIMIT = 10_000;
const readers = new Map<string, KeyReader>();

function buildReader(patterns: readonly KeyPattern[]): KeyReader {
  // Longest prefix first: `grossBorder_` before `gross`, a plain key before a prefix it starts with.
  const families = patterns.map(familyOf).sort((a, b) => b.prefix.length - a.prefix.length);
  const checks = new Map<string, SeriesKeyCheck>();
  return {
    pattern: patterns.join(', '),
    families,
    isKey: (field) => familyOfField(families, field) !== undefined,
    read(key) {
      let check = checks.get(key);
      if (check === undefined) {
        const family = familyOfField(families, key);
        check = family === undefined ? { ok: false, rule: 'key_format' } : readWith(family, key);
        if (checks.size > CACHE_LIMIT) checks.clear();
        checks.set(key, check);
      }
      return check;
    },
  };
}

export const DEFAULT_KEY_PATTERN: KeyPattern = 'border_{FROM}_{TO}';

/** The reader of a dataset's keys (one per pattern list, kept). */
export function keyReaderOf(patterns: KeyPatterns): KeyReader {
  const list = patternList(patterns);
  const id = list.join('\n');
  let reader = readers.get(id);
  if (reader === undefined) {
    reader = buildReader(list);
    readers.set(id, reader);
  }
  return reader;
}

/** The names (zones, hubs; none for a plain key) a key of the patterns carries; null when it is no well-formed key of them. */
export function namesInKey(patterns: KeyPatterns, key: string): string[] | null {
  const check = keyReaderOf(patterns).read(key);
  if (!check.ok) return null;
  const { fromZone, toZone } = check.series;
  if (toZone !== null) return [fromZone, toZone];
  return patternList(patterns).includes(key) ? [] : [fromZone];
}

/** The pattern a key of the patterns reads by, or null (for a per-family unit: domain/datasets unitOfKey). */
export function patternOfKey(patterns: KeyPatterns, key: string): KeyPattern | null {
  const reader = keyReaderOf(patterns);
  if (!reader.read(key).ok) return null;
  return familyOfField(reader.families, key)?.pattern ?? null;
}

/** The key a family spells for a name (`one`), a pair (`pair`), or itself (`none`). */
export function keyOf(family: KeyFamily, names: readonly string[]): string {
  if (family.names === 'none') return family.prefix;
  if (family.names === 'one') return `${family.prefix}${names[0]}`;
  return `${family.prefix}${names[0]}_${names[1]}`;
}
