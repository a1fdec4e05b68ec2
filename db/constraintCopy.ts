// A day of the flow-based domain never stored before, written with one COPY into jao.constraint_value (the merge
// of db/constraintMerge.ts has nothing to compare it with): every version is revision 1, first seen and updated at
// the write's transaction time. The same text serves bench:write's baseline (bench/constraintCopy.ts).
import type pg from 'pg';
import type { DeliveryDay } from '../domain/types';
import { type ConstraintRecord, NUMERIC_COLUMNS, VERSION_TEXT_COLUMNS } from './constraintContent';
import { copyFrom } from './copy';
import type { ContentOutcome, DayState } from './dayWriteTypes';

/** jao.constraint_value's columns in the order of a line. */
export const COPY_COLUMNS = [
  'constraint_id',
  'mtu',
  'dataset',
  'delivery_day',
  'jao_id',
  'presolved',
  ...NUMERIC_COLUMNS,
  ...VERSION_TEXT_COLUMNS,
  'contingencies',
  'ptdf_hubs',
  'ptdf_values',
  'extra',
  'identity_breaks',
  'content_sha256',
  'revision',
  'first_seen_at',
  'updated_at',
  'derivation_id',
] as const;

const escapeCopy = (text: string) =>
  text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));

const arrayElement = (value: string | number | null) =>
  value === null
    ? 'NULL'
    : typeof value === 'number'
      ? String(value)
      : `"${value.replace(/["\\]/g, '\\$&')}"`;

/** A field as COPY text reads it; objects and lists as JSON (the jsonb columns). */
function field(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'string') return escapeCopy(value);
  return escapeCopy(JSON.stringify(value));
}

const arrayField = (values: unknown) =>
  escapeCopy(`{${(values as Array<string | number | null>).map(arrayElement).join(',')}}`);

export interface CopyStamp {
  dataset: string;
  day: DeliveryDay;
  revision: number;
  /** first_seen_at and updated_at. */
  at: Date;
  derivationId: number | null;
}

/** The versions as COPY text lines in COPY_COLUMNS order, each with the constraint id `idOf` gives its key. */
export function constraintCopyText(
  records: readonly ConstraintRecord[],
  idOf: (key: string) => number,
  stamp: CopyStamp,
): string {
  const at = stamp.at.toISOString();
  const tail = `\t${stamp.revision}\t${at}\t${at}\t${stamp.derivationId ?? '\\N'}\n`;
  const head = `\t${escapeCopy(stamp.dataset)}\t${stamp.day}\t`;
  let text = '';
  for (const record of records) {
    const cells = [
      field(record.jao_id),
      field(record.presolved),
      ...NUMERIC_COLUMNS.map((column) => field(record[column])),
      ...VERSION_TEXT_COLUMNS.map((column) => field(record[column])),
      field(record.contingencies),
      arrayField(record.ptdf_hubs),
      arrayField(record.ptdf_values),
      field(record.extra),
      field(record.identity_breaks),
      field(record.content_sha256),
    ];
    text += `${idOf(record.constraint_key as string)}\t${field(record.mtu)}${head}${cells.join('\t')}${tail}`;
  }
  return text;
}

/** COPYs the versions into `table` (jao.constraint_value's shape); returns the rows written. */
export function copyConstraintVersions(
  client: pg.ClientBase,
  table: string,
  records: readonly ConstraintRecord[],
  idOf: (key: string) => number,
  stamp: CopyStamp,
): Promise<number> {
  return copyFrom(client, `COPY ${table} (${COPY_COLUMNS.join(', ')}) FROM STDIN`, [
    constraintCopyText(records, idOf, stamp),
  ]);
}

/** The day's versions into jao.constraint_value, the day having none stored (its first write). */
export async function insertFreshConstraintDay(
  client: pg.PoolClient,
  dataset: string,
  day: DeliveryDay,
  records: readonly ConstraintRecord[],
  ids: ReadonlyMap<string, number>,
  state: DayState,
): Promise<ContentOutcome> {
  const added = await copyConstraintVersions(
    client,
    'jao.constraint_value',
    records,
    (key) => ids.get(key)!,
    {
      dataset,
      day,
      revision: 1,
      at: state.txTime,
      derivationId: state.derivationId,
    },
  );
  return { changed: 0, added, returned: 0, vanished: 0, pointsAfter: added, newSeries: 0 };
}
