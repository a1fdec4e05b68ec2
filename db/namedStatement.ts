// Prepared statements whose SQL names its parameters (`:dataset`, `:txTime::timestamptz`) instead of numbering them:
// the text is compiled once, when the module loads, into `$n` placeholders, and each call passes an object whose keys
// are those names, so a value can neither land in another parameter's place nor be forgotten.
import type pg from 'pg';

/** A `:name` placeholder: a colon that is not part of a `::` cast, then a name starting with a letter. */
const PLACEHOLDER = /(?<!:):([A-Za-z][A-Za-z0-9_]*)/g;

/** A statement taking `Params` by name and returning `Row`s. */
export interface NamedStatement<
  Params extends Record<string, unknown>,
  Row extends pg.QueryResultRow = pg.QueryResultRow,
> {
  readonly name: string;
  /** The compiled text, with `$n` placeholders. */
  readonly text: string;
  /** Parameter names in `$n` order. */
  readonly parameters: readonly (keyof Params & string)[];
  /** Never set: carries the row type. */
  readonly row?: Row;
}

/**
 * Compiles `text` once: each distinct `:name` becomes one `$n` (repeated uses share it). `name` is the prepared
 * statement's name on the server.
 */
export function namedStatement<
  Params extends Record<string, unknown>,
  Row extends pg.QueryResultRow = pg.QueryResultRow,
>(name: string, text: string): NamedStatement<Params, Row> {
  const parameters: string[] = [];
  const compiled = text.replace(PLACEHOLDER, (_match, parameter: string) => {
    let index = parameters.indexOf(parameter);
    if (index < 0) index = parameters.push(parameter) - 1;
    return `$${index + 1}`;
  });
  return { name, text: compiled, parameters: parameters as (keyof Params & string)[] };
}

/** The statement's values in `$n` order; a name the caller did not pass is a programming error. */
export function valuesOf<Params extends Record<string, unknown>>(
  statement: NamedStatement<Params, pg.QueryResultRow>,
  params: Params,
): unknown[] {
  return statement.parameters.map((parameter) => {
    if (!Object.hasOwn(params, parameter))
      throw new Error(`${statement.name}: no value for parameter :${parameter}`);
    return params[parameter];
  });
}

/** Runs the statement (prepared under its name) with named values. */
export function runNamed<Params extends Record<string, unknown>, Row extends pg.QueryResultRow>(
  client: pg.ClientBase,
  statement: NamedStatement<Params, Row>,
  params: Params,
): Promise<pg.QueryResult<Row>> {
  return client.query<Row>({
    name: statement.name,
    text: statement.text,
    values: valuesOf(statement, params),
  });
}
