// The columns of a /v1/datasets/{dataset}/constraints answer, named once: each format's fields, the SQL that writes
// them and the OpenAPI schema of a row are derived from CONSTRAINT_COLUMNS. A column reads the column of the same
// name of jao.constraints (and of jao.constraints_as_of), except `ptdfs`, built from ptdf_hubs and ptdf_values.
import type pg from 'pg';
import { z } from 'zod';
import type { Dataset } from '../domain/datasets';
import type { Format, MtuWindow } from './params';
import {
  binder,
  COPY_INPUTS,
  COPY_OPTIONS,
  csvText,
  dayByDay,
  iso,
  type ValueInputs,
  type ValuesCopy,
} from './valueRows';

/**
 * How a column is written. In JSON: `text` a string, `number` a number as published, `integer` an integer,
 * `boolean`, `day` YYYY-MM-DD, `instant` UTC ISO-8601 with milliseconds, `textList` an array of strings (an element may be null), `json` the
 * stored JSON, `ptdfs` an object hub → PTDF in published order; null where the view holds NULL. In CSV the same
 * text, a list, the stored JSON and the PTDFs as their JSON text, NULL as an empty field.
 */
type ColumnKind =
  | 'text'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'day'
  | 'instant'
  | 'textList'
  | 'json'
  | 'ptdfs';

interface ConstraintColumn {
  name: string;
  kind: ColumnKind;
  nullable: boolean;
  description: string;
}

const column = (name: string, kind: ColumnKind, nullable: boolean, description: string) =>
  ({ name, kind, nullable, description }) as const satisfies ConstraintColumn;
const mw = (name: string, description = 'MW, as published') => column(name, 'number', true, description);
const published = (name: string, description: string) => column(name, 'text', true, description);

export const CONSTRAINT_COLUMNS = [
  column('dataset', 'text', false, 'the dataset id'),
  column('delivery_day', 'day', false, 'Europe/Amsterdam delivery day'),
  column('mtu', 'instant', false, 'UTC start of the MTU, ISO-8601'),
  column(
    'constraint_id',
    'integer',
    false,
    "the constraint's id in this database, the same across versions (its TSO, element EIC and name, direction and contingency EICs; never JAO's row id)",
  ),
  published('tso', 'the TSO that defines the constraint'),
  published('cne_eic', 'the critical network element EIC'),
  published('cne_name', 'the critical network element as named by JAO'),
  published('direction', 'DIRECT or OPPOSITE'),
  column(
    'contingency_eics',
    'textList',
    false,
    "the EICs of the contingency's outaged branches by number (one null in the N state, where no branch is out)",
  ),
  column('presolved', 'boolean', false, 'the constraint is in the presolved domain'),
  mw('ram', 'remaining available margin, MW'),
  mw('min_ram_target', 'fraction: max(0.2, min_ram_factor/100 − fuaf/fmax)'),
  mw('min_ram_factor', 'percent'),
  mw('imax', 'A'),
  mw('u', 'kV'),
  mw('fmax'),
  mw('frm'),
  mw('fref_init'),
  mw('fnrao'),
  mw('fref'),
  mw('fcore'),
  mw('fall'),
  mw('fuaf'),
  mw('amr'),
  mw('lta_margin'),
  mw('cva'),
  mw('iva'),
  mw('ftotal_ltn'),
  mw('fltn'),
  published('cne_status', 'as published'),
  published('hub_from', 'as published'),
  published('hub_to', 'as published'),
  published('substation_from', 'as published'),
  published('substation_to', 'as published'),
  published('element_type', 'as published'),
  published('fmax_type', 'as published'),
  published('cont_tso', 'as published'),
  published('cont_name', 'as published'),
  published('justification', 'as published'),
  column('contingencies', 'json', false, "the contingency's outaged branches as published"),
  column(
    'ptdfs',
    'ptdfs',
    false,
    'hub → zone-to-slack PTDF, in the order JAO published the hubs (null where JAO published null)',
  ),
  column('revision', 'integer', false, 'the version of this constraint and MTU, 1 first'),
  column('first_seen_at', 'instant', false, 'when the constraint was first stored for this MTU'),
  column('updated_at', 'instant', false, 'when this version became current'),
] as const;

export type ConstraintColumnName = (typeof CONSTRAINT_COLUMNS)[number]['name'];

/** CSV's columns before its PTDFs: every column but `ptdfs`, whose hubs are columns of their own at the end. */
const CSV_COLUMNS = CONSTRAINT_COLUMNS.filter((c) => c.kind !== 'ptdfs');

/** The prefix of a PTDF's CSV column: ptdf_DE, ptdf_ALBE. */
const PTDF_COLUMN_PREFIX = 'ptdf_';

/** CSV's header line: the columns, then one ptdf_<hub> per hub of the answer. */
export function constraintCsvHeader(hubs: readonly string[]): string {
  const names = [
    ...CSV_COLUMNS.map((c) => c.name),
    ...hubs.map((hub) => csvText(`${PTDF_COLUMN_PREFIX}${hub}`)),
  ];
  return `${names.join(',')}\n`;
}

