// What the simulator publishes: the key set of a day, row ids and values, and the JSON text of rows.
import { allOrderedBorderKeys, CORE_ZONES } from '../domain/borders';
import { addDays, dayOfInstant, dayStartMs, daysBetween } from '../domain/calendar';
import type { DeliveryDay } from '../domain/types';

/** Zones whose keys appear from the key-set change day on (13 zones → 156 keys, "about 150" as announced). */
export const ZONES_ADDED_AT_KEY_SET_CHANGE = ['ALBE'] as const;

export const DEFAULT_KEY_SET_CHANGE_DAY: DeliveryDay = '2026-06-01';

export const MIN_VALUE_MW = 700;
export const MAX_VALUE_MW = 15_000;

/**
 * The values of a dataset: integers in [min, max], one per key and slot (an hour for Core, an MTU for Nordic), each
 * divided by `divisor` when one is given (a share such as the alpha factor: 0–100 hundredths).
 */
export interface ValueScale {
  min: number;
  max: number;
  slotMs: number;
  divisor?: number;
}

/** Core maxExchanges' values: 700–15,000 MW (733–15,004 in the capture), one per key and hour. */
export const CORE_VALUE_SCALE: ValueScale = { min: MIN_VALUE_MW, max: MAX_VALUE_MW, slotMs: 3_600_000 };

const HOUR_MS = 3_600_000;
/** The Core capture's first row: id 34059 at 2026-04-20T00:00Z, one id per hour. */
const CAPTURE_ID = 34_059;
const CAPTURE_ID_MS = Date.UTC(2026, 3, 20);

export interface KeySet {
  keys: readonly string[];
  /** 1 for a key the dataset publishes empty on purpose (null in every row), by index. */
  empty: Uint8Array;
  hashes: Uint32Array;
  /** `,"border_AT_BE":` for each key, ready to concatenate. */
  jsonPrefixes: readonly string[];
}

function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** A cheap, well-mixed 32-bit hash of two integers. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

export function keySetOf(keys: readonly string[], emptyKeys: readonly string[] = []): KeySet {
  return {
    keys,
    empty: Uint8Array.from(keys, (key) => (emptyKeys.includes(key) ? 1 : 0)),
    hashes: Uint32Array.from(keys, hashText),
    jsonPrefixes: keys.map((key) => `,${JSON.stringify(key)}:`),
  };
}

export const CORE_KEY_SET = keySetOf(allOrderedBorderKeys(CORE_ZONES));
export const EXTENDED_KEY_SET = keySetOf(
  allOrderedBorderKeys([...CORE_ZONES, ...ZONES_ADDED_AT_KEY_SET_CHANGE]),
);

export function keySetForDay(day: DeliveryDay, keySetChangeDay: DeliveryDay): KeySet {
  return day >= keySetChangeDay ? EXTENDED_KEY_SET : CORE_KEY_SET;
}

export function keyHash(key: string): number {
  return hashText(key);
}

/**
 * The value of a key at an MTU in a given revision of its day. Each revision moves every value by a
 * non-zero step modulo the range, so a revised day differs from the previous revision at every point.
 */
export function valueAt(
  hashOfKey: number,
  mtuMs: number,
  revision: number,
  scale: ValueScale = CORE_VALUE_SCALE,
): number {
  const range = scale.max - scale.min + 1;
  const slot = Math.floor(mtuMs / scale.slotMs);
  const base = mix(hashOfKey, slot) % range;
  const divisor = scale.divisor ?? 1;
  if (revision === 0) return (scale.min + base) / divisor;
  const step = 1 + (mix(hashOfKey ^ 0x5bd1e995, slot) % (range - 1));
  return (scale.min + ((base + (revision % range) * step) % range)) / divisor;
}

/**
 * Where a dataset publishes no value on purpose (simulator/profiles/declared.ts): a row only at some MTUs (sparse),
 * a null in some cells (published nulls). Shares in 1/16, decided by hash, the same in every revision.
 */
