import type pg from 'pg';
import { z } from 'zod';
import { withoutDeclaredSwitch } from '../../db/dayQuality';
import { type DayRow, dayQualityRow, runningDay } from '../../domain/apiAnswers';
import type { Dataset } from '../../domain/datasets';
import { DATASET_IN_QUERY, KEYS_DATASETS } from '../auth';
import { checkDayRange, dayRangeQuery } from '../params';
import { type ApiApp, DATASET_REFUSALS, KEY_REFUSALS, type RouteDeps, SECURITY } from '../routing';
import { MAX_RUNNING_DAYS } from '../runningDays';
import { answerIfNotModified, etagOf, withSnapshot } from '../snapshot';
import { askTemporal } from '../temporalClient';

const unavailable = z.object({ statusCode: z.literal(503), error: z.string(), message: z.string() });

/** Timestamps as ISO-8601 UTC, everything else as the view gives it. */
function jsonRow(row: Record<string, unknown>): DayRow {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (value instanceof Date) out[column] = value.toISOString();
    else if (Array.isArray(value))
      out[column] = value.map((item) => (item instanceof Date ? item.toISOString() : item));
    else out[column] = value;
  }
  const quality = out as DayRow;
  return {
    ...quality,
    drift: withoutDeclaredSwitch(quality, quality),
  };
}

async function readDays(client: pg.PoolClient, dataset: Dataset, from: string, to: string) {
  const result = await client.query({
    name: 'jao.api.days',
    text: `SELECT q.dataset, q.day::text AS day, q.status, q.expected_mtus, q.received_mtus, q.missing_mtus,
                  q.resolution_minutes, q.keys, q.keys_added, q.keys_vanished, q.null_values, q.duplicate_rows,
                  q.conflicting_rows, q.rejected_values, q.unknown_fields, q.reason, q.drift,
                  q.published_empty_keys, q.previous_day::text AS previous_day, q.previous_resolution_minutes, q.revision_count,
                  COALESCE(d.republished_count, 0) AS republished_count, d.last_republished_at,
                  q.last_checked_at, q.last_error, q.last_build_id, q.content_build_id, q.last_changed_at
             FROM jao.day_quality q
             LEFT JOIN jao.delivery_day d ON d.dataset = q.dataset AND d.day = q.day
            WHERE q.dataset = $1 AND q.day BETWEEN $2::date AND $3::date
            ORDER BY q.day`,
    values: [dataset, from, to],
  });
  return result.rows.map(jsonRow);
}

export function registerDaysRoute(app: ApiApp, deps: RouteDeps): void {
  app.get(
    '/v1/days',
    {
      config: { dataset: DATASET_IN_QUERY },
      schema: {
        operationId: 'listDays',
        summary: "The quality record of each of a dataset's delivery days from..to",
        description:
          'jao.day_quality of the dataset (`dataset`, Core maxExchanges when absent): status, reason, expected ' +
          'MTUs as its declaration counts them (96 a Nordic day at 15-minute MTUs, 92 and 100 on DST days), ' +
          'missing MTUs, drift, rejected values…',
        tags: ['days'],
        security: SECURITY,
        querystring: dayRangeQuery,
        response: { 200: z.array(dayQualityRow), ...DATASET_REFUSALS },
      },
    },
    async (request, reply) => {
      const { from, to, dataset } = request.query;
      checkDayRange(dataset, from, to, deps.maxRangeDays);
      const answer = await withSnapshot(deps.pool, async (client, version) => {
        const etag = etagOf(['days', dataset, from, to], version);
        if (answerIfNotModified(request, reply, etag, false)) return null;
        return readDays(client, dataset, from, to);
      });
      return answer === null ? reply : answer;
    },
  );

  app.get(
    '/v1/days/running',
    {
      config: { dataset: KEYS_DATASETS },
      schema: {
        summary: 'The delivery days whose day workflow is running now',
        description:
          `Open deliveryDayWorkflow runs in the API's Temporal namespace (its visibility store, a few seconds behind), ` +
          `at most ${MAX_RUNNING_DAYS}, of the datasets the key reads (each names its dataset). jao.day_quality keeps the status of the last finished run; 503 when ` +
          'Temporal does not answer (which days run is then unknown, not "none").',
        operationId: 'listRunningDays',
        tags: ['days'],
        security: SECURITY,
        querystring: z.strictObject({}),
        response: { 200: z.array(runningDay), ...KEY_REFUSALS, 503: unavailable },
      },
    },
    async (request, reply) => {
      const datasets = request.apiKey?.datasets ?? [];
      return askTemporal(request, reply, deps.runningDays, async (runningDays) => {
        const running = await runningDays.list();
        reply.header('cache-control', 'no-store');
        return running.filter((day) => datasets.includes(day.dataset));
      });
    },
  );
}
