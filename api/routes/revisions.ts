import type pg from 'pg';
import { z } from 'zod';
import { type RevisionRow, revisionRow } from '../../domain/apiAnswers';
import { dayOfInstant } from '../../domain/calendar';
import type { Dataset } from '../../domain/datasets';
import { DATASET_IN_PATH, servesRowKind } from '../auth';
import { checkFirstDay, datasetParams, revisionsQuery } from '../params';
import {
  type ApiApp,
  ApiInputError,
  DATASET_REFUSALS,
  DATASETS_TAG,
  type RouteDeps,
  SECURITY,
} from '../routing';
import { answerIfNotModified, etagOf, withSnapshot } from '../snapshot';

/** A row as the database gives it: the answer's, with its instants as dates. */
type RevisionDbRow = Omit<RevisionRow, 'mtu' | 'first_seen_at' | 'valid_from' | 'valid_to'> & {
  mtu: Date;
  first_seen_at: Date;
  valid_from: Date;
  valid_to: Date | null;
};

/**
 * The revisions of one border on one day (one MTU of it when `mtu` is set), of every dataset through
 * jao.dataset_values_history (migration 008), narrowed to the dataset, the border and the day.
 */
function revisionsSql(dataset: Dataset, border: string, mtu: Date | null, day: string): pg.QueryConfig {
  return {
    name: 'jao.api.dataset_revisions',
    text: `SELECT mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at, valid_from, valid_to
             FROM jao.dataset_values_history
            WHERE dataset = $4::text AND border = $1::text AND delivery_day = $3::date
              AND ($2::timestamptz IS NULL OR mtu = $2::timestamptz)
            ORDER BY mtu, revision`,
    values: [border, mtu, day, dataset],
  };
}

export function registerRevisionsRoute(app: ApiApp, deps: RouteDeps): void {
  app.get(
    '/v1/datasets/:dataset/revisions',
    {
      config: { dataset: DATASET_IN_PATH },
      preValidation: servesRowKind('keyedValues', 'revisions'),
      schema: {
        operationId: 'listRevisions',
        summary: 'Every revision of a border at one MTU or on one delivery day',
        description:
          'jao.dataset_values_history of the dataset (for maxExchanges the rows of jao.max_exchanges_history): give ' +
          'border and exactly one of mtu or day.',
        tags: [DATASETS_TAG],
        security: SECURITY,
        params: datasetParams,
        querystring: revisionsQuery,
        response: { 200: z.array(revisionRow), ...DATASET_REFUSALS },
      },
    },
    async (request, reply) => {
      const { border, mtu, day } = request.query;
      const { dataset } = request.params;
      if ((mtu === undefined) === (day === undefined)) {
        throw new ApiInputError(mtu === undefined ? 'mtu' : 'day', 'give exactly one of mtu or day');
      }
      if (day !== undefined) checkFirstDay(dataset, 'day', day);
      const answer = await withSnapshot(deps.pool, async (client, version) => {
        const known = await deps.seriesCache.knownBorders(client, version, dataset);
        if (!known.has(border)) throw new ApiInputError('border', `unknown border ${border}`);
        const etag = etagOf(['revisions', dataset, border, mtu?.toISOString() ?? null, day ?? null], version);
        if (answerIfNotModified(request, reply, etag, false)) return null;
        const result = await client.query<RevisionDbRow>(
          revisionsSql(dataset, border, mtu ?? null, day ?? dayOfInstant(mtu!)),
        );
        return result.rows.map((row) => ({
          ...row,
          mtu: row.mtu.toISOString(),
          first_seen_at: row.first_seen_at.toISOString(),
          valid_from: row.valid_from.toISOString(),
          valid_to: row.valid_to ? row.valid_to.toISOString() : null,
        }));
      });
      return answer === null ? reply : answer;
    },
  );
}
