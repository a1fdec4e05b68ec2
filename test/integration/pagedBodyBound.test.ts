// JAO_MAX_BODY_BYTES bounds each answer JAO sends: for a paged dataset each page (source/jaoClient.ts reads no more
// of it), and the day's assembled answer by the pages it may hold (domain/storedAnswerLimit.ts). A paged day larger
// than the bound, each page within it, is validated, written, reprocessed and restored; a page over it is refused
// at fetch. The first describe runs on the smaller simulated domain (test/helpers/smallDomain.ts): its Core day
// (about 1,000 presolved rows of 1.0–1.8 KB, 1.36 MB in one answer) is over a bound made small (1 MiB), its three
// pages of 400 rows (about 0.56 MB each) within it. A Nordic quarter-hour day as the full-size simulator serves it
// (about 17 MB, 11,800 rows) is judged at the default bound, on a simulator of its own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileArchiveStore } from '../../archive/fileStore';
import { planRestore, restoreBatch } from '../../archive/restore';
import { shipPendingWrites } from '../../archive/ship';
import { loadRawResponse } from '../../db/rawResponse';
import { DEFAULT_MAX_BODY_BYTES, MAX_ROWS_PER_ANSWER } from '../../domain/bodyLimit';
import { dayWindow } from '../../domain/calendar';
import { declarationOf } from '../../domain/datasets';
import { assessDomainBody } from '../../domain/flowBased/assessDomain';
import { assemblePagedAnswer, type FetchedPage, parsePagedAnswer } from '../../domain/flowBased/pagedAnswer';
import { DOMAIN_PAGE_TAKE } from '../../domain/flowBased/paging';
import type { ReprocessResult } from '../../domain/reprocessInputs';
import { reprocessWorkflowId } from '../../domain/reprocessInputs';
import { MAX_PAGES_PER_PAGED_ANSWER, storedAnswerLimit } from '../../domain/storedAnswerLimit';
import type { Dataset, DeliveryDay } from '../../domain/types';
import { dayWorkflowId } from '../../domain/workflowInputs';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import type { deliveryDayWorkflow } from '../../workflows/deliveryDay';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { expectStoredAsServed, servedPresolvedRows } from '../helpers/servedDomain';
import { SMALL_FLOW_BASED_DOMAIN } from '../helpers/smallDomain';

const DATASET: Dataset = 'coreFinalComputation';
const NOW = new Date('2026-11-22T12:00:00Z');
/**
 * JAO_MAX_BODY_BYTES of the workers, on the smaller domain: below a Core day's answer (PAGED_DAY: 996 rows, 1.36 MB,
 * 30 % over), above a page of PAGE_SIZE of its rows (about 0.56 MB; 400 rows of the largest, 1.78 KB, are 0.71 MB) and
 * below a page of the default take, the whole day in one page (ONE_PAGE_DAY: 1,007 rows, 1.37 MB).
 */
const BOUND = 1024 * 1024;
/** Three pages of the day (400, 400, 196 rows): more than one, within MAX_PAGES_PER_PAGED_ANSWER with the probe. */
const PAGE_SIZE = 400;
// Days no other test file runs: workflow ids are one namespace's, shared by the files running at once.
const PAGED_DAY: DeliveryDay = '2026-09-22';
const ONE_PAGE_DAY: DeliveryDay = '2026-09-23';

let harness: PipelineHarness;
let archiveDir: string | undefined;
let restored: TestDatabase | undefined;

beforeAll(async () => {
  harness = await createPipelineHarness('paged-body-bound', { now: () => NOW, ...SMALL_FLOW_BASED_DOMAIN });
  await harness.startWorkers({ jaoMaxBodyBytes: BOUND });
});
afterAll(async () => {
  await harness?.close();
  await restored?.release();
  if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
});

const servedRows = (day: DeliveryDay) => servedPresolvedRows(harness.simulator.origin, day);

const STORED = `SELECT * FROM jao.constraints WHERE dataset = $1 AND delivery_day = $2 ORDER BY mtu, jao_id`;

