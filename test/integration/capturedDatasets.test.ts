// Every declared dataset's real JAO answer (test/fixtures/jao/), served verbatim by a stand-in, goes through the
// real pipeline: its whole delivery day is stored complete, every published value equal to the capture's, the raw
// answer byte for byte, and a second run changes nothing. Core atc's four Italian borders, null in every row, are
// named published empty in the day's quality record, not counted missing. The day workflow is the same for every
// keyed dataset (one unpaged answer: fetch, validate, write): two datasets, of two regions, run it through Temporal;
// the others run its three activities as the worker creates them (test/helpers/dayActivities.ts), which is where a
// dataset's declaration and its capture make a difference.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRawResponse } from '../../db/rawResponse';
import { DEFAULT_MAX_BODY_BYTES } from '../../domain/bodyLimit';
import { dayOfInstant, dayWindow } from '../../domain/calendar';
import {
  declarationOf,
  KEYED_VALUE_DECLARATIONS,
  type KeyedValueDataset,
  publishedEmptyKeysOf,
} from '../../domain/datasets';
import { answerReadingOf } from '../../domain/lanes';
import { keyReaderOf } from '../../domain/seriesKeys';
import { storedAnswerLimit } from '../../domain/storedAnswerLimit';
import type { DeliveryDay } from '../../domain/types';
import type { DayResult } from '../../domain/workflowInputs';
import { CAPTURES, captureText } from '../helpers/captures';
import { type DayActivitiesRunner, dayActivitiesRunner } from '../helpers/dayActivities';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';

/**
 * The capture's one whole Europe/Amsterdam delivery day (the first, for the three-day shadowAuctionATC one); null
 * where the capture holds no whole day (netPos: one quarter-hour, validated alone in test/unit/coreNetPos.test.ts).
 * The fixtures of test/fixtures/jao/more/ are one delivery day each (their window).
 */
const REAL_CAPTURED_DAY: { readonly [dataset: string]: DeliveryDay | null } = {
  maxExchanges: '2026-04-21',
  nordicMaxExchanges: '2026-04-21',
  coreShadowAuctionATC: '2025-10-02',
  coreScheduledExchanges: '2026-04-21',
  coreAtc: '2026-04-21',
  nordicMaxBorderFlow: '2026-04-21',
  coreNetPos: null,
};
const CAPTURED_DAY = Object.fromEntries(
  KEYED_VALUE_DECLARATIONS.map((declaration) => {
    const real = REAL_CAPTURED_DAY[declaration.id];
    return [
      declaration.id,
      real !== undefined ? real : dayOfInstant(new Date(CAPTURES[declaration.id].window.from)),
    ];
  }),
) as { readonly [D in KeyedValueDataset]: DeliveryDay | null };
const WHOLE_DAY_CAPTURES = KEYED_VALUE_DECLARATIONS.filter(
  (declaration) => CAPTURED_DAY[declaration.id] !== null,
);

/** Run as the day workflow through Temporal: Core and Nordic. */
const THROUGH_WORKFLOW: readonly KeyedValueDataset[] = ['maxExchanges', 'nordicMaxExchanges'];

type CaptureRow = Record<string, unknown> & { dateTimeUtc: string };

/** The capture's published values of the day: `border|mtu` → value (nulls are no values; `border`: the views' column). */
function capturedValues(dataset: KeyedValueDataset, day: DeliveryDay): Map<string, number> {
  const keys = keyReaderOf(declarationOf(dataset).keyPattern);
  const window = dayWindow(day);
  const fromMs = Date.parse(window.from);
  const toMs = Date.parse(window.to);
  const values = new Map<string, number>();
  for (const row of (JSON.parse(captureText(dataset)) as { data: CaptureRow[] }).data) {
    const mtuMs = Date.parse(row.dateTimeUtc);
    if (mtuMs < fromMs || mtuMs >= toMs) continue;
    for (const [field, value] of Object.entries(row)) {
      if (!keys.isKey(field) || value === null) continue;
      values.set(`${field.replace(/^border_/, '')}|${new Date(mtuMs).toISOString()}`, value as number);
    }
  }
  return values;
}

