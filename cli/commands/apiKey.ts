// `jao api-key`: the API's keys, apart from the API server's module so that managing a key loads no HTTP server.
import { createApiKey, listApiKeys, revokeApiKey, setOperatorScope } from '../../db/apiKeys';
import { DATASETS } from '../../domain/types';
import { parseCommandArgs } from '../args';
import { configFromEnv, withPool } from '../context';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import { COMMAND_OPTIONS } from '../options';

const USAGE =
  'usage: jao api-key create --name NAME [--dataset maxExchanges …] [--operator] | list | revoke ID | ' +
  'scope ID --operator|--reader';

/** `jao api-key --help`: what each action does, and what the operator scope grants. */
export const API_KEY_HELP = `${USAGE}

  create    a new key, printed once (stored as its sha256). A reader key by default: it reads values,
            revisions, day quality and the live feed of its datasets (--dataset, repeatable; default all).
            --operator grants the operator scope as well: the key may also re-run days and start backfills
            from the status page or POST /v1/runs/…, and read each day's run history. Reader keys never
            carry it; give it only to people who run the pipeline.
  list      every key: id, name, datasets, scope (reader / operator), created, revoked
  revoke ID revokes a key: new requests get 401 at once, open streams end within 5 s
  scope ID --operator | --reader
            grants or removes the operator scope; an operator's open live feed ends within 5 s of losing it`;

const scopeOf = (operator: boolean) => (operator ? 'operator' : 'reader');

/** `jao api-key create|list|revoke|scope`: keys of the API, as the database owner (DATABASE_URL). */
export async function apiKeyCommand(argv: string[], io: CliIo): Promise<void> {
  const [action, ...rest] = argv;
  await withPool(configFromEnv(io.env).DATABASE_URL, { max: 1 }, async (pool) => {
    if (action === 'create') {
      const { values } = parseCommandArgs('api-key create', rest, COMMAND_OPTIONS['api-key create'], 0);
      const name = values.name?.trim();
      if (!name || name.length > 200)
        throw new UsageError('create: --name NAME is required (at most 200 characters)');
      const datasets = values.dataset ?? [...DATASETS];
      const unknown = datasets.find((dataset) => !(DATASETS as readonly string[]).includes(dataset));
      if (unknown)
        throw new UsageError(`create: unknown dataset "${unknown}" (known: ${DATASETS.join(', ')})`);
      const { key, token } = await createApiKey(pool, { name, datasets, operator: values.operator ?? false });
      io.out(token);
      io.err(
        `key ${key.id} "${key.name}" (${scopeOf(key.operator)}) for ${key.datasets.join(', ')}: shown once, ` +
          'stored only as its sha256; send it as Authorization: Bearer <key>',
      );
    } else if (action === 'list') {
      parseCommandArgs('api-key list', rest, COMMAND_OPTIONS['api-key list'], 0);
      const keys = await listApiKeys(pool);
      if (keys.length === 0) io.out('no API keys (create one: jao api-key create --name NAME)');
      for (const key of keys) {
        const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
        io.out(
          `${key.id}\t${key.name}\t${key.datasets.join(',')}\t${scopeOf(key.operator)}\tcreated ${key.createdAt}\t${state}`,
        );
      }
    } else if (action === 'revoke') {
      const { positionals } = parseCommandArgs('api-key revoke', rest, COMMAND_OPTIONS['api-key revoke'], 1);
      const id = positionals[0];
      if (!id || !/^\d{1,9}$/.test(id))
        throw new UsageError('revoke: expected the key id (see jao api-key list)');
      const key = await revokeApiKey(pool, Number(id));
      if (!key) throw new UsageError(`revoke: no key ${id}`);
      io.out(`key ${key.id} "${key.name}" revoked at ${key.revokedAt}`);
    } else if (action === 'scope') {
      const { values, positionals } = parseCommandArgs(
        'api-key scope',
        rest,
        COMMAND_OPTIONS['api-key scope'],
        1,
      );
      const id = positionals[0];
      if (!id || !/^\d{1,9}$/.test(id))
        throw new UsageError('scope: expected the key id (see jao api-key list)');
      if (values.operator === values.reader)
        throw new UsageError('scope: say --operator (grant the operator scope) or --reader (remove it)');
      const key = await setOperatorScope(pool, Number(id), values.operator === true);
      if (!key) throw new UsageError(`scope: no key ${id}`);
      io.out(`key ${key.id} "${key.name}" is now ${scopeOf(key.operator)}`);
    } else if (action === '--help' || action === 'help') {
      io.out(API_KEY_HELP);
    } else {
      throw new UsageError(USAGE);
    }
  });
}
