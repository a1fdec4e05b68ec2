// GET /v1/datasets/{dataset}/constraints: the flow-based domain of a dataset's delivery days (docs/flow-based.md),
// every constraint and MTU with every published field, as stored now or as known at an instant.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { DATASET_IN_PATH, servesRowKind } from '../auth';
import {
  CONSTRAINT_COLUMNS,
  type ConstraintsAsked,
  constraintCsvHeader,
  constraintRowSchema,
  constraintsCopy,
  constraintsQuery,
  readPtdfHubs,
} from '../constraintColumns';
import {
  checkDayRange,
  checkMtuWindow,
  constraintIdsParam,
  datasetParams,
  deliveryDayParam,
  distinctList,
  formatParam,
  fromMtuParam,
  instantParam,
  rangeLimitText,
  toMtuParam,
} from '../params';
import {
  type ApiApp,
  DATASET_REFUSALS,
  DATASETS_TAG,
  errorBodySchema,
  type RouteDeps,
  SECURITY,
} from '../routing';
import { RowFormatter } from '../valueRows';
import { copyValues, sendStreamed, streamValues } from '../valueStreams';

const constraintsQuerystring = z.strictObject({
  from: deliveryDayParam,
  to: deliveryDayParam,
  constraint_id: constraintIdsParam,
  as_of: instantParam.optional().describe('the domain as it was known at this instant (ISO-8601)'),
  from_mtu: fromMtuParam,
  to_mtu: toMtuParam,
  format: formatParam,
});

export function registerConstraintsRoute(app: ApiApp, deps: RouteDeps): void {
  app.get(
    '/v1/datasets/:dataset/constraints',
    {
      config: { dataset: DATASET_IN_PATH },
      preValidation: servesRowKind('constraints', 'constraints'),
      schema: {
        operationId: 'listConstraints',
        summary: 'The flow-based domain of the delivery days from..to (streamed)',
        description:
          'For a dataset of the flow-based domain (coreFinalComputation, corePreFinalComputation, ' +
          'coreInitialComputation): jao.constraints, or with as_of jao.constraints_as_of, of that dataset, one row ' +
          'per presolved constraint and MTU, ordered by MTU and constraint; json, ndjson or csv. With constraint_id, ' +
          'only the rows of those constraints (one constraint over days: its RAM over time). from_mtu and to_mtu ' +
          'narrow the answer to the MTUs of a half-open window inside the days (one hour: from_mtu=H, to_mtu=H+1h). ' +
          'In CSV the list and JSON columns (contingency_eics, contingencies) hold their JSON text, a null is an ' +
          'empty field, and the PTDFs are columns of their own after the others: ptdf_<hub> for each hub the ' +
          "answer's rows carry, sorted by hub (empty where a row has no PTDF for the hub); JSON and NDJSON keep " +
          'ptdfs as an object. The header Jao-Days-Missing names, comma-separated, the delivery days of the range ' +
          'with no stored row (absent when none; a day stored in part is not missing). ' +
          'Another declared dataset is answered 404 naming those this route serves; an undeclared one 404 listing ' +
          `the known ones. ${rangeLimitText(deps.maxRangeDays)}. Columns, in order: ` +
          `${CONSTRAINT_COLUMNS.map((c) => c.name).join(', ')}.`,
        tags: [DATASETS_TAG],
        security: SECURITY,
        params: datasetParams,
        querystring: constraintsQuerystring,
        response: {
          200: z
            .array(constraintRowSchema)
            .describe(
              'one row per constraint and MTU (csv: ptdfs as ptdf_<hub> columns); header Jao-Days-Missing: the ' +
                'days of the range not stored, comma-separated, absent when none',
            ),
          ...DATASET_REFUSALS,
          404: errorBodySchema
            .extend({ datasets: z.array(z.string()).describe('the dataset ids the answer could serve') })
            .describe(
              'no declared dataset has this id (`datasets` lists the known ones), or the dataset holds no ' +
                'constraints (`datasets` lists those that do)',
            ),
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const { dataset } = request.params;
      checkDayRange(dataset, query.from, query.to, deps.maxRangeDays);
      const asked: ConstraintsAsked = {
        dataset,
        from: query.from,
        to: query.to,
        asOf: query.as_of ?? null,
        constraintIds: distinctList(query.constraint_id, (a, b) => a.length - b.length || a.localeCompare(b)),
        window: checkMtuWindow(query.from, query.to, query.from_mtu, query.to_mtu),
      };
      const parts = [
        'constraints',
        dataset,
        query.from,
        query.to,
        asked.asOf?.toISOString() ?? null,
        asked.constraintIds?.join(',') ?? null,
        query.format,
        asked.window?.from.toISOString() ?? null,
        asked.window?.to.toISOString() ?? null,
      ];
      return sendStreamed(deps, request, reply as FastifyReply, {
        rows: 'constraints',
        ...asked,
        format: query.format,
        csvFileName: `${dataset}_constraints_${query.from}_${query.to}.csv`,
        parts,
        body: async (snapshot, whole) => {
          if (query.format === 'json') {
            return streamValues(
              snapshot,
              constraintsQuery(asked),
              new RowFormatter('json', (row) => row[0]!),
              whole,
            );
          }
          const hubs = query.format === 'csv' ? await readPtdfHubs(snapshot.client, asked) : [];
          return copyValues(
            snapshot,
            deps.pool,
            constraintsCopy(query.format, asked, hubs),
            query.format === 'csv' ? constraintCsvHeader(hubs) : '',
            whole,
            (outcome) =>
              request.log.info(outcome, 'constraints answer abandoned before its end: its COPY stopped'),
          );
        },
      });
    },
  );
}
