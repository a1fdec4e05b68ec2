import { z } from 'zod';
import { DATASET_IN_PATH, servesRowKind } from '../auth';
import { datasetParams } from '../params';
import { type ApiApp, DATASET_REFUSALS, DATASETS_TAG, type RouteDeps, SECURITY } from '../routing';
import { answerIfNotModified, etagOf, withSnapshot } from '../snapshot';

const seriesEntry = z.object({
  key: z.string().describe('as published: border_AT_BE, hub_AT'),
  border: z.string(),
  from_zone: z.string().describe('the zone an exchange leaves; for a hub series (hub_AT), the hub'),
  to_zone: z.string().nullable().describe('the zone an exchange enters; null for a hub series'),
  unit: z.string(),
  first_day: z.string().nullable().describe('first delivery day with a current value'),
  last_day: z.string().nullable(),
  values: z.number().int().describe('current values stored'),
  last_revision_at: z.string().nullable().describe('when a current value of the border last changed'),
  dataset: z.string().describe('the JAO dataset (jao.catalog)'),
  resolution_minutes: z.number().int().nullable().describe('length of one MTU in the latest stored day'),
  complete_days: z
    .number()
    .int()
    .describe('complete days carrying the border, from its first to its last stored day'),
  days_in_span: z.number().int().nullable().describe('days from its first to its last stored day'),
  complete_share: z.number().nullable().describe('complete_days / days_in_span'),
  source_endpoint: z.string().nullable().describe('the URL the pipeline fetches the dataset from'),
  publication_schedule: z
    .string()
    .nullable()
    .describe('when JAO publishes a day and when the pipeline looks for it'),
});

export function registerSeriesRoute(app: ApiApp, deps: RouteDeps): void {
  app.get(
    '/v1/datasets/:dataset/series',
    {
      config: { dataset: DATASET_IN_PATH },
      preValidation: servesRowKind('keyedValues', 'series'),
      schema: {
        operationId: 'listSeries',
        summary: 'The catalogue of borders of a dataset',
        tags: [DATASETS_TAG],
        security: SECURITY,
        params: datasetParams,
        querystring: z.strictObject({}),
        response: { 200: z.array(seriesEntry), ...DATASET_REFUSALS },
      },
    },
    async (request, reply) => {
      const { dataset } = request.params;
      const answer = await withSnapshot(deps.pool, async (client, version) => {
        const etag = etagOf(['series', dataset], version);
        if (answerIfNotModified(request, reply, etag, false)) return null;
        return deps.seriesCache.series(client, version, dataset);
      });
      return answer === null ? reply : answer;
    },
  );
}
