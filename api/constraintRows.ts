// The SQL of a constraints answer: the rows of jao.constraints (as of an instant: jao.constraints_as_of) of a
// dataset's delivery days from..to, ordered by MTU then constraint, each written as CONSTRAINT_COLUMNS say.
import type { Dataset } from '../domain/datasets';
import { CONSTRAINT_CSV_HEADER, csvFieldsSql, jsonObjectSql } from './constraintColumns';
import type { Format } from './params';
import { COPY_INPUTS, COPY_OPTIONS, SET_COPY_INPUTS, type ValueInputs, type ValuesCopy } from './valueRows';
import type { AnswerFormatter } from './valueStreams';

/** Bind parameters of the cursor's query: $1 from, $2 to, $3 the dataset, $4 as_of. */
const CURSOR_INPUTS: ValueInputs = {
  from: '$1::date',
  to: '$2::date',
  borders: 'NULL::text[]',
  dataset: '$3::text',
  asOf: '$4::timestamptz',
};

/**
 * Day by day as the values are (valueRows.ts dayByDaySql): per stored delivery day, that day's rows sorted by MTU
 * and constraint, so the whole answer comes out in order without one sort of it.
 */
function constraintsSql(select: string, asOf: boolean, input: ValueInputs): string {
  const source = asOf ? `jao.constraints_as_of(${input.asOf})` : 'jao.constraints';
  return `${select}
  FROM jao.delivery_day g
 CROSS JOIN LATERAL (
   SELECT x.* FROM ${source} x
    WHERE x.dataset = g.dataset AND x.delivery_day = g.day
    ORDER BY x.mtu, x.constraint_id) v
 WHERE g.dataset = ${input.dataset} AND g.day BETWEEN ${input.from} AND ${input.to}
 ORDER BY g.day`;
}

const selectJson = `SELECT ${jsonObjectSql('v')}`;

/** The JSON answer's query, read through a cursor: one column, each row's object as text. */
export function constraintsQuery(
  dataset: Dataset,
  from: string,
  to: string,
  asOf: Date | null,
): { text: string; values: unknown[] } {
  return {
    text: constraintsSql(selectJson, asOf !== null, CURSOR_INPUTS),
    values: asOf ? [from, to, dataset, asOf] : [from, to, dataset],
  };
}

/**
 * CSV and NDJSON as COPY writes them, with the values' inputs (SET_COPY_INPUTS: no value is ever written into the
 * COPY's text). NDJSON's one field per line is written as it is (valueRows.ts: COPY_OPTIONS.ndjson).
 */
export function constraintsCopy(
  format: Exclude<Format, 'json'>,
  dataset: Dataset,
  from: string,
  to: string,
  asOf: Date | null,
): ValuesCopy {
  const select = format === 'csv' ? `SELECT ${csvFieldsSql('v')}` : selectJson;
  return {
    inputs: { text: SET_COPY_INPUTS, values: [from, to, null, asOf?.toISOString() ?? '', dataset] },
    copy: `COPY (${constraintsSql(select, asOf !== null, COPY_INPUTS)}) TO STDOUT ${COPY_OPTIONS[format]}`,
  };
}

/** What a COPY of `format` is preceded by: CSV's header line. */
export function constraintsHeader(format: Exclude<Format, 'json'>): string {
  return format === 'csv' ? CONSTRAINT_CSV_HEADER : '';
}

/** The JSON array of the cursor's rows, each one object's text. */
export class ConstraintJsonFormatter implements AnswerFormatter {
  private rows = 0;

  start(): string {
    return '[';
  }

  batch(rows: string[][]): string {
    const lead = this.rows === 0 ? '' : ',';
    this.rows += rows.length;
    return lead + rows.map((row) => row[0]).join(',');
  }

  end(): string {
    return ']';
  }
}
