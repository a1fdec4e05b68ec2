import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { DATASET_IN_PATH } from '../auth';
import { answerIfNotModified, etagOf, isSettled } from '../caching';
import { type DifferenceRow, differenceQuery as differenceSqlQuery, differenceText } from '../differenceRows';
import { ApiInputError } from '../errors';
import { borderList, checkDayRange, datasetParams, differenceQuery } from '../params';
import { servesRowKind } from '../rowKindGuard';
import { withSnapshot } from '../snapshot';
import { type ApiApp, DATASETS_TAG, type RouteDeps, SECURITY } from '../types';
import { CONTENT_TYPES } from '../valueRows';
import { DATASET_REFUSALS } from './datasets';

const differenceRow = z.object({
  mtu: z.string().describe('UTC start of the MTU, ISO-8601'),
  delivery_day: z.string().describe('Europe/Amsterdam delivery day'),
  border: z.string(),
  base_mw: z.number().nullable().describe('the value as known at base_as_of; null: none then'),
  compare_mw: z.number().nullable().describe('the value as known at compare_as_of (or now); null: none then'),
  difference_mw: z.number().nullable().describe('compare_mw − base_mw; null when either is missing'),
});

export function registerDifferenceRoute(app: ApiApp, deps: RouteDeps): void {
  app.get(
    '/v1/datasets/:dataset/difference',
    {
      config: { dataset: DATASET_IN_PATH },
      preValidation: servesRowKind('keyedValues', 'difference'),
      schema: {
        operationId: 'compareVersions',
        summary: 'The change between two versions of the values of a few borders over from..to',
        description:
          'Per border and MTU: the value as known at base_as_of, as known at compare_as_of (absent: the current ' +
          'value), and compare − base. An MTU present in one version only has a null on the other side. Ordered by ' +
          'MTU and border; json, ndjson or csv. What the status page draws in its difference view.',
        tags: [DATASETS_TAG],
        security: SECURITY,
        params: datasetParams,
        querystring: differenceQuery,
        response: { 200: z.array(differenceRow), ...DATASET_REFUSALS },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const { dataset } = request.params;
      checkDayRange(dataset, query.from, query.to, deps.maxRangeDays);
      const compareAsOf = query.compare_as_of ?? null;
      if (compareAsOf && compareAsOf.getTime() < query.base_as_of.getTime()) {
        throw new ApiInputError('compare_as_of', 'must not be before base_as_of');
      }
      const borders = borderList(query.border) ?? [];
      const body = await withSnapshot(deps.pool, async (client, version) => {
        const known = await deps.seriesCache.knownBorders(client, version, dataset);
        const unknown = borders.find((border) => !known.has(border));
        if (unknown) throw new ApiInputError('border', `unknown border ${unknown}`);
        const settled = isSettled(compareAsOf ?? undefined, version);
        const etag = etagOf(
          [
            'difference',
            dataset,
            query.from,
            query.to,
            borders,
            query.base_as_of.toISOString(),
            compareAsOf?.toISOString() ?? null,
            query.format,
          ],
          settled ? null : version,
        );
        if (answerIfNotModified(request, reply, etag, settled)) return null;
        const result = await client.query<DifferenceRow>({
          ...differenceSqlQuery(dataset, query.from, query.to, borders, query.base_as_of, compareAsOf),
          rowMode: 'array',
        });
        return differenceText(result.rows, query.format);
      });
      if (body === null) return reply;
      reply.header('content-type', CONTENT_TYPES[query.format]);
      if (query.format === 'csv') {
        reply.header(
          'content-disposition',
          `inline; filename="${dataset}_difference_${query.from}_${query.to}.csv"`,
        );
      }
      // Already formatted: the response schema documents the rows, it does not serialize them again.
      return (reply as FastifyReply).send(body);
    },
  );
}
