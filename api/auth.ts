import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { type ApiKey, findActiveApiKey, hashApiKey } from '../db/apiKeys';
import {
  DATASETS,
  type Dataset,
  declarationOf,
  isDataset,
  type RowKind,
  unknownDatasetMessage,
} from '../domain/datasets';
import { DEFAULT_DATASET } from '../domain/datasets/compat';
import { errorBody } from './routing';

/** A route that serves the dataset its `:dataset` path parameter names (`/v1/datasets/{dataset}/…`). */
export const DATASET_IN_PATH = Symbol('the dataset the path names');
/** A route that serves the dataset its `dataset` query parameter names, Core maxExchanges when absent. */
export const DATASET_IN_QUERY = Symbol('the dataset the query names');
/** A route that serves, for any key reading a declared dataset, what belongs to the key's datasets. */
export const KEYS_DATASETS = Symbol('the datasets of the key');

type ServedDataset = string | typeof DATASET_IN_PATH | typeof DATASET_IN_QUERY | typeof KEYS_DATASETS;

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
    dataset?: ServedDataset;
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
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? null;
}

/** The `:dataset` of the request's path, as sent (the router has matched the route: params are set). */
const datasetInPath = (request: FastifyRequest): string =>
  (request.params as { dataset?: string } | undefined)?.dataset ?? '';

/** The `dataset` query parameter as sent (parsed before onRequest); the default dataset when absent. */
function datasetInQuery(request: FastifyRequest): string {
  const value = (request.query as { dataset?: unknown } | undefined)?.dataset;
  return value === undefined ? DEFAULT_DATASET : String(value);
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
      const message = token
        ? 'unknown or revoked API key'
        : 'an API key is required: send Authorization: Bearer <key> (npx jao api-key create)';
      return reply.code(401).header('www-authenticate', 'Bearer realm="jao"').send(errorBody(401, message));
    }
    const refusal = refusalOf(request, served, key);
    if (refusal) return reply.code(refusal.statusCode).send(refusal);
    request.apiKey = key;
  };
}

function refusalOf(request: FastifyRequest, served: ServedDataset, key: ApiKey) {
  if (served === KEYS_DATASETS) {
    if (!key.datasets.some(isDataset)) {
      return errorBody(403, `this API key is scoped to no declared dataset (known: ${DATASETS.join(', ')})`);
    }
  } else {
    const dataset =
      served === DATASET_IN_PATH
        ? datasetInPath(request)
        : served === DATASET_IN_QUERY
          ? datasetInQuery(request)
          : served;
    if (!isDataset(dataset)) {
      return errorBody(404, unknownDatasetMessage(dataset), {
        parameter: 'dataset',
        datasets: [...DATASETS],
      });
    }
    if (!key.datasets.includes(dataset)) {
      return errorBody(403, `this API key is not scoped to the dataset ${dataset}`);
    }
  }
  if (request.routeOptions.config?.operator && !key.operator) {
    return errorBody(
      403,
      'this API key is a reader key; this route needs an operator key (jao api-key create --operator)',
    );
  }
  return null;
}

// The dataset routes serve one kind of row each: the values routes keyed values (by border or hub), the constraints
// route the flow-based domain. A declared dataset of the other kind is answered 404 naming where its rows are read,
// before its query is validated, so the answer is the same whatever else the request holds.

/** The declared datasets whose rows are of `kind`, in declaration order. */
export function datasetsOfKind(kind: RowKind): Dataset[] {
  return DATASETS.filter((dataset) => declarationOf(dataset).rowKind === kind);
}

/** The one line a dataset of another kind gets from a route that serves `kind` at `/v1/datasets/{dataset}/<route>`. */
export function otherKindMessage(dataset: Dataset, kind: RowKind, route: string): string {
  if (kind === 'constraints') {
    const served = datasetsOfKind('constraints');
    return (
      `${dataset} holds values by border or hub, not constraints: /v1/datasets/{dataset}/${route} serves the flow-based ` +
      `domain (${served.join(', ')}); read ${dataset} at /values`
    );
  }
  return (
    `${dataset} holds constraints of the flow-based domain, not values by border or hub: ` +
    `/v1/datasets/{dataset}/${route} serves values; read ${dataset} at /v1/datasets/${dataset}/constraints`
  );
}

/** A preValidation hook that refuses a declared dataset whose rows are not of `kind`. */
export function servesRowKind(kind: RowKind, route: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    // Before validation the path's parameters are the raw texts.
    const { dataset } = request.params as { dataset?: string };
    if (dataset === undefined || !isDataset(dataset) || declarationOf(dataset).rowKind === kind) return;
    const message = otherKindMessage(dataset, kind, route);
    return reply
      .code(404)
      .send(errorBody(404, message, { parameter: 'dataset', datasets: datasetsOfKind(kind) }));
  };
}