async function storedAnswer(day: DeliveryDay): Promise<{ id: number; bytes: number; body: string }> {
  const answer = await harness.db.pool.query<{ id: number; bytes: number; body: string }>(
    `SELECT raw_response_id::int AS id, octet_length(body) AS bytes, convert_from(body, 'UTF8') AS body
       FROM jao.raw_response WHERE dataset = $1 AND day = $2 ORDER BY raw_response_id`,
    [DATASET, day],
  );
  expect(answer.rows).toHaveLength(1);
  return answer.rows[0]!;
}

describe('JAO_MAX_BODY_BYTES on a paged day', () => {
  it('stores complete, value for value, a day larger than the bound whose every page is within it', async () => {
    const handle = await harness.temporal.client.workflow.start<typeof deliveryDayWorkflow>(
      'deliveryDayWorkflow',
      {
        workflowId: dayWorkflowId(DATASET, PAGED_DAY),
        taskQueue: harness.taskQueue,
        args: [{ dataset: DATASET, day: PAGED_DAY, trigger: 'manual', pageSize: PAGE_SIZE }],
      },
    );
    const result = await handle.result();
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('complete');
    const served = await servedRows(PAGED_DAY);
    expectStoredAsServed((await harness.db.pool.query(STORED, [DATASET, PAGED_DAY])).rows, served);
    expect(result.points).toBe(served.length);
    // What the test is about: the answer is over the bound, each page JAO sent within it, the pages within the
    // number a paged day may hold.
    const answer = await storedAnswer(PAGED_DAY);
    expect(answer.bytes).toBeGreaterThan(BOUND);
    const parsed = parsePagedAnswer(answer.body);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.pages).toHaveLength(Math.ceil(served.length / PAGE_SIZE));
    expect(1 + parsed.pages.length).toBeLessThanOrEqual(MAX_PAGES_PER_PAGED_ANSWER);
    for (const page of parsed.pages) expect(Buffer.byteLength(JSON.stringify(page.body))).toBeLessThan(BOUND);
    const quality = await harness.db.pool.query(
      `SELECT status, reason FROM jao.delivery_day WHERE dataset = $1 AND day = $2`,
      [DATASET, PAGED_DAY],
    );
    expect(quality.rows[0]).toMatchObject({ status: 'complete', reason: null });
  });

  it('reprocesses that day from its stored answer, changing nothing', async () => {
    const before = (await harness.db.pool.query(STORED, [DATASET, PAGED_DAY])).rows;
    const requests = harness.simulator.requests.length;
    const result: ReprocessResult = await harness.temporal.client.workflow.execute('reprocessWorkflow', {
      workflowId: reprocessWorkflowId(DATASET, PAGED_DAY, PAGED_DAY),
      taskQueue: harness.taskQueue,
      args: [{ dataset: DATASET, from: PAGED_DAY, to: PAGED_DAY }],
    });
    expect(result).toMatchObject({ total: 1, byStatus: { complete: 1 }, changedDays: 0, notCompleted: [] });
    expect(harness.simulator.requests.length).toBe(requests);
    expect((await harness.db.pool.query(STORED, [DATASET, PAGED_DAY])).rows).toEqual(before);
  });

  it('restores that day from the archive under the same bound', async () => {
    archiveDir = await mkdtemp(path.join(tmpdir(), 'jao-paged-bound-archive-'));
    const store = new FileArchiveStore(archiveDir);
    expect((await shipPendingWrites(harness.db.pool, store)).pending).toBe(0);
    restored = await createTestDatabase();
    const range = { fromDay: PAGED_DAY, toDay: PAGED_DAY };
    const plan = await planRestore(store, range);
    const batch = await restoreBatch(restored.pool, store, plan, range, { after: null }, 200, BOUND);
    expect(batch.applied).toBeGreaterThanOrEqual(1);
    const day = await restored.pool.query(
      `SELECT status, points FROM jao.delivery_day WHERE dataset = $1 AND day = $2`,
      [DATASET, PAGED_DAY],
    );
    expect(day.rows[0]).toMatchObject({ status: 'complete', points: (await servedRows(PAGED_DAY)).length });
  });

  it('refuses a stored answer over the paged bound, naming that bound', async () => {
    const { id, bytes } = await storedAnswer(PAGED_DAY);
    // Four pages of 64 KiB and their frames, 0.25 MiB: the day's answer (1.36 MB) is five times over it.
    const small = 64 * 1024;
    const loaded = await loadRawResponse(harness.db.pool, id, storedAnswerLimit(DATASET, small));
    expect(loaded?.body).toBeNull();
    expect(loaded?.refused).toBe(
      `stored answer of ${bytes} bytes is larger than ${storedAnswerLimit(DATASET, small).name}: not re-processed`,
    );
    expect(loaded?.refused).toMatch(
      /MAX_PAGES_PER_PAGED_ANSWER \(4\) pages of JAO_MAX_BODY_BYTES \(65536\) each/,
    );
  });

  it('still refuses at fetch a page larger than the bound', async () => {
    const failure = await harness.runDay(ONE_PAGE_DAY, DATASET).catch((error: unknown) => error);
    expect((failure as WorkflowFailedError).cause?.message).toMatch(
      /JAO's page of 2026-09-23 \(skip 0, take 5000\) is too large: answer larger than JAO_MAX_BODY_BYTES \(1\.0 MiB\)/,
    );
    const stored = await harness.db.pool.query(STORED, [DATASET, ONE_PAGE_DAY]);
    expect(stored.rows).toEqual([]);
  });
});

