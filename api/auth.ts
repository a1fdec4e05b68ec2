import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { type ApiKey, findActiveApiKey, hashApiKey } from '../db/apiKeys';
import { DATASETS, isDataset, unknownDatasetMessage } from '../domain/datasets';
import { DEFAULT_DATASET } from '../domain/datasets/compat';

/** A route that serves the dataset its `:dataset` path parameter names (`/v1/datasets/{dataset}/…`). */
export const DATASET_IN_PATH = Symbol('the dataset the path names');
/** A route that serves the dataset its `dataset` query parameter names, Core maxExchanges when absent. */
export const DATASET_IN_QUERY = Symbol('the dataset the query names');
/** A route that serves, for any key reading a declared dataset, what belongs to the key's datasets. */
export const KEYS_DATASETS = Symbol('the datasets of the key');

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's key on routes that need one (set by the auth hook); null elsewhere. */
    apiKey: ApiKey | null;
  }
  interface FastifyContextConfig {
    /**
     * The dataset a route serves: the route needs a key scoped to it. DATASET_IN_PATH: the one its `:dataset`
     * names (an undeclared one is answered 404); DATASET_IN_QUERY: the one its `dataset` query parameter names
     * (the default dataset when absent; an undeclared one is answered 404); KEYS_DATASETS: a key scoped to any
     * declared dataset.
     */
    dataset?: string | typeof DATASET_IN_PATH | typeof DATASET_IN_QUERY | typeof KEYS_DATASETS;
    /** The route acts (starts runs) or shows what only operators see: it needs the operator scope too. */
    operator?: boolean;
  }
}

const TOKEN_PATTERN = /^jao_[A-Za-z0-9_-]{43}$/;
/** How long a looked-up key is trusted without asking the database again (also how long a revocation takes). */
export const KEY_CACHE_MS = 5_000;

/** Active keys by hash, looked up in jao.api_key and kept for KEY_CACHE_MS. */
export class KeyStore {
  private readonly cache = new Map<string, { key: ApiKey; until: number }>();
  constructor(private readonly pool: pg.Pool) {}

  async find(token: string): Promise<ApiKey | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const hash = hashApiKey(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.key;
    const key = await findActiveApiKey(this.pool, hash);
    if (key) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { key, until: Date.now() + KEY_CACHE_MS });
    } else this.cache.delete(hash);
    return key;
  }

  /** Drops a key known to be revoked or rescoped: the next request with it asks the database. */
  forget(keyId: number): void {
    for (const [hash, entry] of this.cache) if (entry.key.id === keyId) this.cache.delete(hash);
  }
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** The 404 of a dataset no declaration names: the known ids in the message and in `datasets`. */
export function unknownDatasetAnswer(text: string) {
  return {
    statusCode: 404,
    error: 'Not Found',
    message: unknownDatasetMessage(text),
    parameter: 'dataset',
    datasets: [...DATASETS],
  };
}

/** The `:dataset` of the request's path, as sent (the router has matched the route: params are set). */
const datasetInPath = (request: FastifyRequest): string =>
  (request.params as { dataset?: string } | undefined)?.dataset ?? '';

/** The `dataset` query parameter as sent (parsed before onRequest); the default dataset when absent. */
function datasetInQuery(request: FastifyRequest): string {
  const value = (request.query as { dataset?: unknown } | undefined)?.dataset;
  if (value === undefined) return DEFAULT_DATASET;
  return typeof value === 'string' ? value : String(value);
}

/**
 * onRequest: a route serving a dataset answers 401 without a valid key (`Authorization: Bearer <key>`), 404 for
 * a dataset no declaration names, 403 to a key not scoped to the dataset, and 403 to a key without the operator
 * scope on an operator's route.
 */
export function authHook(keys: KeyStore) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    request.apiKey = null;
    const served = request.routeOptions.config?.dataset;
    if (!served) return;
    const token = bearerToken(request.headers.authorization);
    const key = token ? await keys.find(token) : null;
    if (!key) {
      reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="jao"')
        .send({
          statusCode: 401,
          error: 'Unauthorized',
          message: token
            ? 'unknown or revoked API key'
            : 'an API key is required: send Authorization: Bearer <key> (npx jao api-key create)',
        });
      return reply;
    }
    if (served === KEYS_DATASETS) {
      if (!key.datasets.some(isDataset)) {
        reply.code(403).send({
          statusCode: 403,
          error: 'Forbidden',
          message: `this API key is scoped to no declared dataset (known: ${DATASETS.join(', ')})`,
        });
        return reply;
      }
    } else {
      const dataset =
        served === DATASET_IN_PATH
          ? datasetInPath(request)
          : served === DATASET_IN_QUERY
            ? datasetInQuery(request)
            : served;
      if (!isDataset(dataset)) {
        reply.code(404).send(unknownDatasetAnswer(dataset));
        return reply;
      }
      if (!key.datasets.includes(dataset)) {
        reply.code(403).send({
          statusCode: 403,
          error: 'Forbidden',
          message: `this API key is not scoped to the dataset ${dataset}`,
        });
        return reply;
      }
    }
    if (request.routeOptions.config?.operator && !key.operator) {
      reply.code(403).send({
        statusCode: 403,
        error: 'Forbidden',
        message:
          'this API key is a reader key; this route needs an operator key (jao api-key create --operator)',
      });
      return reply;
    }
    request.apiKey = key;
  };
}
