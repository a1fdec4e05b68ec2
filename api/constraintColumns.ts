// The columns of a /v1/datasets/{dataset}/constraints answer, named once: each format's fields, the SQL that writes
// them and the OpenAPI schema of a row are derived from CONSTRAINT_COLUMNS. A column reads the column of the same
// name of jao.constraints (and of jao.constraints_as_of), except `ptdfs`, built from ptdf_hubs and ptdf_values.
import { z } from 'zod';
import { csvText } from './valueRows';

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
export const PTDF_COLUMN_PREFIX = 'ptdf_';

/** CSV's header line: the columns, then one ptdf_<hub> per hub of the answer. */
export function constraintCsvHeader(hubs: readonly string[]): string {
  const names = [
    ...CSV_COLUMNS.map((c) => c.name),
    ...hubs.map((hub) => csvText(`${PTDF_COLUMN_PREFIX}${hub}`)),
  ];
  return `${names.join(',')}\n`;
}

const iso = (expression: string) =>
  `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

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
export function jsonObjectSql(v: string): string {
  const members = CONSTRAINT_COLUMNS.map(
    (c, i) => `'${i === 0 ? '{' : ','}"${c.name}":' || ${jsonValue(c, v)}`,
  );
  return `${members.join('\n       || ')} || '}'`;
}

/**
 * The expressions of CSV's fields of row `v`: CSV_COLUMNS' in order, then the PTDF of each of `hubCount` hubs, the
 * i-th read from the i-th element of the text array `hubs` (an SQL expression: no hub is ever written into the SQL).
 */
export function csvFieldsSql(v: string, hubs: string, hubCount: number): string {
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
