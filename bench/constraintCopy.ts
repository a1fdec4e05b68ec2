// bench:write's baseline for the flow-based domain: the same versions as COPY text into a table with the columns,
// primary key and indexes of jao.constraint_value (LIKE … INCLUDING ALL), the limit for a stored version.
import type pg from 'pg';
import { type ConstraintRecord, NUMERIC_COLUMNS, VERSION_TEXT_COLUMNS } from '../db/constraintContent';
import { copyFrom } from '../db/copy';
import type { DeliveryDay } from '../domain/types';

/** jao.constraint_value's columns in the order the baseline writes them. */
const COLUMNS = [
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
  'content_sha256',
  'revision',
  'first_seen_at',
  'updated_at',
  'derivation_id',
];

/** A table shaped as jao.constraint_value (columns, primary key, indexes, checks), empty. */
export async function createBaselineTable(pool: pg.Pool, table: string): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS public.${table}`);
  await pool.query(`CREATE TABLE public.${table} (LIKE jao.constraint_value INCLUDING ALL)`);
}

const escapeCopy = (text: string) =>
  text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));

const arrayElement = (value: string | number | null) =>
  value === null
    ? 'NULL'
    : typeof value === 'number'
      ? String(value)
      : `"${value.replace(/["\\]/g, '\\$&')}"`;

function field(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'string') return escapeCopy(value);
  return escapeCopy(JSON.stringify(value));
}

const arrayField = (values: unknown) =>
  escapeCopy(`{${(values as Array<string | number | null>).map(arrayElement).join(',')}}`);

/** One version as a line of COPY text. */
function lineOf(
  record: ConstraintRecord,
  constraintId: number,
  dataset: string,
  day: DeliveryDay,
  at: string,
): string {
  const cells = [
    String(constraintId),
    field(record.mtu),
    field(dataset),
    day,
    field(record.jao_id),
    field(record.presolved),
    ...NUMERIC_COLUMNS.map((column) => field(record[column])),
    ...VERSION_TEXT_COLUMNS.map((column) => field(record[column])),
    field(record.contingencies),
    arrayField(record.ptdf_hubs),
    arrayField(record.ptdf_values),
    field(record.extra),
    field(record.content_sha256),
    '1',
    at,
    at,
    '1',
  ];
  return `${cells.join('\t')}\n`;
}

/** COPYs one day's versions into `table`; constraint ids from `idOf` (the baseline has no catalogue). */
export async function copyConstraintDay(
  client: pg.ClientBase,
  table: string,
  input: {
    dataset: string;
    day: DeliveryDay;
    records: readonly ConstraintRecord[];
    idOf: (key: string) => number;
  },
): Promise<number> {
  const at = new Date().toISOString();
  const lines = input.records.map((record) =>
    lineOf(record, input.idOf(record.constraint_key as string), input.dataset, input.day, at),
  );
  return copyFrom(client, `COPY public.${table} (${COLUMNS.join(', ')}) FROM STDIN`, [lines.join('')]);
}
