import type { Dataset } from '../domain/datasets';
import type { Format, MtuWindow } from './params';

/** The columns of jao.max_exchanges (and of jao.max_exchanges_as_of), in order: every format's fields. */
export const VALUE_COLUMNS = [
  'mtu',
  'delivery_day',
  'border',
  'from_zone',
  'to_zone',
  'value_mw',
  'revision',
  'first_seen_at',
  'updated_at',
] as const;

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
export const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', ${ISO})`;

/**
 * Every field as text, formatted by the server (timestamps as UTC ISO-8601 with milliseconds, numbers as
 * PostgreSQL writes them: shortest exact), read as arrays: no Date or object per row on the way out.
 */
export const SELECT_TEXT = `SELECT ${iso('v.mtu')}, v.delivery_day::text, v.border, v.from_zone, v.to_zone,
       v.value_mw::text, v.revision::text, ${iso('v.first_seen_at')}, ${iso('v.updated_at')}`;

/**
 * How a values query names its inputs: SQL expressions of the delivery days from..to, the borders (NULL: every
 * border), the instant of an as-of read and the dataset.
 */
export interface ValueInputs {
  from: string;
  to: string;
  borders: string;
  asOf: string;
  dataset: string;
  /** The MTU window's bounds [fromMtu, toMtu); filtered on only where a window was asked for. */
  fromMtu: string;
  toMtu: string;
}

/** Bind parameters of a values query: $1 from, $2 to, $3 borders or null, $4 the dataset, $5 as_of. */
const PARAMETERS: ValueInputs = {
  from: '$1::date',
  to: '$2::date',
  borders: '$3::text[]',
  dataset: '$4::text',
  asOf: '$5::timestamptz',
  fromMtu: '$6::timestamptz',
  toMtu: '$7::timestamptz',
};

/**
 * The transaction's settings that COPY_INPUTS reads, set by one parameterised statement (a COPY takes no bind
 * parameters, and its text stays constant: no value is ever written into it). Each returns its setting as text
 * (borders: an array literal, '' for every border; as_of and the MTU window's bounds: ISO-8601, '' for none); the last
 * column is the backend's pid.
 */
export const SET_COPY_INPUTS = `SELECT set_config('jao.values_from', $1, true), set_config('jao.values_to', $2, true),
       set_config('jao.values_borders', COALESCE($3::text[]::text, ''), true),
       set_config('jao.values_as_of', $4, true), set_config('jao.values_dataset', $5, true),
       set_config('jao.values_from_mtu', $6, true), set_config('jao.values_to_mtu', $7, true),
       pg_backend_pid() AS pid`;

/**
 * SET_COPY_INPUTS' settings read back. Each filter is an uncorrelated sub-select, so an InitPlan evaluated once per
 * query whose value an index scan takes as its bound, as it would a bind parameter. The instant is an argument of an
 * inlined SQL function, where a sub-select would stop the inlining: it stays a (STABLE) expression.
 */
export const COPY_INPUTS: ValueInputs = {
  from: `(SELECT current_setting('jao.values_from')::date)`,
  to: `(SELECT current_setting('jao.values_to')::date)`,
  // The outer cast (a no-op) keeps `ANY ((SELECT …))` from being read as ANY over a subquery's rows.
  borders: `(SELECT NULLIF(current_setting('jao.values_borders'), '')::text[])::text[]`,
  asOf: `current_setting('jao.values_as_of')::timestamptz`,
  dataset: `(SELECT current_setting('jao.values_dataset'))`,
  fromMtu: `(SELECT NULLIF(current_setting('jao.values_from_mtu'), '')::timestamptz)`,
  toMtu: `(SELECT NULLIF(current_setting('jao.values_to_mtu'), '')::timestamptz)`,
};

/** A binder of `values`: each value it is given becomes their next bind parameter, cast to `type`. */
export const binder = (values: unknown[]) => (value: unknown, type: string) =>
  `$${values.push(value)}::${type}`;

