import type client from 'prom-client';
import { z } from 'zod';
import { loadMigrations } from '../../db/migrations';
import { BAD_REQUEST } from '../errors';
import { METRICS_CONTENT_TYPE } from '../metrics';
import type { ApiApp, RouteDeps } from '../types';

/** Open on purpose, without a key: probes and Prometheus call them. */
const OPEN: { bearerAuth: string[] }[] = [];
/** They take no parameter; one given is refused, as every route of the API refuses a parameter it does not take. */
const noParameters = z.strictObject({});

const probe = z.object({ status: z.enum(['ok', 'unavailable']), reason: z.string().optional() });

/** Every migration of this build is recorded in jao.schema_migrations (applied or not applicable). */
async function unmigrated(deps: RouteDeps, expected: readonly string[]): Promise<string[]> {
  const result = await deps.pool.query<{ name: string }>({
    name: 'jao.api.migrations',
    text: 'SELECT name FROM jao.schema_migrations',
  });
  const recorded = new Set(result.rows.map((row) => row.name));
  return expected.filter((name) => !recorded.has(name));
}

export function registerHealthRoutes(app: ApiApp, deps: RouteDeps, metrics: client.Registry): void {
  const expected = loadMigrations().map((migration) => migration.name);
  app.get(
    '/metrics',
    {
      schema: {
        operationId: 'getMetrics',
        summary:
          'Prometheus metrics of the API process: its answers by route and status, their times, the Node process',
        tags: ['health'],
        security: OPEN,
        querystring: noParameters,
        produces: [METRICS_CONTENT_TYPE],
        response: { 200: z.string(), 400: BAD_REQUEST },
      },
    },
    async (_request, reply) => {
      reply.type(METRICS_CONTENT_TYPE);
      return metrics.metrics();
    },
  );
  app.get(
    '/livez',
    {
      schema: {
        operationId: 'checkLiveness',
        summary: 'The process is up',
        tags: ['health'],
        security: OPEN,
        querystring: noParameters,
        response: { 200: probe, 400: BAD_REQUEST },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'checkReadiness',
        summary: 'The database is reachable and migrated',
        tags: ['health'],
        security: OPEN,
        querystring: noParameters,
        response: { 200: probe, 400: BAD_REQUEST, 503: probe },
      },
    },
    async (_request, reply) => {
      try {
        const missing = await unmigrated(deps, expected);
        if (missing.length > 0) {
          return reply
            .code(503)
            .send({ status: 'unavailable', reason: `not migrated: ${missing.join(', ')}` });
        }
        return { status: 'ok' as const };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return reply.code(503).send({ status: 'unavailable', reason: `database: ${reason}` });
      }
    },
  );
}