/** The PTDFs of row `v` as one JSON object's text, hubs in published order (`{}` for none). */
const ptdfsJson = (v: string) =>
  `(SELECT COALESCE('{' || string_agg(to_json(p.hub)::text || ':' || COALESCE(to_json(p.ptdf)::text, 'null'), ','
                                      ORDER BY p.ordinality) || '}', '{}')
     FROM unnest(${v}.ptdf_hubs, ${v}.ptdf_values) WITH ORDINALITY AS p(hub, ptdf, ordinality))`;

/** A column of row `v` as JSON text (to_json escapes text and writes numbers shortest-exact, non-finite quoted). */
function jsonValue(c: ConstraintColumn, v: string): string {
  const value = `${v}.${c.name}`;
  const text = (() => {
    switch (c.kind) {
      case 'day':
        return `'"' || ${value}::text || '"'`;
      case 'instant':
        return `'"' || ${iso(value)} || '"'`;
      case 'integer':
      case 'boolean':
      case 'json':
        return `${value}::text`;
      case 'ptdfs':
        return ptdfsJson(v);
      default:
        return `to_json(${value})::text`;
    }
  })();
  return c.nullable ? `COALESCE(${text}, 'null')` : text;
}

/** A column of row `v` as a CSV field (COPY writes NULL empty and quotes an empty string). */
function csvValue(c: ConstraintColumn, v: string): string {
  const value = `${v}.${c.name}`;
  switch (c.kind) {
    case 'text':
      return value;
    case 'instant':
      return iso(value);
    case 'textList':
      return `to_json(${value})::text`;
    case 'ptdfs':
      return ptdfsJson(v);
    default:
      return `${value}::text`;
  }
}

/** One expression: the row `v` as one JSON object's text, keys in CONSTRAINT_COLUMNS' order. */
function jsonObjectSql(v: string): string {
  const members = CONSTRAINT_COLUMNS.map(
    (c, i) => `'${i === 0 ? '{' : ','}"${c.name}":' || ${jsonValue(c, v)}`,
  );
  return `${members.join('\n       || ')} || '}'`;
}

/**
 * The expressions of CSV's fields of row `v`: CSV_COLUMNS' in order, then the PTDF of each of `hubCount` hubs, the
 * i-th read from the i-th element of the text array `hubs` (an SQL expression: no hub is ever written into the SQL).
 */
function csvFieldsSql(v: string, hubs: string, hubCount: number): string {
  const ptdfs = Array.from(
    { length: hubCount },
    (_, i) => `(${v}.ptdf_values[array_position(${v}.ptdf_hubs, (SELECT (${hubs})[${i + 1}]))])::text`,
  );
  return [...CSV_COLUMNS.map((c) => csvValue(c, v)), ...ptdfs].join(',\n       ');
}

const KIND_SCHEMAS: Record<ColumnKind, z.ZodType> = {
  text: z.string(),
  number: z.number(),
  integer: z.number().int(),
  boolean: z.boolean(),
  day: z.string(),
  instant: z.string(),
  textList: z.array(z.string().nullable()),
  json: z.array(z.record(z.string(), z.unknown())),
  ptdfs: z.record(z.string(), z.number().nullable()),
};

/** A row as the OpenAPI document describes it. */
export const constraintRowSchema = z.object(
  Object.fromEntries(
    CONSTRAINT_COLUMNS.map((c) => {
      const schema = c.nullable ? KIND_SCHEMAS[c.kind].nullable() : KIND_SCHEMAS[c.kind];
      return [c.name, schema.describe(c.description)];
    }),
  ) as Record<ConstraintColumnName, z.ZodType>,
);

// The SQL of a constraints answer: the rows of jao.constraints (as of an instant: jao.constraints_as_of) of a
// dataset's delivery days from..to (of some constraints, when asked), ordered by MTU then constraint, each written
// as CONSTRAINT_COLUMNS say.

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
 * Day by day as the values are (valueRows.ts dayByDay): per stored delivery day, that day's rows sorted by MTU and
 * constraint, so the whole answer comes out in order without one sort of it. Without ids there is no filter at all
 * (one the planner cannot fold away would make it guess fewer rows).
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
  return dayByDay(select, source, input, ofConstraints, asked.window !== null, 'constraint_id', ordered);
}

const selectJson = `SELECT ${jsonObjectSql('v')}`;

/** The query of `select` (the JSON answer's by default) over the rows asked for, with bind parameters. */
export function constraintsQuery(
  asked: ConstraintsAsked,
  select = selectJson,
  ordered = true,
): { text: string; values: unknown[] } {
  // $1 from, $2 to, $3 the dataset, then the ids and the instant when asked for.
  const values: unknown[] = [asked.from, asked.to, asked.dataset];
  const next = binder(values);
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

/** The hubs whose PTDFs the rows asked for carry, sorted: the ptdf_<hub> columns of a CSV answer. */
export async function readPtdfHubs(client: pg.PoolClient, asked: ConstraintsAsked): Promise<string[]> {
  const rows = constraintsQuery(asked, 'SELECT DISTINCT v.ptdf_hubs', false);
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
