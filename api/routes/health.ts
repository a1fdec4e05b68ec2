import client from 'prom-client';
import { z } from 'zod';
import { loadMigrations } from '../../db/migrations';
import { type ApiApp, BAD_REQUEST, type RouteDeps } from '../routing';

// The API's own Prometheus metrics (GET /metrics, what compose's Prometheus scrapes as job jao-api): the Node
// process (prom-client's default metrics) and every answer by route and status, with its time. One registry per
// app, so several apps in one process (the tests) never share counters.
const METRICS_CONTENT_TYPE = client.Registry.PROMETHEUS_CONTENT_TYPE;

function createApiMetrics(app: ApiApp): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'jao_api_' });
  const answers = new client.Counter({
    name: 'jao_api_requests_total',
    help: 'Answers of the API by route, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const seconds = new client.Histogram({
    name: 'jao_api_request_duration_seconds',
    help: 'Time from a request to its answer (for a stream: to its end), by route',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, never the raw URL: a label per day or key would grow without bound.
    const route = request.routeOptions.url ?? 'unmatched';
    answers.inc({ route, method: request.method, status: String(reply.statusCode) });
    seconds.observe({ route }, reply.elapsedTime / 1000);
  });
  return registry;
}

/**
 * What the health routes share: open on purpose, without a key (probes and Prometheus call them); no parameter (one
 * given is refused, as every route of the API refuses a parameter it does not take).
 */
const HEALTH = {
  tags: ['health'],
  security: [] as { bearerAuth: string[] }[],
  querystring: z.strictObject({}),
};

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

export function registerHealthRoutes(app: ApiApp, deps: RouteDeps): void {
  const metrics = createApiMetrics(app);
  const expected = loadMigrations().map((migration) => migration.name);
  app.get(
    '/metrics',
    {
      schema: {
        operationId: 'getMetrics',
        summary:
          'Prometheus metrics of the API process: its answers by route and status, their times, the Node process',
        ...HEALTH,
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
        ...HEALTH,
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
        ...HEALTH,
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
