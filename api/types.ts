import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
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
