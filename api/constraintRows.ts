// The SQL of a constraints answer: the rows of jao.constraints (as of an instant: jao.constraints_as_of) of a
// dataset's delivery days from..to (of some constraints, when asked), ordered by MTU then constraint, each written
// as CONSTRAINT_COLUMNS say.
import type { Dataset } from '../domain/datasets';
import { CONSTRAINT_CSV_HEADER, csvFieldsSql, jsonObjectSql } from './constraintColumns';
import type { Format } from './params';
import { COPY_INPUTS, COPY_OPTIONS, type ValueInputs, type ValuesCopy } from './valueRows';
import type { AnswerFormatter } from './valueStreams';

/** How a constraints query names its inputs: the values' (ValueInputs, borders unused) and the constraints' ids. */
interface ConstraintInputs extends ValueInputs {
  constraintIds: string;
}

/** What a constraints answer is asked for. */
export interface ConstraintsAsked {
  dataset: Dataset;
  from: string;
  to: string;
  asOf: Date | null;
  /** Only these constraints (ids, as digits); null: every one. */
  constraintIds: string[] | null;
}

/**
 * Day by day as the values are (valueRows.ts dayByDaySql): per stored delivery day, that day's rows sorted by MTU
 * and constraint, so the whole answer comes out in order without one sort of it. Without ids there is no filter at
 * all (one the planner cannot fold away would make it guess fewer rows).
 */
function constraintsSql(select: string, asked: ConstraintsAsked, input: ConstraintInputs): string {
  const source = asked.asOf ? `jao.constraints_as_of(${input.asOf})` : 'jao.constraints';
  const ofConstraints = asked.constraintIds
    ? `\n      AND x.constraint_id = ANY (${input.constraintIds})`
    : '';
  return `${select}
  FROM jao.delivery_day g
 CROSS JOIN LATERAL (
   SELECT x.* FROM ${source} x
    WHERE x.dataset = g.dataset AND x.delivery_day = g.day${ofConstraints}
    ORDER BY x.mtu, x.constraint_id) v
 WHERE g.dataset = ${input.dataset} AND g.day BETWEEN ${input.from} AND ${input.to}
 ORDER BY g.day`;
}

const selectJson = `SELECT ${jsonObjectSql('v')}`;

/** The JSON answer's query, read through a cursor: one column, each row's object as text. */
export function constraintsQuery(asked: ConstraintsAsked): { text: string; values: unknown[] } {
  // $1 from, $2 to, $3 the dataset, then the ids and the instant when asked for.
  const values: unknown[] = [asked.from, asked.to, asked.dataset];
  const next = (value: unknown, type: string) => {
    values.push(value);
    return `$${values.length}::${type}`;
  };
  const input: ConstraintInputs = {
    from: '$1::date',
    to: '$2::date',
    dataset: '$3::text',
    borders: 'NULL::text[]',
    constraintIds: asked.constraintIds ? next(asked.constraintIds, 'bigint[]') : 'NULL::bigint[]',
    asOf: asked.asOf ? next(asked.asOf, 'timestamptz') : 'NULL::timestamptz',
  };
  return { text: constraintsSql(selectJson, asked, input), values };
}

/**
 * The transaction's settings COPY_CONSTRAINT_INPUTS reads, set by one parameterised statement (valueRows.ts
 * SET_COPY_INPUTS: no value is ever written into a COPY's text); the last column is the backend's pid.
 */
const SET_CONSTRAINT_COPY_INPUTS = `SELECT set_config('jao.values_from', $1, true), set_config('jao.values_to', $2, true),
       set_config('jao.values_as_of', $3, true), set_config('jao.values_dataset', $4, true),
       set_config('jao.constraint_ids', COALESCE($5::text[]::text, ''), true),
       pg_backend_pid() AS pid`;

const COPY_CONSTRAINT_INPUTS: ConstraintInputs = {
  ...COPY_INPUTS,
  // As COPY_INPUTS' borders: an InitPlan, its outer cast keeping ANY from reading it as a subquery's rows.
  constraintIds: `(SELECT NULLIF(current_setting('jao.constraint_ids'), '')::bigint[])::bigint[]`,
};

/** CSV and NDJSON as COPY writes them. NDJSON's one field per line is written as it is (valueRows.ts: COPY_OPTIONS). */
export function constraintsCopy(format: Exclude<Format, 'json'>, asked: ConstraintsAsked): ValuesCopy {
  const select = format === 'csv' ? `SELECT ${csvFieldsSql('v')}` : selectJson;
  return {
    inputs: {
      text: SET_CONSTRAINT_COPY_INPUTS,
      values: [asked.from, asked.to, asked.asOf?.toISOString() ?? '', asked.dataset, asked.constraintIds],
    },
    copy: `COPY (${constraintsSql(select, asked, COPY_CONSTRAINT_INPUTS)}) TO STDOUT ${COPY_OPTIONS[format]}`,
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
