// GET /v1/datasets: the declared datasets (domain/datasets/) the key reads; GET /v1/datasets/{dataset}/series: the
// borders of one.
import { z } from 'zod';
import { datasetEntry, seriesEntry } from '../../domain/apiAnswers';
import { marketTomorrow } from '../../domain/calendar';
import { DATASETS, DECLARATIONS, dataPathOf, declaredResolutionOn, isDataset } from '../../domain/datasets';
import { isDefaultDataset } from '../../domain/datasets/compat';
import { DATASET_IN_PATH, KEYS_DATASETS, servesRowKind } from '../auth';
import { datasetParams } from '../params';
import {
  type ApiApp,
  DATASET_REFUSALS,
  DATASETS_TAG,
  KEY_REFUSALS,
  type RouteDeps,
  SECURITY,
} from '../routing';
import { answerIfNotModified, etagOf, withSnapshot } from '../snapshot';

export function registerDatasetsRoute(app: ApiApp, deps: RouteDeps): void {
  app.get(
    '/v1/datasets',
    {
      config: { dataset: KEYS_DATASETS },
      schema: {
        operationId: 'listDatasets',
        summary: 'The datasets the key reads',
        description:
          `The declared datasets (${DATASETS.join(', ')}) the key is scoped to, in declaration order: what each ` +
          'holds, where it comes from, from which day and at which MTU resolution. A dataset of keyed values ' +
          '(row_kind keyedValues) is served at /v1/datasets/{id}/values, /series, /revisions and /difference; one ' +
          'of the flow-based domain (row_kind constraints) at /v1/datasets/{id}/constraints.',
        tags: [DATASETS_TAG],
        security: SECURITY,
        querystring: z.strictObject({}),
        response: {
          200: z.array(datasetEntry),
          ...KEY_REFUSALS,
        },
      },
    },
    async (request) => {
      const readable = new Set((request.apiKey?.datasets ?? []).filter(isDataset));
      const recorded = await deps.pool.query<{ dataset: string; endpoint: string }>({
        name: 'jao.api.dataset_sources',
        text: 'SELECT dataset, endpoint FROM jao.dataset_source',
      });
      const endpointOf = new Map(recorded.rows.map((row) => [row.dataset, row.endpoint]));
      // Each dataset's first and last stored day, read from the primary key's ends.
      const stored = await deps.pool.query<{
        dataset: string;
        stored_from: string | null;
        stored_to: string | null;
      }>({
        name: 'jao.api.dataset_stored_range',
        text: `SELECT d.dataset,
                      (SELECT min(day)::text FROM jao.delivery_day WHERE dataset = d.dataset) AS stored_from,
                      (SELECT max(day)::text FROM jao.delivery_day WHERE dataset = d.dataset) AS stored_to
                 FROM unnest($1::text[]) AS d(dataset)`,
        values: [[...readable]],
      });
      const storedOf = new Map(stored.rows.map((row) => [row.dataset, row]));
      const tomorrow = marketTomorrow(new Date());
      return DECLARATIONS.filter((declaration) => readable.has(declaration.id)).map((declaration) => ({
        id: declaration.id,
        title: declaration.title,
        description: declaration.description,
        region: declaration.region,
        endpoint: declaration.endpoint,
        source_path: dataPathOf(declaration),
        source_endpoint: endpointOf.get(declaration.id) ?? null,
        time_zone: declaration.timeZone,
        first_day: declaration.firstDay,
        stored_from: storedOf.get(declaration.id)?.stored_from ?? null,
        stored_to: storedOf.get(declaration.id)?.stored_to ?? null,
        resolution_minutes: declaredResolutionOn(declaration, tomorrow),
        resolutions: [...declaration.resolutions],
        row_kind: declaration.rowKind,
        unit: declaration.unit,
        default: isDefaultDataset(declaration.id),
      }));
    },
  );

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
