import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { valueRow } from '../../domain/apiAnswers';
import { DATASET_IN_PATH, servesRowKind } from '../auth';
import {
  checkDayRange,
  checkMtuWindow,
  datasetParams,
  distinctList,
  rangeLimitText,
  valuesQuery,
} from '../params';
import {
  type ApiApp,
  ApiInputError,
  DATASET_REFUSALS,
  DATASETS_TAG,
  type RouteDeps,
  SECURITY,
} from '../routing';
import { answerIfNotModified, etagOf, isSettled } from '../snapshot';
import {
  RowFormatter,
  SELECT_WIDE,
  valuesCopy,
  valuesQuery as valuesSqlQuery,
  WideFormatter,
} from '../valueRows';
import { copyValues, sendCached, sendStreamed, streamValues } from '../valueStreams';

const wideRow = z
  .object({
    mtu: z.string().describe('UTC start of the MTU, ISO-8601'),
    delivery_day: z.string().describe('Europe/Amsterdam delivery day'),
  })
  .catchall(z.number().nullable().describe("the key's value at this MTU, MW; null where it has none"))
  .describe('one MTU: then one member per key, named as the border column names it (DE_FR, hub_DE)');

/**
 * The JSON answer of shape=wide. The OpenAPI document's 200 stays the long rows (the default shape, whose type
 * generated clients rely on); docs/reference/api.md lists this envelope's fields from this schema.
 */
export const wideValuesAnswer = z
  .object({
    keys: z
      .array(z.string())
      .describe("the dataset's keys, sorted: the columns of each row after mtu and delivery_day"),
    days_missing: z
      .array(z.string())
      .describe('the delivery days of the range with no stored value (as the Jao-Days-Missing header)'),
    rows: z.array(wideRow).describe('one row per MTU, ordered by MTU'),
  })
  .describe('shape=wide, format=json');

export function registerValuesRoute(app: ApiApp, deps: RouteDeps): void {
  app.get(
    '/v1/datasets/:dataset/values',
    {
      config: { dataset: DATASET_IN_PATH },
      preValidation: servesRowKind('keyedValues', 'values'),
      schema: {
        operationId: 'listValues',
        summary: 'Values of the delivery days from..to (streamed)',
        description:
          'jao.dataset_values (or with as_of jao.dataset_values_as_of) of the dataset, for maxExchanges the rows of ' +
          'jao.max_exchanges (jao.max_exchanges_as_of): ordered by MTU and border; json, ndjson or csv. An ' +
          'undeclared dataset is answered 404 listing the known ones. from_mtu and to_mtu narrow the answer to ' +
          'the MTUs of a half-open window inside the days. shape=long (default) answers one row per key and MTU ' +
          '(json: an array of the rows below); shape=wide one row per MTU with one column per key of the dataset ' +
          '(csv: mtu,delivery_day,<keys…>, an empty field where a key has no value; ndjson: one object per MTU; ' +
          'json: the envelope {keys, days_missing, rows}). The header Jao-Days-Missing names, comma-separated, ' +
          'the delivery days of the range with no stored value (absent when none; a day stored in part is not ' +
          `missing: GET /v1/days tells its completeness). ${rangeLimitText(deps.maxRangeDays)}.`,
        tags: [DATASETS_TAG],
        security: SECURITY,
        params: datasetParams,
        querystring: valuesQuery,
        response: {
          200: z
            .array(valueRow)
            .describe(
              'the values: with shape=long (default) json answers these rows; with shape=wide json answers the ' +
                'envelope {keys, days_missing, rows} (rows: mtu, delivery_day, then one member per key). Header ' +
                'Jao-Days-Missing: the days of the range not stored, comma-separated, absent when none',
            ),
          ...DATASET_REFUSALS,
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const { dataset } = request.params;
      checkDayRange(dataset, query.from, query.to, deps.maxRangeDays);
      const window = checkMtuWindow(query.from, query.to, query.from_mtu, query.to_mtu);
      const borders = distinctList(query.border);
      const parts = [
        'values',
        dataset,
        query.from,
        query.to,
        borders,
        query.as_of?.toISOString() ?? null,
        query.format,
        window?.from.toISOString() ?? null,
        window?.to.toISOString() ?? null,
        query.shape,
      ];
      // An answer already in the cache is sent after a read of the data version begun after this request arrived,
      // without a transaction: its ETag names that version, so it is byte for byte what a snapshot would read now
      // (its borders were checked when it was read).
      const current = await deps.currentVersion.read();
      const csvFileName = `${dataset}_${query.from}_${query.to}.csv`;
      const currentSettled = isSettled(query.as_of, current);
      const currentEtag = etagOf(parts, currentSettled ? null : current);
      const hit = deps.responses.answer(currentEtag);
      if (hit) {
        if (answerIfNotModified(request, reply, currentEtag, currentSettled)) return reply;
        return sendCached(reply as FastifyReply, query.format, csvFileName, hit);
      }
      const asOf = query.as_of ?? null;
      return sendStreamed(deps, request, reply as FastifyReply, {
        rows: 'values',
        dataset,
        from: query.from,
        to: query.to,
        asOf,
        window,
        format: query.format,
        csvFileName,
        parts,
        check: async (snapshot) => {
          if (!borders) return;
          const known = await deps.seriesCache.knownBorders(snapshot.client, snapshot.version, dataset);
          const unknown = borders.find((border) => !known.has(border));
          if (unknown) throw new ApiInputError('border', `unknown border ${unknown}`);
        },
        body: async (snapshot, whole, daysMissing) => {
          if (query.shape === 'long') {
            const copy = valuesCopy(query.format, dataset, query.from, query.to, borders, asOf, window);
            if (copy) {
              return copyValues(
                snapshot,
                deps.pool,
                copy,
                new RowFormatter(query.format).start(),
                whole,
                (outcome) =>
                  request.log.info(outcome, 'values answer abandoned before its end: its COPY stopped'),
              );
            }
            const sql = valuesSqlQuery(dataset, query.from, query.to, borders, asOf, window);
            return streamValues(snapshot, sql, new RowFormatter(query.format), whole);
          }
          const keys =
            borders ??
            [...(await deps.seriesCache.knownBorders(snapshot.client, snapshot.version, dataset))].sort();
          const sql = valuesSqlQuery(dataset, query.from, query.to, borders, asOf, window, SELECT_WIDE);
          return streamValues(snapshot, sql, new WideFormatter(query.format, keys, daysMissing), whole);
        },
      });
    },
  );
}
