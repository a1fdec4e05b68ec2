// The Temporal Web UI itself, in a real Chromium (playwright-core), on a dev server of this file's own that serves
// it: the status page's link for a never-run day opens the start page prefilled (not a 404), and a backfill's
// Current Details show every not-complete day whole, and the bad-days query lists a bad day by a marker id that
// names its status. Screenshots go to test-artifacts/browser/.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../common/ports';
import { type DevServer, startDevServer } from '../../devstack/devServer';
import { startDayLink } from '../../page/client/startLink';
import type { backfillWorkflow, badDaysSyncWorkflow } from '../../workflows';
import { ARTIFACTS_DIR, artifactPath, launchChromium } from '../helpers/browser';
import { createPipelineHarness, type PipelineHarness, type RunningWorkers } from '../helpers/pipeline';

const NEVER_RUN = '2024-02-14';
const PARTIAL = ['2024-03-02', '2024-03-04'];

let server: DevServer;
let uiUrl: string;
let h: PipelineHarness;
let workers: RunningWorkers;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startDevServer({ uiPort: await freePort() });
  uiUrl = server.uiUrl!;
  h = await createPipelineHarness(
    'webUi',
    { faults: { missingMtuDays: PARTIAL } },
    { address: server.address, namespace: server.namespace },
  );
  workers = await h.startWorkers();
  browser = await launchChromium();
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: 'UTC' });
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await workers?.stop();
  await h?.close();
  await server?.stop();
});

describe('the Temporal Web UI', () => {
  it("opens a never-run day's start page prefilled with its workflow id, task queue and type", async () => {
    const link = startDayLink(uiUrl, server.namespace, h.taskQueue, 'maxExchanges', NEVER_RUN);
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    const workflowId = page.locator('#workflowId');
    await workflowId.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => workflowId.inputValue(), { timeout: 15_000 })
      .toBe(`maxExchanges/day/${NEVER_RUN}`);
    expect(await page.locator('#taskQueue').inputValue()).toBe(h.taskQueue);
    expect(await page.locator('#workflowType').inputValue()).toBe('deliveryDayWorkflow');
    await page.screenshot({ path: artifactPath('web-ui-start-day.png'), fullPage: true });
  });

  it("shows every not-complete day of a backfill's Current Details whole", async () => {
    const workflowId = `maxExchanges/backfill/2024-03-01..2024-03-05/all-${h.taskQueue}`;
    await h.temporal.client.workflow.execute<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId,
      taskQueue: h.taskQueue,
      args: [{ from: '2024-03-01', to: '2024-03-05', mode: 'all' }],
    });
    await page.goto(`${uiUrl}/namespaces/${server.namespace}/workflows/${encodeURIComponent(workflowId)}`);
    await page.getByText('User Metadata', { exact: true }).first().click({ timeout: 30_000 });
    const frame = page.frameLocator('iframe[title="output"]').first();
    await frame.getByText(/^Not complete/).waitFor({ timeout: 30_000 });
    // Sized once its content loaded (the UI sets the frame's height attribute then).
    await expect
      .poll(() => page.locator('iframe[title="output"]').first().getAttribute('height'), { timeout: 15_000 })
      .toMatch(/^\d+px$/);
    await page.screenshot({ path: artifactPath('web-ui-backfill-details.png'), fullPage: true });
    const text = await frame.locator('body').innerText();
    for (const day of PARTIAL) expect(text).toContain(`${day} partial`);
    // The UI sizes the frame to its body's scrollHeight once loaded, which leaves out the body's margins: what
    // ends the details is cut off by that much.
    const frameHeight = await page
      .locator('iframe[title="output"]')
      .first()
      .evaluate((frame) => frame.clientHeight);
    const bottoms = await frame
      .locator('li')
      .evaluateAll((items) =>
        items.map((item) => [item.textContent ?? '', item.getBoundingClientRect().bottom]),
      );
    const notComplete = bottoms.filter(([text]) => /partial/.test(String(text)) && /MTU/.test(String(text)));
    expect(notComplete).toHaveLength(PARTIAL.length);
    for (const [text, bottom] of notComplete) {
      expect({ text, whole: Number(bottom) <= frameHeight }).toEqual({ text, whole: true });
    }
  });

  it('lists a bad day in its Workflow ID column under the bad-days query', async () => {
    await h.runDay(PARTIAL[0]!);
    await h.temporal.client.workflow.execute<typeof badDaysSyncWorkflow>('badDaysSyncWorkflow', {
      workflowId: `bad-days/sync/${h.taskQueue}`,
      taskQueue: h.taskQueue,
    });
    const query = `WorkflowType = "badDayWorkflow" AND ExecutionStatus = "Running" AND TaskQueue = "${h.taskQueue}"`;
    await page.goto(`${uiUrl}/namespaces/${server.namespace}/workflows?query=${encodeURIComponent(query)}`);
    await page
      .getByText(`maxExchanges/bad-day/${PARTIAL[0]}/partial/${h.taskQueue}`)
      .first()
      .waitFor({ timeout: 15_000 });
    await page.screenshot({ path: artifactPath('web-ui-bad-days.png'), fullPage: true });
  });
});
