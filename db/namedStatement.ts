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
  /** The statement's values in `$n` order; a name the caller did not pass is a programming error. */
  valuesOf(params: Params): unknown[];
  /** Runs the statement (prepared under its name) on `client` with named values. */
  run(client: pg.ClientBase, params: Params): Promise<pg.QueryResult<Row>>;
}

/**
 * Compiles `text` once: each distinct `:name` becomes one `$n` (repeated uses share it). `name` is the prepared
 * statement's name on the server.
 */
export function namedStatement<
  Params extends Record<string, unknown>,
  Row extends pg.QueryResultRow = pg.QueryResultRow,
>(name: string, text: string): NamedStatement<Params, Row> {
  const names: string[] = [];
  const compiled = text.replace(PLACEHOLDER, (_match, parameter: string) => {
    let index = names.indexOf(parameter);
    if (index < 0) index = names.push(parameter) - 1;
    return `$${index + 1}`;
  });
  const parameters = names as (keyof Params & string)[];
  const valuesOf = (params: Params): unknown[] =>
    parameters.map((parameter) => {
      if (!Object.hasOwn(params, parameter)) throw new Error(`${name}: no value for parameter :${parameter}`);
      return params[parameter];
    });
  return {
    name,
    text: compiled,
    parameters,
    valuesOf,
    run: (client, params) => client.query<Row>({ name, text: compiled, values: valuesOf(params) }),
  };
}
