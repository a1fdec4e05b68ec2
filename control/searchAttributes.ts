// The project's search attributes on the namespace: the worker checks that each exists with its type, and adds the
// missing ones where it may (the dev server, a cluster of its own). Where it may not (Temporal Cloud, a cluster
// another team runs), it stops with one line that names them and the commands that add them.
import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ConfigError } from '../common/config';
import { SEARCH_ATTRIBUTES } from '../common/searchAttributes';
import { describeRefusal, type Refusal, unlessRefused } from './refusal';

const indexedType = (type: SearchAttributeType) =>
  temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${type}`];

/** A type as `tcld` (`Name=Type`) and `temporal operator search-attribute create --type` spell it: KEYWORD_LIST is KeywordList. */
const typeName = (type: SearchAttributeType) =>
  type.toLowerCase().replace(/(?:^|_)([a-z])/g, (_match, letter: string) => letter.toUpperCase());

const typeNameOf = (indexed: number): string => {
  const type = Object.values(SearchAttributeType).find((key) => indexedType(key) === indexed);
  return type ? typeName(type) : `type ${indexed}`;
};

/** A search attribute the worker uses (common/searchAttributes.ts). */
interface Attribute {
  name: string;
  type: SearchAttributeType;
}

/** The namespace lacks search attributes the worker needs, or has one with another type; one line, exit 2. */
export class SearchAttributesProblem extends ConfigError {
  override name = 'SearchAttributesProblem';
}

const listed = (attributes: readonly Attribute[]) =>
  attributes.map((attribute) => `${attribute.name} (${typeName(attribute.type)})`).join(', ');

/** The refusal to add `missing`, with the commands that add them: Temporal Cloud's `tcld`, the Temporal CLI's. */
export function describeMissing(namespace: string, missing: readonly Attribute[], refusal: Refusal): string {
  const cloud =
    `tcld namespace search-attributes add --namespace ${namespace} ` +
    missing
      .map((attribute) => `--search-attribute "${attribute.name}=${typeName(attribute.type)}"`)
      .join(' ');
  const cli =
    `temporal operator search-attribute create --namespace ${namespace} ` +
    missing.map((attribute) => `--name ${attribute.name} --type ${typeName(attribute.type)}`).join(' ');
  return (
    `namespace ${namespace} lacks the search attributes ${listed(missing)}, and this worker may not add them ` +
    `(${describeRefusal(refusal)}); add them on Temporal Cloud with: ${cloud}; on a self-hosted cluster with: ${cli}`
  );
}

export function describeUnreadable(namespace: string, refusal: Refusal): string {
  return (
    `the search attributes of namespace ${namespace} cannot be read (${describeRefusal(refusal)}): the worker ` +
    `needs read access to the namespace, and on it the search attributes ${listed(SEARCH_ATTRIBUTES)}`
  );
}

/** `wrong`: each attribute of another type, as `<name> is <its type>, the worker needs <type>`. */
export function describeWrongTypes(namespace: string, wrong: readonly string[]): string {
  return (
    `namespace ${namespace} has search attributes of other types (${wrong.join('; ')}): use a namespace ` +
    'without them, or remove them from it first'
  );
}

/**
 * Checks that the namespace has every search attribute the worker uses, with its type, and adds the missing ones.
 * Returns the names it added. Throws SearchAttributesProblem when one has another type, when the namespace's
 * attributes cannot be read, or when some are missing and adding them is refused.
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
): Promise<string[]> {
  const existing = await unlessRefused('ListSearchAttributes', () =>
    connection.operatorService.listSearchAttributes({ namespace }),
  );
  if (existing.refusal) throw new SearchAttributesProblem(describeUnreadable(namespace, existing.refusal));
  const known = existing.value.customAttributes ?? {};
  const wrong = SEARCH_ATTRIBUTES.flatMap((attribute) => {
    const actual = known[attribute.name];
    return actual !== undefined && actual !== null && actual !== indexedType(attribute.type)
      ? [`${attribute.name} is ${typeNameOf(actual)}, the worker needs ${typeName(attribute.type)}`]
      : [];
  });
  if (wrong.length) throw new SearchAttributesProblem(describeWrongTypes(namespace, wrong));
  const missing = SEARCH_ATTRIBUTES.filter((attribute) => known[attribute.name] === undefined);
  if (missing.length === 0) return [];
  const added = await unlessRefused('AddSearchAttributes', () =>
    connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((attribute) => [attribute.name, indexedType(attribute.type)]),
      ),
    }),
  );
  if (added.refusal) throw new SearchAttributesProblem(describeMissing(namespace, missing, added.refusal));
  return missing.map((attribute) => attribute.name);
}