export interface Gaps {
  /** Of 16 MTUs, how many have no row. */
  rowsAbsent?: number;
  /** Of 16 cells, how many are null. */
  cellsNull?: number;
}

export function rowAbsent(gaps: Gaps | undefined, mtuMs: number): boolean {
  return gaps?.rowsAbsent !== undefined && mix(0x2545f491, Math.floor(mtuMs / 60_000)) % 16 < gaps.rowsAbsent;
}

export function cellNull(gaps: Gaps | undefined, hashOfKey: number, mtuMs: number): boolean {
  return (
    gaps?.cellsNull !== undefined &&
    mix(hashOfKey ^ 0x27d4eb2f, Math.floor(mtuMs / 60_000)) % 16 < gaps.cellsNull
  );
}

/** Row id: consecutive per hour, equal to the Core capture's ids at the same instants. */
export function rowIdAt(mtuMs: number): number {
  return CAPTURE_ID + Math.floor((mtuMs - CAPTURE_ID_MS) / HOUR_MS);
}

/** Row ids one per `stepMs` from a capture's first row (`firstId` at `firstMs`), as JAO numbers a dataset's rows. */
export function idsFromCapture(firstId: number, firstMs: number, stepMs: number): (mtuMs: number) => number {
  return (mtuMs) => firstId + Math.floor((mtuMs - firstMs) / stepMs);
}

/**
 * The ids between the first rows of two consecutive Nordic delivery days: 2026-04-22's first row is 288 ids (three
 * times its 96 rows) after 2026-04-21's in both Nordic captures. Their earlier day boundary shows no jump, so the
 * simulator's ids of the rows before the captured day differ from the capture's.
 */
export const NORDIC_DAY_ID_BLOCK = 288;

/**
 * Row ids in a block per delivery day, as the Nordic captures number them: consecutive within the day, and the next
 * day's block `blockIds` after the day's first id (the jump at the Amsterdam day boundary). `firstId` is the first
 * id of the captured `day`.
 */
export function idsByDeliveryDay(
  day: DeliveryDay,
  firstId: number,
  stepMs: number,
  blockIds: number,
): (mtuMs: number) => number {
  let startMs = 0;
  let endMs = 0;
  let dayFirstId = 0;
  return (mtuMs) => {
    if (mtuMs < startMs || mtuMs >= endMs) {
      const mtuDay = dayOfInstant(new Date(mtuMs));
      startMs = dayStartMs(mtuDay);
      endMs = dayStartMs(addDays(mtuDay, 1));
      dayFirstId = firstId + daysBetween(day, mtuDay) * blockIds;
    }
    return dayFirstId + Math.floor((mtuMs - startMs) / stepMs);
  };
}

/** `2026-04-20T00:00:00Z`, as JAO writes `dateTimeUtc` (no milliseconds). */
export function jaoDateTime(mtuMs: number): string {
  return `${new Date(mtuMs).toISOString().slice(0, 19)}Z`;
}

/** How a dataset writes its rows (simulator/profiles/): ids, values, and members between `dateTimeUtc` and the keys. */
export interface RowFormat {
  rowIdAt(mtuMs: number): number;
  scale: ValueScale;
  /** `integer`: `4346` (shadowAuctionATC, atc); `decimal10`: `4346.0000000000` (the rest, as JAO sends them). */
  numbers: 'integer' | 'decimal10';
  /** Cells published null on purpose (a dataset declaring publishedNull). */
  gaps?: Gaps;
}

const NUMBER_SUFFIX: Readonly<Record<RowFormat['numbers'], string>> = {
  integer: '',
  decimal10: '.0000000000',
};

/** Core maxExchanges' rows: ids one per hour from the capture's, values written `4346.0000000000`. */
export const CORE_ROW_FORMAT: RowFormat = { rowIdAt, scale: CORE_VALUE_SCALE, numbers: 'decimal10' };

