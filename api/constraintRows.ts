// The SQL of a constraints answer: the rows of jao.constraints (as of an instant: jao.constraints_as_of) of a
// dataset's delivery days from..to (of some constraints, when asked), ordered by MTU then constraint, each written
// as CONSTRAINT_COLUMNS say.

import type pg from 'pg';
import type { Dataset } from '../domain/datasets';
import { constraintCsvHeader, csvFieldsSql, jsonObjectSql } from './constraintColumns';
import type { Format, MtuWindow } from './params';
import { COPY_INPUTS, COPY_OPTIONS, mtuFilter, type ValueInputs, type ValuesCopy } from './valueRows';
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
  /** Only the MTUs of this window; null: every MTU of the days. */
  window: MtuWindow | null;
}

/**
 * Day by day as the values are (valueRows.ts dayByDaySql): per stored delivery day, that day's rows sorted by MTU
 * and constraint, so the whole answer comes out in order without one sort of it. Without ids there is no filter at
 * all (one the planner cannot fold away would make it guess fewer rows).
 */
function constraintsSql(
  select: string,
  asked: ConstraintsAsked,
  input: ConstraintInputs,
  ordered = true,
): string {
  const source = asked.asOf ? `jao.constraints_as_of(${input.asOf})` : 'jao.constraints';
  const ofConstraints = asked.constraintIds
    ? `\n      AND x.constraint_id = ANY (${input.constraintIds})`
    : '';
  return `${select}
  FROM jao.delivery_day g
 CROSS JOIN LATERAL (
   SELECT x.* FROM ${source} x
    WHERE x.dataset = g.dataset AND x.delivery_day = g.day${ofConstraints}${mtuFilter(input, asked.window !== null)}
    ORDER BY x.mtu, x.constraint_id) v
 WHERE g.dataset = ${input.dataset} AND g.day BETWEEN ${input.from} AND ${input.to}${ordered ? '\n ORDER BY g.day' : ''}`;
}

const selectJson = `SELECT ${jsonObjectSql('v')}`;

/** The query of `select` over the rows asked for, with bind parameters. */
function boundQuery(
  select: string,
  asked: ConstraintsAsked,
  ordered = true,
): { text: string; values: unknown[] } {
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
    fromMtu: asked.window ? next(asked.window.from, 'timestamptz') : 'NULL::timestamptz',
    toMtu: asked.window ? next(asked.window.to, 'timestamptz') : 'NULL::timestamptz',
  };
  return { text: constraintsSql(select, asked, input, ordered), values };
}

/** The JSON answer's query, read through a cursor: one column, each row's object as text. */
export function constraintsQuery(asked: ConstraintsAsked): { text: string; values: unknown[] } {
  return boundQuery(selectJson, asked);
}

/** The hubs whose PTDFs the rows asked for carry, sorted: the ptdf_<hub> columns of a CSV answer. */
export async function readPtdfHubs(client: pg.PoolClient, asked: ConstraintsAsked): Promise<string[]> {
  const rows = boundQuery('SELECT DISTINCT v.ptdf_hubs', asked, false);
  const result = await client.query<{ hub: string }>({
    text: `SELECT DISTINCT h.hub FROM (${rows.text}) a(hubs),
                  unnest(a.hubs) AS h(hub)
            ORDER BY h.hub`,
    values: rows.values,
  });
  return result.rows.map((row) => row.hub);
}

/**
 * The transaction's settings COPY_CONSTRAINT_INPUTS reads, set by one parameterised statement (valueRows.ts
 * SET_COPY_INPUTS: no value is ever written into a COPY's text); the last column is the backend's pid.
 */
const SET_CONSTRAINT_COPY_INPUTS = `SELECT set_config('jao.values_from', $1, true), set_config('jao.values_to', $2, true),
       set_config('jao.values_as_of', $3, true), set_config('jao.values_dataset', $4, true),
       set_config('jao.constraint_ids', COALESCE($5::text[]::text, ''), true),
       set_config('jao.values_from_mtu', $6, true), set_config('jao.values_to_mtu', $7, true),
       set_config('jao.ptdf_hubs', $8::text[]::text, true),
       pg_backend_pid() AS pid`;

/** The hubs of the PTDF columns, as SET_CONSTRAINT_COPY_INPUTS sets them. */
const COPY_PTDF_HUBS = `current_setting('jao.ptdf_hubs')::text[]`;

const COPY_CONSTRAINT_INPUTS: ConstraintInputs = {
  ...COPY_INPUTS,
  // As COPY_INPUTS' borders: an InitPlan, its outer cast keeping ANY from reading it as a subquery's rows.
  constraintIds: `(SELECT NULLIF(current_setting('jao.constraint_ids'), '')::bigint[])::bigint[]`,
};

/**
 * CSV and NDJSON as COPY writes them, CSV with a ptdf_<hub> field per hub of `hubs`. NDJSON's one field per line is
 * written as it is (valueRows.ts: COPY_OPTIONS).
 */
export function constraintsCopy(
  format: Exclude<Format, 'json'>,
  asked: ConstraintsAsked,
  hubs: readonly string[] = [],
): ValuesCopy {
  const select = format === 'csv' ? `SELECT ${csvFieldsSql('v', COPY_PTDF_HUBS, hubs.length)}` : selectJson;
  return {
    inputs: {
      text: SET_CONSTRAINT_COPY_INPUTS,
      values: [
        asked.from,
        asked.to,
        asked.asOf?.toISOString() ?? '',
        asked.dataset,
        asked.constraintIds,
        asked.window?.from.toISOString() ?? '',
        asked.window?.to.toISOString() ?? '',
        [...hubs],
      ],
    },
    copy: `COPY (${constraintsSql(select, asked, COPY_CONSTRAINT_INPUTS)}) TO STDOUT ${COPY_OPTIONS[format]}`,
  };
}

/** What a COPY of `format` is preceded by: CSV's header line, its PTDF columns those of `hubs`. */
export function constraintsHeader(format: Exclude<Format, 'json'>, hubs: readonly string[] = []): string {
  return format === 'csv' ? constraintCsvHeader(hubs) : '';
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
