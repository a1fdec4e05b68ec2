// The API's own Prometheus metrics (GET /metrics, what compose's Prometheus scrapes as job jao-api): the Node
// process (prom-client's default metrics) and every answer by route and status, with its time. One registry per
// app, so several apps in one process (the tests) never share counters.
import client from 'prom-client';
import type { ApiApp } from './types';

export const METRICS_CONTENT_TYPE = client.Registry.PROMETHEUS_CONTENT_TYPE;

export function createApiMetrics(app: ApiApp): client.Registry {
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