/**
 * Day by day (a lateral subquery per stored delivery day, in the order of jao.delivery_day's primary key): each day
 * is one index range of the rows `x` of `source` and a sort of a few thousand of them by MTU then `key`, whatever the
 * range and the statistics, and the rows come out in order as they are read, without a sort of the whole answer (a
 * year of every border spilled to disk when the days came from generate_series, whose order the planner does not
 * know). `filter` narrows a day's rows; `window`: to the MTU window's too.
 */
export function dayByDay(
  select: string,
  source: string,
  input: ValueInputs,
  filter: string,
  window: boolean,
  key: string,
  ordered = true,
): string {
  const ofWindow = window ? `\n      AND x.mtu >= ${input.fromMtu} AND x.mtu < ${input.toMtu}` : '';
  return `${select}
  FROM jao.delivery_day g
 CROSS JOIN LATERAL (
   SELECT x.* FROM ${source} x
    WHERE x.dataset = g.dataset AND x.delivery_day = g.day${filter}${ofWindow}
    ORDER BY x.mtu, x.${key}) v
 WHERE g.dataset = ${input.dataset} AND g.day BETWEEN ${input.from} AND ${input.to}${ordered ? '\n ORDER BY g.day' : ''}`;
}

/**
 * The values query, day by day. Every dataset, Core maxExchanges included, reads the views of every dataset
 * (jao.dataset_values, as of: jao.dataset_values_as_of), narrowed to the dataset: one read path (DESIGN §16).
 */
function dayByDaySql(
  select: string,
  asOf: boolean,
  input: ValueInputs,
  borderFilter: 'none' | 'when given' = 'when given',
  window = false,
): string {
  const source = asOf ? `jao.dataset_values_as_of(${input.asOf})` : 'jao.dataset_values';
  const ofBorders =
    borderFilter === 'none'
      ? ''
      : `\n      AND (${input.borders} IS NULL OR x.border = ANY (${input.borders}))`;
  return dayByDay(select, source, input, ofBorders, window, 'border');
}

/** The values query with bind parameters (PARAMETERS: $1 from, $2 to, $3 borders or null, $4 dataset, $5 as_of). */
export function valuesSql(asOf: boolean): string {
  return dayByDaySql(SELECT_TEXT, asOf, PARAMETERS);
}

/**
 * The values of `dataset` over from..to (borders null: every border), as of an instant when given, inside an MTU
 * window when given; `select` names the fields (SELECT_TEXT's by default).
 */
export function valuesQuery(
  dataset: Dataset,
  from: string,
  to: string,
  borders: string[] | null,
  asOf: Date | null,
  window: MtuWindow | null = null,
  select = SELECT_TEXT,
): { text: string; values: unknown[] } {
  const values: unknown[] = [from, to, borders, dataset];
  const next = binder(values);
  const input: ValueInputs = {
    ...PARAMETERS,
    asOf: asOf ? next(asOf, 'timestamptz') : 'NULL::timestamptz',
    fromMtu: window ? next(window.from, 'timestamptz') : 'NULL::timestamptz',
    toMtu: window ? next(window.to, 'timestamptz') : 'NULL::timestamptz',
  };
  return { text: dayByDaySql(select, asOf !== null, input, 'when given', window !== null), values };
}

/*
 * The rows of CSV and NDJSON as COPY writes them, byte for byte what RowFormatter writes from SELECT_TEXT's fields:
 * - CSV: COPY quotes a field holding a comma, a double quote, CR or LF and doubles its double quotes, as csvField
 *   does; it also quotes an empty string (the NULL marker's text), which NULLIF turns into a NULL, written empty as
 *   csvField writes an empty string; to_zone is NULL for a hub series (its hub is in from_zone), written empty too.
 * - NDJSON: each line is built by PostgreSQL as jsonObject builds it. The border and zones are quoted as they are:
 *   jao.series holds only letters, digits and underscores in them (its constraint series_plain_names, migrations
 *   011 and 020), which JSON.stringify writes unescaped (to_json on each cost a fifth of the stream's time); a hub
 *   series' NULL to_zone is written null, as JSON.stringify writes it. A JSON text holds no control character (JSON escapes them all), so COPY in CSV format with the control
 *   characters 0x01 as delimiter and 0x02 as quote character writes the one field as it is: it quotes only a field
 *   holding the delimiter, the quote character, CR or LF, or equal to the NULL marker (empty), and escapes nothing
 *   else. (COPY's text format would double every backslash of the JSON's escapes.)
 */
