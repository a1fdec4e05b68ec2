// Search attributes on a namespace the worker may not manage (Temporal Cloud, a cluster run by another team): what
// it checks, the refusals it recognises, and the one line that names the missing ones with the commands that add them.
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { refusalCodeOf } from '../../control/refusal';
import { ensureSearchAttributes, SearchAttributesProblem } from '../../control/searchAttributes';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
const KEYWORD = IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
const INT = IndexedValueType.INDEXED_VALUE_TYPE_INT;

/** An error as @temporalio/client throws it for a gRPC status. */
function grpcError(code: number, name: string, details = 'Request unauthorized.'): Error {
  return Object.assign(new Error(`${code} ${name}: ${details}`), { code, details, metadata: {} });
}
const PERMISSION_DENIED = () => grpcError(7, 'PERMISSION_DENIED');
const UNIMPLEMENTED = () => grpcError(12, 'UNIMPLEMENTED', 'unknown method');

const fail = (error: Error) => () => Promise.reject(error);

function operator(methods: {
  list: () => Promise<{ customAttributes?: Record<string, number> }>;
  add?: () => Promise<unknown>;
}) {
  const added: Record<string, number>[] = [];
  const connection = {
    operatorService: {
      listSearchAttributes: methods.list,
      addSearchAttributes: async (request: { searchAttributes: Record<string, number> }) => {
        added.push(request.searchAttributes);
        return methods.add ? methods.add() : {};
      },
    },
  } as unknown as Pick<Connection, 'operatorService'>;
  return { connection, added };
}

describe('refusals', () => {
  it('are PERMISSION_DENIED and UNIMPLEMENTED, also as a cause; anything else is a failure', () => {
    expect(refusalCodeOf(PERMISSION_DENIED())).toBe('PERMISSION_DENIED');
    expect(refusalCodeOf(new Error('step', { cause: UNIMPLEMENTED() }))).toBe('UNIMPLEMENTED');
    expect(refusalCodeOf(grpcError(16, 'UNAUTHENTICATED', 'bad key'))).toBeNull();
    expect(refusalCodeOf(grpcError(14, 'UNAVAILABLE', 'down'))).toBeNull();
    expect(refusalCodeOf(new Error('7 PERMISSION_DENIED'))).toBeNull();
  });
});

describe('search attributes', () => {
  const all = { Dataset: KEYWORD, DeliveryDay: KEYWORD, DayStatus: KEYWORD, NotCompleteDays: INT };

  it('adds nothing where every one exists with its type', async () => {
    const { connection, added } = operator({ list: async () => ({ customAttributes: all }) });
    expect(await ensureSearchAttributes(connection, 'ns')).toEqual([]);
    expect(added).toEqual([]);
  });

  it('adds the missing ones where it may', async () => {
    const { Dataset: _, NotCompleteDays: __, ...some } = all;
    const { connection, added } = operator({ list: async () => ({ customAttributes: some }) });
    expect(await ensureSearchAttributes(connection, 'ns')).toEqual(['Dataset', 'NotCompleteDays']);
    expect(added).toEqual([{ Dataset: KEYWORD, NotCompleteDays: INT }]);
  });

  it('where adding is refused, names each missing one and the commands that add them, in one line', async () => {
    const { connection } = operator({
      list: async () => ({ customAttributes: { DeliveryDay: KEYWORD, DayStatus: KEYWORD } }),
      add: fail(PERMISSION_DENIED()),
    });
    const refused = ensureSearchAttributes(connection, 'jao.a1b2c');
    await expect(refused).rejects.toBeInstanceOf(SearchAttributesProblem);
    await expect(refused).rejects.toThrow(
      new SearchAttributesProblem(
        'namespace jao.a1b2c lacks the search attributes Dataset (Keyword), NotCompleteDays (Int), and this worker ' +
          'may not add them (AddSearchAttributes: PERMISSION_DENIED); add them on Temporal Cloud with: tcld namespace ' +
          'search-attributes add --namespace jao.a1b2c --search-attribute "Dataset=Keyword" --search-attribute ' +
          '"NotCompleteDays=Int"; on a self-hosted cluster with: temporal operator search-attribute create ' +
          '--namespace jao.a1b2c --name Dataset --type Keyword --name NotCompleteDays --type Int',
      ),
    );
    const unimplemented = operator({ list: async () => ({}), add: fail(UNIMPLEMENTED()) });
    await expect(ensureSearchAttributes(unimplemented.connection, 'ns')).rejects.toThrow(
      /^namespace ns lacks the search attributes Dataset \(Keyword\), DeliveryDay \(Keyword\), DayStatus \(Keyword\), NotCompleteDays \(Int\), and this worker may not add them \(AddSearchAttributes: UNIMPLEMENTED\); /,
    );
  });

  it('says so in one line where even listing them is refused', async () => {
    const { connection, added } = operator({ list: fail(PERMISSION_DENIED()) });
    await expect(ensureSearchAttributes(connection, 'ns')).rejects.toThrow(
      new SearchAttributesProblem(
        'the search attributes of namespace ns cannot be read (ListSearchAttributes: PERMISSION_DENIED): the ' +
          'worker needs read access to the namespace, and on it the search attributes Dataset (Keyword), ' +
          'DeliveryDay (Keyword), DayStatus (Keyword), NotCompleteDays (Int)',
      ),
    );
    expect(added).toEqual([]);
  });

  it('stops at one of another type, and passes other failures on as they are', async () => {
    const text = operator({ list: async () => ({ customAttributes: { ...all, DayStatus: INT } }) });
    await expect(ensureSearchAttributes(text.connection, 'ns')).rejects.toThrow(
      'namespace ns has search attributes of other types (DayStatus is Int, the worker needs Keyword): use a ' +
        'namespace without them, or remove them from it first',
    );
    const down = operator({ list: fail(grpcError(14, 'UNAVAILABLE', 'down')) });
    await expect(ensureSearchAttributes(down.connection, 'ns')).rejects.toThrow('14 UNAVAILABLE: down');
    const full = operator({
      list: async () => ({}),
      add: fail(grpcError(3, 'INVALID_ARGUMENT', 'too many')),
    });
    await expect(ensureSearchAttributes(full.connection, 'ns')).rejects.not.toBeInstanceOf(
      SearchAttributesProblem,
    );
  });
});
