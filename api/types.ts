import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Catalogue } from './catalogue';
import type { DayEventHub } from './eventHub';

export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What the routes share. */
export interface RouteDeps {
  pool: pg.Pool;
  catalogue: Catalogue;
  hub: DayEventHub;
  maxRangeDays: number;
  heartbeatMs: number;
}

export const MAX_EXCHANGES = 'maxExchanges';
export const SECURITY = [{ bearerAuth: [] }];