const SELECT_CSV = `SELECT ${iso('v.mtu')}, v.delivery_day::text, NULLIF(v.border, ''), NULLIF(v.from_zone, ''),
       NULLIF(v.to_zone, ''), v.value_mw::text, v.revision::text, ${iso('v.first_seen_at')}, ${iso('v.updated_at')}`;

const SELECT_NDJSON = `SELECT '{"mtu":"' || ${iso('v.mtu')} || '","delivery_day":"' || v.delivery_day::text
       || '","border":"' || v.border || '","from_zone":"' || v.from_zone
       || '","to_zone":' || COALESCE('"' || v.to_zone || '"', 'null') || ',"value_mw":' || v.value_mw::text
       || ',"revision":' || v.revision::text || ',"first_seen_at":"' || ${iso('v.first_seen_at')}
       || '","updated_at":"' || ${iso('v.updated_at')} || '"}'`;

export const COPY_OPTIONS = {
  csv: '(FORMAT csv)',
  ndjson: `(FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')`,
} as const;

/** A values answer COPY writes: the statement that sets its inputs, and the COPY, whose text is constant. */
export interface ValuesCopy {
  inputs: { text: string; values: (string | string[] | null)[] };
  copy: string;
}

/**
 * The values of `dataset` over from..to as COPY writes them in `format` (rows only: the caller writes CSV's header),
 * or null where the answer is read through a cursor (JSON).
 */
export function valuesCopy(
  format: Format,
  dataset: Dataset,
  from: string,
  to: string,
  borders: string[] | null,
  asOf: Date | null,
  window: MtuWindow | null = null,
): ValuesCopy | null {
  if (format === 'json') return null;
  const select = format === 'csv' ? SELECT_CSV : SELECT_NDJSON;
  // Every border: no filter at all (a filter the planner cannot fold away makes it guess fewer series, and read the
  // values series by series instead of one range per day).
  const borderFilter = borders === null ? 'none' : 'when given';
  const query = dayByDaySql(select, asOf !== null, COPY_INPUTS, borderFilter, window !== null);
  return {
    inputs: {
      text: SET_COPY_INPUTS,
      values: [
        from,
        to,
        borders,
        asOf?.toISOString() ?? '',
        dataset,
        window?.from.toISOString() ?? '',
        window?.to.toISOString() ?? '',
      ],
    },
    copy: `COPY (${query}) TO STDOUT ${COPY_OPTIONS[format]}`,
  };
}

/** A row of SELECT_TEXT's fields: only to_zone may be NULL (a hub series has none). */
type Row = (string | null)[];

/** A text as COPY writes it in CSV: quoted when it holds a comma, quote, CR or LF. */
export const csvText = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** A field as COPY writes it in CSV: NULL empty. */
const csvField = (text: string | null) => (text === null ? '' : csvText(text));

/*
 * SELECT_TEXT's fields by what they can hold: the server writes the timestamps, the day and the numbers in fixed
 * forms (digits, '-', ':', '.', 'T', 'Z'), which need no quoting or escaping in CSV or JSON; only the border and its
 * zones are text from JAO's keys, quoted and escaped as any text would be.
 */
function csvLine(row: Row): string {
  return `${row[0]},${row[1]},${csvField(row[2]!)},${csvField(row[3]!)},${csvField(row[4]!)},${row[5]},${row[6]},${row[7]},${row[8]}`;
}

function jsonObject(row: Row): string {
  return (
    `{"mtu":"${row[0]}","delivery_day":"${row[1]}","border":${JSON.stringify(row[2])},` +
    `"from_zone":${JSON.stringify(row[3])},"to_zone":${JSON.stringify(row[4])},"value_mw":${row[5]},` +
    `"revision":${row[6]},"first_seen_at":"${row[7]}","updated_at":"${row[8]}"}`
  );
}

