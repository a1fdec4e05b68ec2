// The Temporal Web UI's workflow list, in a real Chromium, on a dev server of this file's own with a real worker
// process (`jao worker`: its schedules, the keeper of the bad-day markers) after a simulated hour: each schedule is
// backfilled over the hour just past (Temporal starts every run it would have started then; no wait on the clock).
// The default list shows the pipeline's work and no more than a handful of bookkeeping runs; an archive run says what
// it shipped; every saved view of docs/howto/web-ui-views.md is a valid List Filter and lists what that page says.
// Screenshots go to test-artifacts/browser/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../common/ports';
import { type DevServer, startDevServer } from '../../devstack/devServer';
import { backfillWorkflowId, dayWorkflowId } from '../../domain/workflowInputs';
import type { backfillWorkflow, deliveryDayWorkflow } from '../../workflows';
import type { ArchiveRunResult } from '../../workflows/archive';
import { ARTIFACTS_DIR, artifactPath, launchChromium } from '../helpers/browser';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { type JaoProcess, REPO_ROOT, spawnJao, stopProcess } from '../helpers/processes';

/** Refused by JAO when its operator runs it: a bad day, with its marker. */
const FAILED = '2024-04-02';
const BACKFILL = { from: '2024-04-03', to: '2024-04-07' };
/** Kept running by a slow JAO while the views are looked at. */
const SLOW = { from: '2024-04-20', to: '2024-04-22' };
const HOUR_MS = 3_600_000;
/** The runs that are no work of the pipeline's: the archive's, the markers' keeper, 1.1.0's sync of the markers. */
const BOOKKEEPING = /\b(archiveWorkflow|badDayMarkersWorkflow|badDaysSyncWorkflow)\b/;
/** "A handful". */
const HANDFUL = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, holds: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** The views of docs/howto/web-ui-views.md: the bold name and the List Filter of each row of its table. */
function savedViews(): Map<string, string> {
  const page = readFileSync(join(REPO_ROOT, 'docs', 'howto', 'web-ui-views.md'), 'utf8');
  const views = new Map<string, string>();
  for (const match of page.matchAll(/^\| \*\*([^*]+)\*\* \| `([^`]+)` \|/gm)) views.set(match[1]!, match[2]!);
  return views;
}

let server: DevServer;
let h: PipelineHarness;
let worker: JaoProcess;
let dataDir: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startDevServer({ uiPort: await freePort() });
  h = await createPipelineHarness(
    'webUiList',
    { faults: { rejectedDays: [FAILED] } },
    { address: server.address, namespace: server.namespace },
  );
  dataDir = mkdtempSync(join(tmpdir(), 'jao-web-ui-list-'));
  // The worker as deployed: it creates the schedules and starts the keeper of the bad-day markers.
  worker = spawnJao(['worker'], {
    DATABASE_URL: h.db.url,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: server.namespace,
    TEMPORAL_TASK_QUEUE: h.taskQueue,
    JAO_BASE_URL: h.simulator.origin,
    JAO_DATASETS: 'maxExchanges',
    JAO_MAX_REQUESTS_PER_MINUTE: '6000',
    JAO_DATA_DIR: dataDir,
    METRICS_PORT: '0',
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
  });
  await worker.waitFor(/worker polling task queue/, 120_000);
  browser = await launchChromium();
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: 'UTC' });
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  // The slow backfill's fetches are not waited for.
  if (worker) await stopProcess(worker, 'SIGKILL');
  await h?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const client = () => h.temporal.client;
const count = async (query?: string) => (await client().workflow.count(query)).count;
const listUrl = (query?: string) =>
  `${server.uiUrl}/namespaces/${server.namespace}/workflows${query ? `?query=${encodeURIComponent(query)}` : ''}`;

/** The rows the Web UI lists on its first page (100 rows), as their text, once `ready` holds of them. */
async function listedRows(url: string, ready: (rows: string[]) => boolean): Promise<string[]> {
  let rows: string[] = [];
  await until(
    `the Web UI to list ${url}`,
    async () => {
      await page.goto(url);
      await page.getByTestId('workflow-count').waitFor({ timeout: 30_000 });
      await page
        .getByTestId('workflows-summary-configurable-table-row')
        .first()
        .waitFor({ timeout: 5_000 })
        .catch(() => {});
      rows = await page.getByTestId('workflows-summary-configurable-table-row').allInnerTexts();
      return ready(rows);
    },
    60_000,
  );
  return rows;
}

describe('the Web UI after a simulated hour', () => {
  it("lists the pipeline's work by default, with no more than a handful of bookkeeping runs", async () => {
    // An operator's run that JAO refuses (a bad day), and a backfill.
    await expect(
      client().workflow.execute<typeof deliveryDayWorkflow>('deliveryDayWorkflow', {
        workflowId: dayWorkflowId('maxExchanges', FAILED),
        taskQueue: h.taskQueue,
        args: [{ dataset: 'maxExchanges', day: FAILED, trigger: 'cli' }],
      }),
    ).rejects.toThrow();
    await client().workflow.execute<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId: backfillWorkflowId('maxExchanges', BACKFILL.from, BACKFILL.to, 'missing'),
      taskQueue: h.taskQueue,
      args: [{ dataset: 'maxExchanges', from: BACKFILL.from, to: BACKFILL.to }],
    });

    // The hour just past, as the worker's schedules would have spent it.
    const end = new Date();
    const scheduleIds: string[] = [];
    for await (const schedule of client().schedule.list()) scheduleIds.push(schedule.scheduleId);
    expect(scheduleIds.sort()).toEqual(
      [
        `archive/${h.taskQueue}`,
        `maxExchanges-poll/${h.taskQueue}`,
        `maxExchanges-publication/${h.taskQueue}`,
      ].sort(),
    );
    for (const id of scheduleIds)
      await client()
        .schedule.getHandle(id)
        .backfill({
          start: new Date(end.getTime() - HOUR_MS),
          end,
          overlap: ScheduleOverlapPolicy.ALLOW_ALL,
        });
    await until('the hour of polls and archive runs', async () => {
      const polls = await count('WorkflowType = "pollWorkflow" AND ExecutionStatus = "Completed"');
      const archives = await count('WorkflowType = "archiveWorkflow" AND ExecutionStatus = "Completed"');
      const busy = await count(
        'ExecutionStatus = "Running" AND WorkflowType IN ("pollWorkflow", "archiveWorkflow", "deliveryDayWorkflow")',
      );
      return polls >= 6 && archives >= 2 && busy === 0;
    });
    await until('the bad day marked', async () => (await count('WorkflowType = "badDayWorkflow"')) === 1);

    const rows = await listedRows(listUrl(), (listed) =>
      listed.some((row) => row.includes(`maxExchanges/bad-day/${FAILED}/failed`)),
    );
    await page.screenshot({ path: artifactPath('web-ui-list-after-an-hour.png'), fullPage: true });
    const bookkeeping = rows.filter((row) => BOOKKEEPING.test(row));
    expect(bookkeeping.length, bookkeeping.join('\n')).toBeLessThanOrEqual(HANDFUL);
    expect(
      await count('WorkflowType IN ("archiveWorkflow", "badDayMarkersWorkflow", "badDaysSyncWorkflow")'),
    ).toBe(bookkeeping.length);
    for (const work of ['deliveryDayWorkflow', 'backfillWorkflow', 'pollWorkflow', 'badDayWorkflow'])
      expect(
        rows.some((row) => row.includes(work)),
        work,
      ).toBe(true);
  });

  it('shows what an archive run shipped: the writes and, per dataset, their days', async () => {
    // The hour's runs started together: the first shipped what waited, the others nothing.
    let latest: string | undefined;
    for await (const run of client().workflow.list({
      query: 'WorkflowType = "archiveWorkflow" AND ExecutionStatus = "Completed"',
    })) {
      const result = await client()
        .workflow.getHandle<() => Promise<ArchiveRunResult>>(run.workflowId)
        .result();
      if (result.shipped > 0) latest ??= run.workflowId;
    }
    expect(latest).toBeDefined();
    await page.goto(
      `${server.uiUrl}/namespaces/${server.namespace}/workflows/${encodeURIComponent(latest!)}`,
    );
    await page.getByText('User Metadata', { exact: true }).first().click({ timeout: 30_000 });
    // The second frame: the first holds the run's summary.
    const frame = page.frameLocator('iframe[title="output"]').last();
    await frame.getByText(/^shipped \d+ write\(s\)/).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('web-ui-archive-run.png'), fullPage: true });
    expect(await frame.locator('body').innerText()).toMatch(
      // Its days start at the operator's (2024-04-0x); whether the hour's polls of recent days had written before
      // this run started depends on which of the runs started together went first.
      /^shipped \d+ write\(s\) to file:\S+ \(\d+ new answer\(s\)\); \d+ waiting\s+maxExchanges: \d+ day\(s\), 2024-04-0\d(\.\.\d{4}-\d\d-\d\d)?\s*$/,
    );
  });
});

describe('the saved views of docs/howto/web-ui-views.md', () => {
  const views = savedViews();

  it('are each a List Filter the Web UI and Temporal take', async () => {
    expect(views.size).toBeGreaterThanOrEqual(8);
    for (const [name, query] of views) {
      await expect(count(query), name).resolves.toBeGreaterThanOrEqual(0);
    }
  });

  it('list what the page says', async () => {
    // A backfill kept running: from now on JAO answers no request within its timeout (the fetches retry).
    h.simulator.setFaults({ latencyMs: 600_000 });
    const slow = backfillWorkflowId('maxExchanges', SLOW.from, SLOW.to, 'missing');
    const running = await client().workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId: slow,
      taskQueue: h.taskQueue,
      args: [{ dataset: 'maxExchanges', from: SLOW.from, to: SLOW.to }],
    });
    try {
      const month = BACKFILL.from.slice(0, 7);
      const expectations: Record<string, { lists: string[]; not?: RegExp }> = {
        'Pipeline work': { lists: [slow, dayWorkflowId('maxExchanges', BACKFILL.from)], not: BOOKKEEPING },
        'Bad days': { lists: [`maxExchanges/bad-day/${FAILED}/failed`] },
        'Bad days of a dataset': { lists: [`maxExchanges/bad-day/${FAILED}/failed`] },
        'Running backfills': { lists: [slow], not: /\/backfill\/2024-04-03\.\.2024-04-07\// },
        "A dataset's days": {
          lists: [dayWorkflowId('maxExchanges', FAILED), dayWorkflowId('maxExchanges', BACKFILL.to)],
        },
        "A dataset's days of a month": { lists: [dayWorkflowId('maxExchanges', BACKFILL.from)] },
        'Day runs that ended bad': {
          lists: [dayWorkflowId('maxExchanges', FAILED)],
          not: /\/day\/2024-04-0[3-7]/,
        },
        Bookkeeping: {
          lists: ['archive/ship', `bad-days/markers/${h.taskQueue}`],
          not: /deliveryDayWorkflow/,
        },
      };
      for (const [name, expected] of Object.entries(expectations)) {
        const query = views.get(name)?.replace('"2026-11"', `"${month}"`);
        expect(query, `the view ${name} is on the page`).toBeDefined();
        const rows = await listedRows(listUrl(query), (listed) =>
          expected.lists.every((id) => listed.some((row) => row.includes(id))),
        );
        if (expected.not)
          expect(
            rows.filter((row) => expected.not!.test(row)),
            name,
          ).toEqual([]);
      }
      await page.screenshot({ path: artifactPath('web-ui-view-bookkeeping.png'), fullPage: true });

      // Saved once as a custom view, it is there in the list of views.
      await page.goto(listUrl(views.get('Running backfills')));
      await page.getByRole('button', { name: 'Save as New' }).click();
      await page.getByPlaceholder('Name of view').locator('visible=true').first().fill('Running backfills');
      await page.getByRole('button', { name: 'Save', exact: true }).locator('visible=true').first().click();
      await page.getByText('Running backfills', { exact: true }).first().waitFor({ timeout: 15_000 });
    } finally {
      h.simulator.setFaults({ latencyMs: 0 });
      await running.terminate('the test is over');
    }
  });
});
