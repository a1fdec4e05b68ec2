import { type Dataset, DEFAULT_DATASET } from '../domain/datasets';
import { FEW_BORDERS, type Format } from './params';

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
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', ${ISO})`;

/**
 * Every field as text, formatted by the server (timestamps as UTC ISO-8601 with milliseconds, numbers as
 * PostgreSQL writes them: shortest exact), read as arrays: no Date or object per row on the way out.
 */
export const SELECT_TEXT = `SELECT ${iso('v.mtu')}, v.delivery_day::text, v.border, v.from_zone, v.to_zone,
       v.value_mw::text, v.revision::text, ${iso('v.first_seen_at')}, ${iso('v.updated_at')}`;

/**
 * The values query: constant text, every input a parameter ($1 from, $2 to, $3 borders or null, $4 as_of).
 * A few borders: one call of the range function (migration 018), whose borders and days become a series id and
 * constant bounds on `mtu` while planning, then one sort of their rows. Otherwise day by day (a lateral subquery per
 * stored delivery day, in the order of jao.delivery_day's primary key): each day is one index range of the values and
 * a sort of a few thousand rows, whatever the range and the statistics, and the rows come out in order as they are
 * read, without a sort of the whole answer (a year of every border spilled to disk when the days came from
 * generate_series, whose order the planner does not know).
 */
export function valuesSql(asOf: boolean, fewBorders: boolean): string {
  if (fewBorders) {
    const range = asOf
      ? 'jao.max_exchanges_range_as_of($3::text[], $1::date, $2::date, $4::timestamptz)'
      : 'jao.max_exchanges_range($3::text[], $1::date, $2::date)';
    return `${SELECT_TEXT}
  FROM ${range} v
 ORDER BY v.mtu, v.border`;
  }
  const source = asOf ? 'jao.max_exchanges_as_of($4::timestamptz)' : 'jao.max_exchanges';
  return `${SELECT_TEXT}
  FROM jao.delivery_day g
 CROSS JOIN LATERAL (
   SELECT x.* FROM ${source} x
    WHERE x.delivery_day = g.day
      AND ($3::text[] IS NULL OR x.border = ANY ($3::text[]))
    ORDER BY x.mtu, x.border) v
 WHERE g.dataset = 'maxExchanges' AND g.day BETWEEN $1::date AND $2::date
 ORDER BY g.day`;
}

/**
 * The values query of a dataset other than the default, on the views of every dataset (migration 008): day by day
 * as above, each day one LATERAL read of its window. $1 from, $2 to, $3 borders or null, $4 the dataset, $5 as_of.
 */
export function datasetValuesSql(asOf: boolean): string {
  const source = asOf ? 'jao.dataset_values_as_of($5::timestamptz)' : 'jao.dataset_values';
  return `${SELECT_TEXT}
  FROM jao.delivery_day g
 CROSS JOIN LATERAL (
   SELECT x.* FROM ${source} x
    WHERE x.dataset = g.dataset AND x.delivery_day = g.day
      AND ($3::text[] IS NULL OR x.border = ANY ($3::text[]))
    ORDER BY x.mtu, x.border) v
 WHERE g.dataset = $4::text AND g.day BETWEEN $1::date AND $2::date
 ORDER BY g.day`;
}

/** The values of `dataset` over from..to (borders null: every border), as of an instant when given. */
export function valuesQuery(
  dataset: Dataset,
  from: string,
  to: string,
  borders: string[] | null,
  asOf: Date | null,
): { text: string; values: unknown[] } {
  if (dataset === DEFAULT_DATASET) {
    const fewBorders = borders !== null && borders.length <= FEW_BORDERS;
    return {
      text: valuesSql(asOf !== null, fewBorders),
      values: asOf ? [from, to, borders, asOf] : [from, to, borders],
    };
  }
  return {
    text: datasetValuesSql(asOf !== null),
    values: asOf ? [from, to, borders, dataset, asOf] : [from, to, borders, dataset],
  };
}

type Row = string[];

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

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

/** Turns batches of rows into the text of one format, keeping what comes between batches. */
export class RowFormatter {
  private rows = 0;
  constructor(private readonly format: Format) {}

  start(): string {
    if (this.format === 'csv') return `${VALUE_COLUMNS.join(',')}\n`;
    return this.format === 'json' ? '[' : '';
  }

  batch(rows: Row[]): string {
    const parts: string[] = new Array(rows.length);
    if (this.format === 'csv') {
      for (let r = 0; r < rows.length; r++) parts[r] = csvLine(rows[r]!);
      this.rows += rows.length;
      return `${parts.join('\n')}\n`;
    }
    for (let r = 0; r < rows.length; r++) parts[r] = jsonObject(rows[r]!);
    if (this.format === 'ndjson') {
      this.rows += rows.length;
      return `${parts.join('\n')}\n`;
    }
    const lead = this.rows === 0 ? '' : ',';
    this.rows += rows.length;
    return lead + parts.join(',');
  }

  end(): string {
    return this.format === 'json' ? ']' : '';
  }
}