export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** Turns batches of a cursor's rows (each field as text) into an answer's text, keeping what comes between. */
export interface AnswerFormatter {
  start(): string;
  batch(rows: string[][]): string;
  end(): string;
}

/**
 * Turns batches of rows into the text of one format, keeping what comes between batches. `objectOf` writes a row as
 * its JSON object: SELECT_TEXT's fields by default (a constraints row comes as one object's text, its first field).
 */
export class RowFormatter implements AnswerFormatter {
  private rows = 0;
  constructor(
    private readonly format: Format,
    private readonly objectOf: (row: Row) => string = jsonObject,
  ) {}

  start(): string {
    if (this.format === 'csv') return `${VALUE_COLUMNS.join(',')}\n`;
    return this.format === 'json' ? '[' : '';
  }

  batch(rows: Row[]): string {
    const parts = rows.map(this.format === 'csv' ? csvLine : this.objectOf);
    const lead = this.rows === 0 ? '' : ',';
    this.rows += rows.length;
    return this.format === 'json' ? lead + parts.join(',') : `${parts.join('\n')}\n`;
  }

  end(): string {
    return this.format === 'json' ? ']' : '';
  }
}

// shape=wide: a values answer with one row per MTU and one column per key, pivoted as the rows stream (they come
// ordered by MTU, then key), so memory holds one MTU at a time whatever the range.

/** The fields a wide answer reads of each value: its MTU, delivery day, key and value, as text. */
export const SELECT_WIDE = `SELECT ${iso('v.mtu')}, v.delivery_day::text, v.border, v.value_mw::text`;

/**
 * Rows of (mtu, delivery_day, key, value) into one line per MTU: CSV with a header line, NDJSON one object a line,
 * JSON an envelope `{"keys", "days_missing", "rows"}`. A key without a value at an MTU is an empty field (CSV) or null.
 */
export class WideFormatter implements AnswerFormatter {
  private readonly column: Map<string, number>;
  private readonly names: string[];
  private mtu: string | null = null;
  private day = '';
  private cells: (string | null)[];
  private lines = 0;

  constructor(
    private readonly format: Format,
    private readonly keys: readonly string[],
    private readonly daysMissing: readonly string[],
  ) {
    this.column = new Map(keys.map((key, index) => [key, index]));
    this.names = keys.map((key) => JSON.stringify(key));
    this.cells = new Array<string | null>(keys.length).fill(null);
  }

  start(): string {
    if (this.format === 'csv') return `${['mtu', 'delivery_day', ...this.keys].map(csvText).join(',')}\n`;
    if (this.format === 'ndjson') return '';
    return `{"keys":${JSON.stringify(this.keys)},"days_missing":${JSON.stringify(this.daysMissing)},"rows":[`;
  }

  batch(rows: string[][]): string {
    let out = '';
    for (const row of rows) {
      if (row[0] !== this.mtu) {
        out += this.flush();
        this.mtu = row[0]!;
        this.day = row[1]!;
      }
      const at = this.column.get(row[2]!);
      if (at !== undefined) this.cells[at] = row[3]!;
    }
    return out;
  }

  end(): string {
    const last = this.flush();
    return this.format === 'json' ? `${last}]}` : last;
  }

  /** The line of the MTU held, if any; then none is held. */
  private flush(): string {
    if (this.mtu === null) return '';
    const cells = this.cells;
    let line: string;
    if (this.format === 'csv') {
      line = `${this.mtu},${this.day},${cells.map((cell) => cell ?? '').join(',')}\n`;
    } else {
      let object = `{"mtu":"${this.mtu}","delivery_day":"${this.day}"`;
      for (let i = 0; i < cells.length; i++) object += `,${this.names[i]}:${cells[i] ?? 'null'}`;
      object += '}';
      line = this.format === 'ndjson' ? `${object}\n` : this.lines === 0 ? object : `,${object}`;
    }
    this.lines++;
    this.mtu = null;
    this.cells = new Array<string | null>(this.keys.length).fill(null);
    return line;
  }
}
