// The difference between two versions of the values: per border and MTU, the value as known at a base instant, as
// known at a later instant (or now), and the change between them.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { differenceRow } from '../../domain/apiAnswers';
import { DATASET_IN_PATH, servesRowKind } from '../auth';
import { checkDayRange, datasetParams, differenceQuery, distinctList, type Format } from '../params';
import {
  type ApiApp,
  ApiInputError,
  DATASET_REFUSALS,
  DATASETS_TAG,
  type RouteDeps,
  SECURITY,
} from '../routing';
import { answerIfNotModified, etagOf, isSettled, withSnapshot } from '../snapshot';
import { csvText, iso } from '../valueRows';
import { setAnswerHeaders } from '../valueStreams';

/** A row as the server writes it: every field text, a missing value null. */
type DifferenceRow = [string, string, string, string | null, string | null, string | null];

/**
 * The two versions side by side on the views of every dataset (jao.dataset_values_as_of, and jao.dataset_values for
 * now), narrowed to the dataset, the delivery days and the borders, joined on (mtu, border): an MTU present in one
 * version only has a null on the other side and no difference. Every input is a parameter: $1 from, $2 to,
 * $3 borders, $4 base instant, $5 the dataset, $6 compare instant (only when `compareAsOf`).
 */
function differenceSql(compareAsOf: boolean): string {
  const version = (source: string) => `(SELECT x.mtu, x.delivery_day, x.border, x.value_mw FROM ${source} x
         WHERE x.dataset = $5::text AND x.delivery_day BETWEEN $1::date AND $2::date
           AND x.border = ANY ($3::text[]))`;
  const compare = compareAsOf ? 'jao.dataset_values_as_of($6::timestamptz)' : 'jao.dataset_values';
  return `SELECT ${iso('coalesce(b.mtu, c.mtu)')},
       coalesce(b.delivery_day, c.delivery_day)::text,
       coalesce(b.border, c.border),
       b.value_mw::text, c.value_mw::text, (c.value_mw - b.value_mw)::text
  FROM ${version('jao.dataset_values_as_of($4::timestamptz)')} b
  FULL JOIN ${version(compare)} c ON c.mtu = b.mtu AND c.border = b.border
 ORDER BY coalesce(b.mtu, c.mtu), coalesce(b.border, c.border)`;
}

const numberOrNull = (text: string | null) => (text === null ? null : Number(text));

/** The whole answer in one format (a difference is at most FEW_BORDERS borders: small enough to build at once). */
function differenceText(rows: readonly DifferenceRow[], format: Format): string {
  if (format === 'csv') {
    const lines = rows.map((row) =>
      [row[0], row[1], csvText(row[2]), row[3] ?? '', row[4] ?? '', row[5] ?? ''].join(','),
    );
    return `${[Object.keys(differenceRow.shape).join(','), ...lines].join('\n')}\n`;
  }
  const objects = rows.map((row) =>
    JSON.stringify({
      mtu: row[0],
      delivery_day: row[1],
      border: row[2],
      base_mw: numberOrNull(row[3]),
      compare_mw: numberOrNull(row[4]),
      difference_mw: numberOrNull(row[5]),
    }),
  );
  return format === 'ndjson' ? objects.map((line) => `${line}\n`).join('') : `[${objects.join(',')}]`;
}

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
      const borders = distinctList(query.border) ?? [];
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
        const values = [query.from, query.to, borders, query.base_as_of, dataset];
        const result = await client.query<DifferenceRow>({
          text: differenceSql(compareAsOf !== null),
          values: compareAsOf ? [...values, compareAsOf] : values,
          rowMode: 'array',
        });
        return differenceText(result.rows, query.format);
      });
      if (body === null) return reply;
      const csvFileName = `${dataset}_difference_${query.from}_${query.to}.csv`;
      setAnswerHeaders(reply as FastifyReply, query.format, csvFileName);
      // Already formatted: the response schema documents the rows, it does not serialize them again.
      return (reply as FastifyReply).send(body);
    },
  );
}
