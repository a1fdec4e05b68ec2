// Acting from the page: operator keys re-run days and start backfills of any declared dataset (`dataset`, Core
// maxExchanges when absent) through Temporal (control/runStarts.ts, the CLI's own start path), and read each day's
// runs. Reader keys, and keys not scoped to the dataset, get 403 (api/auth.ts). Who started a run is in its memo, and
// in the API's log line.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { StartedBy } from '../../control/runStarts';
import { dayRun, startedBackfill, startedDays } from '../../domain/apiAnswers';
import { BACKFILL_MODES, MAX_CONCURRENCY, parseBackfillInput } from '../../domain/workflowInputs';
import { DATASET_IN_QUERY } from '../auth';
import { checkFirstDay, datasetQueryParam, deliveryDayParam } from '../params';
import {
  type ApiApp,
  ApiInputError,
  DATASET_REFUSALS,
  errorBodySchema,
  type RouteDeps,
  SECURITY,
} from '../routing';
import { MAX_DAY_RUNS, type RunControl } from '../runControl';
import { askTemporal } from '../temporalClient';

/** More days than this are a backfill's work (one workflow, bounded fan-out), not a list of single re-runs. */
export const MAX_RERUN_DAYS = 31;

const errorAnswers = {
  ...DATASET_REFUSALS,
  403: errorBodySchema.describe(
    'the key is a reader key, or does not read the dataset: operator keys of it only',
  ),
  503: errorBodySchema.describe('Temporal does not answer: nothing was started'),
};

/** The dataset whose runs a route starts or lists, as every other route takes it. */
const datasetQuery = z.strictObject({ dataset: datasetQueryParam });

const rerunBody = z.strictObject({
  days: z
    .array(deliveryDayParam)
    .min(1, 'give at least one day')
    .max(MAX_RERUN_DAYS, `at most ${MAX_RERUN_DAYS} days; start a backfill for more`)
    .describe(
      "the delivery days to run again (each runs as its own day workflow, at live priority), from the dataset's first day",
    ),
});

const backfillBody = z.strictObject({
  from: deliveryDayParam,
  to: deliveryDayParam,
  mode: z
    .enum(BACKFILL_MODES, { message: `expected one of ${BACKFILL_MODES.join(', ')}` })
    .default('failed')
    .describe('missing (skip complete days), failed (failed, invalid, partial days only: the default), all'),
  concurrency: z
    .number()
    .int('expected a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_CONCURRENCY, `must be at most ${MAX_CONCURRENCY}`)
    .optional()
    .describe('day workflows in flight (default 4)'),
});

const dayPath = z.strictObject({ day: deliveryDayParam });

/** Whose scope the route needs: an operator key of the dataset its `dataset` query parameter names. */
const OPERATOR_OF_DATASET = { dataset: DATASET_IN_QUERY, operator: true } as const;

function startedByOf(request: FastifyRequest): StartedBy {
  const key = request.apiKey;
  if (!key) throw new Error('the run routes run behind the key check');
  return { via: 'api', keyId: key.id, keyName: key.name };
}

/** What `answer` makes of the run control (askTemporal); without one, 503 with no Retry-After: retrying will not help. */
function askRunControl<Answer>(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  answer: (runControl: RunControl) => Promise<Answer>,
) {
  return askTemporal(request, reply, deps.runControl, answer, false);
}

export function registerRunRoutes(app: ApiApp, deps: RouteDeps): void {
  app.post(
    '/v1/runs/days',
    {
      config: OPERATOR_OF_DATASET,
      schema: {
        operationId: 'rerunDays',
        summary: "Re-run a dataset's delivery days (operator keys only)",
        description:
          'Starts the day workflow (`{dataset}/day/YYYY-MM-DD`) of each day of `dataset` (Core maxExchanges when ' +
          `absent), as \`jao rerun --dataset DATASET DAY …\` does, at live priority (fetched before ` +
          `backfills). A day whose run is going on is left to finish (started false). At most ${MAX_RERUN_DAYS} ` +
          'days; more are a backfill (POST /v1/runs/backfill). The run memo names the key that started it. ' +
          'Needs the operator scope (`jao api-key create --operator`) and the dataset in the key: other keys get 403.',
        tags: ['runs'],
        security: SECURITY,
        querystring: datasetQuery,
        body: rerunBody,
        response: { 202: startedDays, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { dataset } = request.query;
      const days = [...new Set(request.body.days)].sort();
      for (const day of days) checkFirstDay(dataset, 'days', day);
      return askRunControl(request, reply, deps, async (runControl) => {
        const runs = await runControl.startDays(dataset, days, startedByOf(request));
        request.log.info(
          { keyId: request.apiKey?.id, keyName: request.apiKey?.name, dataset, runs },
          'operator re-run started',
        );
        return reply.code(202).send({ runs });
      });
    },
  );

  app.post(
    '/v1/runs/backfill',
    {
      config: OPERATOR_OF_DATASET,
      schema: {
        operationId: 'startBackfill',
        summary: "Start a backfill of a range of a dataset's delivery days (operator keys only)",
        description:
          'Starts backfillWorkflow (`{dataset}/backfill/FROM..TO/MODE`) over from..to of `dataset` (Core ' +
          'maxExchanges when absent), as `jao backfill --dataset` does (mode `failed` unless told: only failed, ' +
          'invalid and partial days run again), at backfill priority; a backfill of the same range and mode ' +
          'already running is attached to (attached true). The run memo names the key that started it. ' +
          'Needs the operator scope and the dataset in the key: other keys get 403.',
        tags: ['runs'],
        security: SECURITY,
        querystring: datasetQuery,
        body: backfillBody,
        response: {
          202: startedBackfill,
          ...errorAnswers,
        },
      },
    },
    async (request, reply) => {
      const { dataset } = request.query;
      const parsed = parseBackfillInput({ ...request.body, dataset }, new Date());
      if (!parsed.ok)
        throw new ApiInputError(parsed.message.startsWith('to ') ? 'to' : 'from', parsed.message);
      return askRunControl(request, reply, deps, async (runControl) => {
        const started = await runControl.startBackfill(parsed.value, startedByOf(request));
        request.log.info(
          { keyId: request.apiKey?.id, keyName: request.apiKey?.name, dataset, backfill: started },
          'operator backfill started',
        );
        return reply.code(202).send(started);
      });
    },
  );

  app.get(
    '/v1/days/:day/runs',
    {
      config: OPERATOR_OF_DATASET,
      schema: {
        operationId: 'listDayRuns',
        summary: "A dataset's delivery day's workflow runs, newest first (operator keys only)",
        description:
          "The runs of the day's workflow (`{dataset}/day/YYYY-MM-DD`; `dataset`, Core maxExchanges when absent) " +
          `in Temporal's visibility store, at most ${MAX_DAY_RUNS}: outcome (execution status and the DayStatus it ` +
          'ended with), times, build, and who started it. Needs the operator scope and the dataset in the key: ' +
          'other keys get 403.',
        tags: ['runs'],
        security: SECURITY,
        params: dayPath,
        querystring: datasetQuery,
        response: { 200: z.array(dayRun), ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { dataset } = request.query;
      checkFirstDay(dataset, 'day', request.params.day);
      return askRunControl(request, reply, deps, async (runControl) => {
        const runs = await runControl.dayRuns(dataset, request.params.day);
        reply.header('cache-control', 'no-store');
        return runs;
      });
    },
  );
}
