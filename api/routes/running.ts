import { z } from 'zod';
import { KEYS_DATASETS } from '../auth';
import { type ApiApp, KEY_REFUSALS, type RouteDeps, SECURITY } from '../routing';
import { MAX_RUNNING_DAYS } from '../runningDays';
import { serviceUnavailable, temporalFailure } from '../temporalClient';

const runningDay = z.object({
  dataset: z.string(),
  day: z.string(),
  workflow_id: z.string(),
  run_id: z.string(),
  started_at: z.string().describe('when this run started (ISO-8601)'),
});

const unavailable = z.object({ statusCode: z.literal(503), error: z.string(), message: z.string() });

export function registerRunningRoute(app: ApiApp, deps: RouteDeps): void {
  app.get(
    '/v1/days/running',
    {
      config: { dataset: KEYS_DATASETS },
      schema: {
        summary: 'The delivery days whose day workflow is running now',
        description:
          `Open deliveryDayWorkflow runs in the API's Temporal namespace (its visibility store, a few seconds behind), ` +
          `at most ${MAX_RUNNING_DAYS}, of the datasets the key reads (each names its dataset). jao.day_quality keeps the status of the last finished run; 503 when ` +
          'Temporal does not answer (which days run is then unknown, not "none").',
        operationId: 'listRunningDays',
        tags: ['days'],
        security: SECURITY,
        querystring: z.strictObject({}),
        response: { 200: z.array(runningDay), ...KEY_REFUSALS, 503: unavailable },
      },
    },
    async (request, reply) => {
      const datasets = request.apiKey?.datasets ?? [];
      if (!deps.runningDays)
        return serviceUnavailable(reply, 'this API has no Temporal to ask (TEMPORAL_ADDRESS)');
      try {
        const running = await deps.runningDays.list();
        reply.header('cache-control', 'no-store');
        return running.filter((day) => datasets.includes(day.dataset));
      } catch (error) {
        return temporalFailure(reply, request, error);
      }
    },
  );
}