/** One row as JSON text, values integer-valued and written like JAO's (`4346.0000000000`, or `4346` for integer datasets). */
export function rowJson(
  keySet: KeySet,
  mtuMs: number,
  revision: number,
  format: RowFormat = CORE_ROW_FORMAT,
  leadingMembers = '',
): string {
  let text = `{"id":${format.rowIdAt(mtuMs)},"dateTimeUtc":"${jaoDateTime(mtuMs)}"${leadingMembers}`;
  const { hashes, jsonPrefixes, empty } = keySet;
  const suffix = NUMBER_SUFFIX[format.numbers];
  for (let i = 0; i < hashes.length; i++) {
    text +=
      empty[i] || cellNull(format.gaps, hashes[i]!, mtuMs)
        ? `${jsonPrefixes[i]}null`
        : `${jsonPrefixes[i]}${valueAt(hashes[i]!, mtuMs, revision, format.scale)}${suffix}`;
  }
  return `${text}}`;
}

/** What an anomalous row changes (simulator faults of the content). */
export interface RowAnomalies {
  id?: number;
  /** Values written as JSON strings (`"4346.0000000000"`). */
  stringValues?: boolean;
  /** How many of the row's first values are sent as null. */
  nullCells?: number;
  /** Added to the row's first value (a conflicting copy of a row). */
  firstValueOffset?: number;
  /** JSON text of extra members, each starting with a comma. */
  extraMembers?: string;
}

/** One row as JSON text, with anomalies. */
export function anomalousRowJson(
  keySet: KeySet,
  mtuMs: number,
  revision: number,
  anomalies: RowAnomalies,
  format: RowFormat = CORE_ROW_FORMAT,
  leadingMembers = '',
): string {
  let text = `{"id":${anomalies.id ?? format.rowIdAt(mtuMs)},"dateTimeUtc":"${jaoDateTime(mtuMs)}"${leadingMembers}`;
  const { hashes, jsonPrefixes, empty } = keySet;
  const nullCells = anomalies.nullCells ?? 0;
  const suffix = NUMBER_SUFFIX[format.numbers];
  for (let i = 0; i < hashes.length; i++) {
    const value =
      valueAt(hashes[i]!, mtuMs, revision, format.scale) + (i === 0 ? (anomalies.firstValueOffset ?? 0) : 0);
    const cell =
      i < nullCells || empty[i] || cellNull(format.gaps, hashes[i]!, mtuMs)
        ? 'null'
        : anomalies.stringValues
          ? `"${value}${suffix}"`
          : `${value}${suffix}`;
    text += `${jsonPrefixes[i]}${cell}`;
  }
  return `${text}${anomalies.extraMembers ?? ''}}`;
}

/** A zone-less instant as JAO writes `lastModifiedOn`: `2026-04-19T07:57:32.853`, `….43`, `…:01` (trailing zeros cut). */
export function zonelessJaoInstant(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return fraction ? `${iso.slice(0, 19)}.${fraction}` : iso.slice(0, 19);
}

/** Two keys no validator should let through: one with a NUL byte, one of 3,000 characters. */
export const BAD_KEYS = ['border_AT\u0000_BE', `border_${'A'.repeat(2_993)}`] as const;

export const badKeyMembers = BAD_KEYS.map((key) => `,${JSON.stringify(key)}:1.0`).join('');

const manyKeyMembersByCount = new Map<number, string>();

/** `count` distinct well-formed keys Core does not have (`border_X1_Y1` …), as JSON members. */
export function manyKeyMembers(count: number): string {
  let members = manyKeyMembersByCount.get(count);
  if (members === undefined) {
    const parts: string[] = [];
    for (let i = 1; i <= count; i++) parts.push(`,"border_X${i}_Y${i}":${1000 + (i % 1000)}.0`);
    members = parts.join('');
    manyKeyMembersByCount.clear();
    manyKeyMembersByCount.set(count, members);
  }
  return members;
}
