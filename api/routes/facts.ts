// What the status page shows beside the calendar, for any key of the dataset: the key's own scope (whether the
// page shows operator controls), tomorrow's freshness as `jao status` tells it, and the backfills in progress.
import { z } from 'zod';
import { readJaoWords, readStatusReport } from '../../db/statusReport';
import { backfillInProgress, jaoWordDay, keyInfo, tomorrowFreshness } from '../../domain/apiAnswers';
import { marketTomorrow } from '../../domain/calendar';
import { type DatasetPublicationSettings, freshnessDeadlineOf } from '../../domain/datasetSource';
import type { JaoWord } from '../../domain/monitoring';
import { DATASET_IN_QUERY, KEYS_DATASETS } from '../auth';
import { checkDayRange, datasetQueryParam, dayRangeQuery } from '../params';
import {
  type ApiApp,
  DATASET_REFUSALS,
  errorBodySchema,
  KEY_REFUSALS,
  type RouteDeps,
  SECURITY,
} from '../routing';
import { MAX_BACKFILLS } from '../runControl';
import { askTemporal } from '../temporalClient';

const jaoWordJson = (word: JaoWord) => ({
  state: word.state,
  steps: word.steps.map((step) => ({
    page: step.page,
    status: step.status,
    deadline: step.deadline,
    last_modified_on: step.lastModifiedOn,
  })),
  seen_at: word.seenAt,
});

export function registerFactRoutes(
  app: ApiApp,
  deps: RouteDeps,
  publication: DatasetPublicationSettings,
): void {
  app.get(
    '/v1/key',
    {
      config: { dataset: KEYS_DATASETS },
      schema: {
        operationId: 'describeKey',
        summary: 'The key this request carries: its name, datasets and scope',
        description: 'scope `operator` (may start runs: `jao api-key create --operator`) or `reader`.',
        tags: ['keys'],
        security: SECURITY,
        querystring: z.strictObject({}),
        response: {
          200: keyInfo,
          ...KEY_REFUSALS,
        },
      },
    },
    async (request, reply) => {
      const key = request.apiKey!;
      reply.header('cache-control', 'no-store');
      return {
        id: key.id,
        name: key.name,
        datasets: key.datasets,
        scope: key.operator ? ('operator' as const) : ('reader' as const),
      };
    },
  );

  app.get(
    '/v1/freshness',
    {
      config: { dataset: DATASET_IN_QUERY },
      schema: {
        operationId: 'tomorrowFreshness',
        summary:
          "Tomorrow's freshness of a dataset: published or not, its deadline, publication → stored latency",
        description:
          'What `jao status --dataset` prints on its tomorrow and freshness lines, from the same source ' +
          '(jao.delivery_day, jao.day_publication, jao.monitoring_steps for `jao_word`), for `dataset` (Core ' +
          'maxExchanges when absent).',
        tags: ['days'],
        security: SECURITY,
        querystring: z.strictObject({ dataset: datasetQueryParam }),
        response: { 200: tomorrowFreshness, ...DATASET_REFUSALS },
      },
    },
    async (request, reply) => {
      const { dataset } = request.query;
      const now = new Date();
      const tomorrow = marketTomorrow(now);
      const report = await readStatusReport(
        deps.pool,
        { from: tomorrow, to: tomorrow },
        now,
        freshnessDeadlineOf(dataset, publication),
        dataset,
      );
      const line = report.days[0]!;
      const facts = line.freshness;
      reply.header('cache-control', 'no-store');
      return {
        day: report.tomorrow.day,
        dataset,
        status: report.tomorrow.status,
        published: facts?.seenAt != null,
        deadline: report.tomorrow.deadline,
        late: report.tomorrow.late,
        published_after: facts?.publishedAfter ?? null,
        seen_at: facts?.seenAt ?? null,
        stored_at: facts?.storedAt ?? null,
        publication_to_stored_seconds: facts?.publicationToStoredSeconds ?? null,
        seen_to_stored_seconds: facts?.seenToStoredSeconds ?? null,
        jao_word: line.jaoWord && jaoWordJson(line.jaoWord),
      };
    },
  );

  app.get(
    '/v1/days/jao-word',
    {
      config: { dataset: DATASET_IN_QUERY },
      schema: {
        operationId: 'listJaoWords',
        summary:
          "JAO's own word on each of a dataset's delivery days from..to: not yet published, late, missing",
        description:
          'From the monitoring steps the dataset declares, as JAO last listed them (jao.monitoring_steps), and ' +
          'the days stored complete: one entry per day JAO listed a declared step of (the page marks its calendar ' +
          'with them); none for a dataset that declares no step (docs/monitoring.md).',
        tags: ['days'],
        security: SECURITY,
        querystring: dayRangeQuery,
        response: {
          200: z.array(jaoWordDay),
          ...DATASET_REFUSALS,
        },
      },
    },
    async (request, reply) => {
      const { from, to, dataset } = request.query;
      checkDayRange(dataset, from, to, deps.maxRangeDays);
      const words = await readJaoWords(deps.pool, dataset, from, to, new Date());
      // JAO's word moves with every reading, not with the stored data: never cached.
      reply.header('cache-control', 'no-store');
      return words.map(({ day, word }) => ({ day, ...jaoWordJson(word) }));
    },
  );

  app.get(
    '/v1/backfills',
    {
      config: { dataset: DATASET_IN_QUERY },
      schema: {
        operationId: 'listBackfills',
        summary: "A dataset's backfills in progress, with their progress",
        description: `Running backfillWorkflow runs of \`dataset\` (Core maxExchanges when absent; at most ${MAX_BACKFILLS}) and what their progress query says; 503 when Temporal does not answer.`,
        tags: ['runs'],
        security: SECURITY,
        querystring: z.strictObject({ dataset: datasetQueryParam }),
        response: {
          200: z.array(backfillInProgress),
          ...DATASET_REFUSALS,
          503: errorBodySchema.describe('Temporal does not answer: which backfills run is unknown'),
        },
      },
    },
    async (request, reply) => {
      return askTemporal(request, reply, deps.runControl, async (runControl) => {
        const list = await runControl.backfills(request.query.dataset);
        reply.header('cache-control', 'no-store');
        // The answer's schema (z.object) drops what the progress query says beyond it, `notCompleted` among it.
        return list;
      });
    },
  );
}