describe('captured JAO answers served verbatim', () => {
  let harness: PipelineHarness;
  let standIn: Server;
  const requests: string[] = [];
  let runActivities: DayActivitiesRunner;

  /** The day of `dataset`: as the day workflow, or as its steps' activities. */
  function runDay(day: DeliveryDay, dataset: KeyedValueDataset): Promise<DayResult> {
    return THROUGH_WORKFLOW.includes(dataset) ? harness.runDay(day, dataset) : runActivities(day, dataset);
  }

  beforeAll(async () => {
    harness = await createPipelineHarness('captured');
    standIn = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
      requests.push(path);
      const dataset = KEYED_VALUE_DECLARATIONS.find(
        (declaration) => CAPTURES[declaration.id].path === path,
      )?.id;
      if (dataset === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(captureText(dataset));
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    const { port } = standIn.address() as AddressInfo;
    await harness.startWorkers({ jaoBaseUrl: `http://127.0.0.1:${port}` });
    runActivities = dayActivitiesRunner(harness.db.pool, `http://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    await harness?.close();
    await new Promise((resolve) => standIn?.close(resolve));
  });

  it('has a whole captured day of every dataset but netPos', () => {
    expect(
      KEYED_VALUE_DECLARATIONS.filter((declaration) => CAPTURED_DAY[declaration.id] === null).map(
        (d) => d.id,
      ),
    ).toEqual(['coreNetPos']);
  });

  it('runs the day workflow for two datasets of many that all take its one path: one unpaged answer', () => {
    expect(
      WHOLE_DAY_CAPTURES.filter((declaration) => THROUGH_WORKFLOW.includes(declaration.id)),
    ).toHaveLength(THROUGH_WORKFLOW.length);
    for (const declaration of WHOLE_DAY_CAPTURES)
      expect([declaration.id, answerReadingOf(declaration.id).paging]).toEqual([declaration.id, 'single']);
  });

  for (const declaration of WHOLE_DAY_CAPTURES) {
    const dataset = declaration.id;
    const day = CAPTURED_DAY[dataset]!;
    it(`${dataset}: ${day} stored complete, equal to the capture, and unchanged by a re-run`, async () => {
      const first = await runDay(day, dataset);
      expect(first).toMatchObject({ day, status: 'complete', revision: 1 });

      const expected = capturedValues(dataset, day);
      const stored = await harness.db.pool.query<{ border: string; mtu: Date; value_mw: number }>(
        `SELECT border, mtu, value_mw FROM jao.dataset_values WHERE dataset = $1 AND delivery_day = $2::date`,
        [dataset, day],
      );
      const storedValues = new Map(
        stored.rows.map((row) => [`${row.border}|${row.mtu.toISOString()}`, Number(row.value_mw)]),
      );
      expect(storedValues.size).toBe(expected.size);
      expect(storedValues).toEqual(expected);

      const quality = await harness.db.pool.query<{
        status: string;
        published_empty_keys: string[];
        empty_keys_with_values: string[];
        drift: string[];
        last_raw_response_id: number;
      }>(
        `SELECT q.status, q.published_empty_keys, q.empty_keys_with_values, q.drift, d.last_raw_response_id::int
           FROM jao.day_quality q JOIN jao.delivery_day d USING (dataset, day)
          WHERE q.dataset = $1 AND q.day = $2::date`,
        [dataset, day],
      );
      const record = quality.rows[0]!;
      expect(record.status).toBe('complete');
      expect(record.published_empty_keys).toEqual([...publishedEmptyKeysOf(declaration)].sort());
      expect(record.empty_keys_with_values).toEqual([]);

      const raw = await loadRawResponse(
        harness.db.pool,
        record.last_raw_response_id,
        storedAnswerLimit(dataset, DEFAULT_MAX_BODY_BYTES),
      );
      expect(raw?.body === captureText(dataset)).toBe(true);

      const again = await runDay(day, dataset);
      expect(again).toMatchObject({ status: 'complete', changedPoints: 0, revision: 1 });
      const derivations = await harness.db.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM jao.derivation WHERE dataset = $1 AND day = $2::date',
        [dataset, day],
      );
      expect(derivations.rows[0]!.n).toBe(1);
    });
  }

  it('asked JAO by each dataset’s own data path', () => {
    const paths = new Set(requests);
    for (const declaration of WHOLE_DAY_CAPTURES) expect(paths.has(CAPTURES[declaration.id].path)).toBe(true);
    expect(declarationOf('coreAtc').publishedEmpty?.keys).toHaveLength(4);
  });
});