describe('a Nordic quarter-hour day at the default bound', () => {
  // The day's size is the point: the full-size simulator, not the harness's smaller domain.
  let fullSize: SimulatorHandle;
  beforeAll(async () => {
    fullSize = await startSimulator({ now: () => NOW });
  });
  afterAll(async () => {
    await fullSize?.close();
  });

  it('is over JAO_MAX_BODY_BYTES and MAX_ROWS_PER_ANSWER whole, each page within them, and judged complete', async () => {
    const day: DeliveryDay = '2026-01-15';
    const dataset: Dataset = 'nordicFinalComputation';
    const window = dayWindow(day);
    const page = async (skip: number, take: number): Promise<FetchedPage> => {
      const query = new URLSearchParams({
        FromUtc: window.from,
        ToUtc: window.to,
        Skip: String(skip),
        Take: String(take),
        Filter: JSON.stringify({ NonRedundant: true }),
      });
      const response = await fetch(`${fullSize.origin}/nordic/api/data/finalComputation?${query}`);
      return { skip, take, httpStatus: response.status, body: await response.text() };
    };
    const probe = await page(0, 0);
    const total = (JSON.parse(probe.body) as { totalRowsWithFilter: number }).totalRowsWithFilter;
    const pages: FetchedPage[] = [];
    for (let skip = 0; skip < total; skip += DOMAIN_PAGE_TAKE) pages.push(await page(skip, DOMAIN_PAGE_TAKE));
    const body = assemblePagedAnswer({ totalRowsWithFilter: total, probe, pages });
    // The known gap this closes: about 12,000 rows and 17 MB in a probe and three pages of about 7 MB.
    expect(total).toBeGreaterThan(MAX_ROWS_PER_ANSWER);
    expect(1 + pages.length).toBeLessThanOrEqual(MAX_PAGES_PER_PAGED_ANSWER);
    for (const { body: text } of pages) expect(Buffer.byteLength(text)).toBeLessThan(DEFAULT_MAX_BODY_BYTES);
    expect(Buffer.byteLength(body)).toBeGreaterThan(DEFAULT_MAX_BODY_BYTES);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(
      storedAnswerLimit(dataset, DEFAULT_MAX_BODY_BYTES).bytes,
    );
    const assessment = assessDomainBody(declarationOf(dataset), day, body, null);
    expect(assessment.reason).toBeNull();
    expect(assessment.status).toBe('complete');
    expect(assessment.validated?.constraintRows).toHaveLength(total);
    expect(assessment.expectedMtus).toBe(96);
  });
});
