// What the routes share: the app's type, its dependencies, their OpenAPI tag and security, and the answers they
// refuse with.
import { STATUS_CODES } from 'node:http';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import type { DayEventHub } from './eventHub';
import type { KeyWatch } from './keyWatch';
import type { ResponseCache } from './responseCache';
import type { RunControl } from './runControl';
import type { RunningDaysSource } from './runningDays';
import type { SeriesCache } from './seriesCache';
import type { CurrentDataVersion } from './snapshot';

export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface RouteDeps {
  pool: pg.Pool;
  seriesCache: SeriesCache;
  /** Whole small answers of the values route, by ETag. */
  responses: ResponseCache;
  /** The data version a cached answer is checked against. */
  currentVersion: CurrentDataVersion;
  hub: DayEventHub;
  /** Ends a long-lived response whose key is revoked or no longer reads its dataset. */
  keyWatch: KeyWatch;
  maxRangeDays: number;
  heartbeatMs: number;
  /** Temporal's open day workflows; null: the API has no Temporal to ask. */
  runningDays: RunningDaysSource | null;
  /** Starts runs and reads runs and backfills for operator keys; null: the API has no Temporal to ask. */
  runControl: RunControl | null;
}

/** The OpenAPI tag of GET /v1/datasets and the /v1/datasets/{dataset}/… routes. */
export const DATASETS_TAG = 'datasets';
export const SECURITY = [{ bearerAuth: [] }];

/** A request parameter that breaks a rule: answered 400 naming the parameter and the rule. */
export class ApiInputError extends Error {
  override name = 'ApiInputError';
  constructor(
    readonly parameter: string,
    readonly rule: string,
  ) {
    super(`${parameter}: ${rule}`);
  }
}

/** The body of every error answer: the status, its reason phrase, the message and what more the answer names. */
export function errorBody(
  statusCode: number,
  message: string,
  more: { parameter?: string; datasets?: string[] } = {},
) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...more };
}

export function badRequest(parameter: string, rule: string) {
  return errorBody(400, `${parameter}: ${rule}`, { parameter });
}

/** errorBody as the OpenAPI document shows it. */
export const errorBodySchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  parameter: z.string().optional().describe('the parameter a 400 refused'),
});

/** A parameter the route does not take, or one that breaks its rule. */
export const BAD_REQUEST = errorBodySchema.describe(
  'a parameter breaks a rule, or is not one of the route (`parameter` names it)',
);

/** The refusals of a route any key may call (its datasets decide what it reads). */
export const KEY_REFUSALS = {
  400: BAD_REQUEST,
  401: errorBodySchema.describe('no key, or an unknown or revoked key'),
  403: errorBodySchema.describe('the key reads no declared dataset'),
  429: errorBodySchema.describe(
    'the key made more requests this minute than the API allows a key (API_RATE_LIMIT_PER_MINUTE); Retry-After says when to try again',
  ),
};

/** The refusals of a /v1/datasets/{dataset}/… route (and of a route taking `dataset`) before it reads anything. */
export const DATASET_REFUSALS = {
  ...KEY_REFUSALS,
  403: errorBodySchema.describe('the key does not read the dataset'),
  404: errorBodySchema
    .extend({ datasets: z.array(z.string()).describe('the declared dataset ids') })
    .describe(
      'no declared dataset has this id (the message and `datasets` list the known ones), or, on a route of values, ' +
        'the dataset holds constraints of the flow-based domain (the message names /constraints, where they are ' +
        'read; `datasets` lists those the route serves)',
    ),
};
