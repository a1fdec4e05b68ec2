import { z } from 'zod';
import { dayOfInstant } from '../../domain/calendar';
import { answerIfNotModified, etagOf } from '../caching';
import { ApiInputError } from '../errors';
import { revisionsQuery } from '../params';
import { withSnapshot } from '../snapshot';
import { type ApiApp, MAX_EXCHANGES, type RouteDeps, SECURITY } from '../types';

const revisionRow = z.object({
  mtu: z.string(),
  delivery_day: z.string(),
  border: z.string(),
  from_zone: z.string(),
  to_zone: z.string(),
  value_mw: z.number(),
  revision: z.number().int(),
  first_seen_at: z.string(),
  valid_from: z.string().describe('when this version became current'),
  valid_to: z.string().nullable().describe('when it stopped being current; null for the current value'),
});

interface RevisionDbRow {
  mtu: Date;
  delivery_day: string;
  border: string;
  from_zone: string;
  to_zone: string;
  value_mw: number;
  revision: number;
  first_seen_at: Date;
  valid_from: Date;
  valid_to: Date | null;
}

export function registerRevisionsRoute(app: ApiApp, deps: RouteDeps): void {
  app.get(
    '/v1/datasets/maxExchanges/revisions',
    {
      config: { dataset: MAX_EXCHANGES },
      schema: {
        summary: 'Every revision of a border at one MTU or on one delivery day',
        description: 'jao.max_exchanges_history: give border and exactly one of mtu or day.',
        tags: ['maxExchanges'],
        security: SECURITY,
        querystring: revisionsQuery,
        response: { 200: z.array(revisionRow) },
      },
    },
    async (request, reply) => {
      const { border, mtu, day } = request.query;
      if ((mtu === undefined) === (day === undefined)) {
        throw new ApiInputError(mtu === undefined ? 'mtu' : 'day', 'give exactly one of mtu or day');
      }
      const answer = await withSnapshot(deps.pool, async (client, version) => {
        const known = await deps.catalogue.knownBorders(client, version);
        if (!known.has(border)) throw new ApiInputError('border', `unknown border ${border}`);
        const etag = etagOf(['revisions', border, mtu?.toISOString() ?? null, day ?? null], version);
        if (answerIfNotModified(request, reply, etag, false)) return null;
        const result = await client.query<RevisionDbRow>({
          name: 'jao.api.revisions',
          // The history range function (migration 018): the border and the day are a series id and constant
          // bounds on `mtu` while planning.
          text: `SELECT mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at,
                        valid_from, valid_to
                   FROM jao.max_exchanges_history_range(ARRAY[$1::text], $3::date, $3::date)
                  WHERE ($2::timestamptz IS NULL OR mtu = $2::timestamptz)
                  ORDER BY mtu, revision`,
          values: [border, mtu ?? null, day ?? dayOfInstant(mtu!)],
        });
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
