import { apiSettings } from '../../api/config';
import { startApi } from '../../api/server';
import { createApiKey, listApiKeys, revokeApiKey } from '../../db/apiKeys';
import { createPool } from '../../db/pool';
import { DATASETS } from '../../domain/types';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import { UsageError } from '../errors';

/** `jao api`: the HTTP API on API_HOST:API_PORT, as jao_reader, until SIGINT or SIGTERM. */
export async function apiCommand(argv: string[]): Promise<void> {
  parseCommandArgs('api', argv, {}, 0);
  const api = await startApi(apiSettings(configFromEnv()));
  console.error(
    `jao api: listening on ${api.url} (docs ${api.url}/docs, OpenAPI ${api.url}/openapi.json, status page ${api.url}/)`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await api.close();
}

const USAGE = 'usage: jao api-key create --name NAME [--dataset maxExchanges …] | list | revoke ID';

/** `jao api-key create|list|revoke`: keys of the API, as the database owner (DATABASE_URL). */
export async function apiKeyCommand(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  const pool = createPool(configFromEnv().DATABASE_URL, { max: 1 });
  try {
    if (action === 'create') {
      const { values } = parseCommandArgs(
        'api-key create',
        rest,
        { name: { type: 'string' }, dataset: { type: 'string', multiple: true } },
        0,
      );
      const name = values.name?.trim();
      if (!name || name.length > 200)
        throw new UsageError('create: --name NAME is required (at most 200 characters)');
      const datasets = values.dataset ?? [...DATASETS];
      const unknown = datasets.find((dataset) => !(DATASETS as readonly string[]).includes(dataset));
      if (unknown)
        throw new UsageError(`create: unknown dataset "${unknown}" (known: ${DATASETS.join(', ')})`);
      const { key, token } = await createApiKey(pool, { name, datasets });
      console.log(token);
      console.error(
        `key ${key.id} "${key.name}" for ${key.datasets.join(', ')}: shown once, stored only as its sha256; ` +
          'send it as Authorization: Bearer <key>',
      );
    } else if (action === 'list') {
      parseCommandArgs('api-key list', rest, {}, 0);
      const keys = await listApiKeys(pool);
      if (keys.length === 0) console.log('no API keys (create one: jao api-key create --name NAME)');
      for (const key of keys) {
        const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
        console.log(`${key.id}\t${key.name}\t${key.datasets.join(',')}\tcreated ${key.createdAt}\t${state}`);
      }
    } else if (action === 'revoke') {
      const { positionals } = parseCommandArgs('api-key revoke', rest, {}, 1);
      const id = positionals[0];
      if (!id || !/^\d{1,9}$/.test(id))
        throw new UsageError('revoke: expected the key id (see jao api-key list)');
      const key = await revokeApiKey(pool, Number(id));
      if (!key) throw new UsageError(`revoke: no key ${id}`);
      console.log(`key ${key.id} "${key.name}" revoked at ${key.revokedAt}`);
    } else {
      throw new UsageError(USAGE);
    }
  } finally {
    await pool.end();
  }
}
