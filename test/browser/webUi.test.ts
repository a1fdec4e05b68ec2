// The Temporal Web UI itself, in a real Chromium (playwright-core), on a dev server of this file's own that serves
// it: the status page's link for a never-run day opens the start page prefilled (not a 404), and a backfill's
// Current Details show every not-complete day whole, the bad-days query lists a bad day by a marker id that names its
// status, and a failed day is re-run as docs/tutorial.md says (More Actions, Start Workflow Like This One, the
// trigger changed). Screenshots go to test-artifacts/browser/.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../common/ports';
import { type DevServer, startDevServer } from '../../devstack/devServer';
import { dayWorkflowId } from '../../domain/workflowInputs';
import { startDayLink } from '../../page/client/dayCells';
import type { backfillWorkflow, badDaysSyncWorkflow, deliveryDayWorkflow } from '../../workflows';
import { ARTIFACTS_DIR, artifactPath, launchChromium } from '../helpers/browser';
import { createPipelineHarness, type PipelineHarness, type RunningWorkers } from '../helpers/pipeline';

const NEVER_RUN = '2024-02-14';
const PARTIAL = ['2024-03-02', '2024-03-04'];
/** Refused by JAO when the CLI runs it, then re-run from the Web UI. */
const RERUN = '2024-03-12';

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

  it('re-runs a failed day from its page: More Actions, Start Workflow Like This One, the trigger set to manual', async () => {
    const { client } = h.temporal;
    const workflowId = dayWorkflowId('maxExchanges', RERUN);
    h.simulator.setFaults({ rejectedDays: [RERUN] });
    await expect(
      client.workflow.execute<typeof deliveryDayWorkflow>('deliveryDayWorkflow', {
        workflowId,
        taskQueue: h.taskQueue,
        args: [{ dataset: 'maxExchanges', day: RERUN, trigger: 'cli' }],
      }),
    ).rejects.toThrow();
    const failed = (await client.workflow.getHandle(workflowId).describe()).runId;
    h.simulator.setFaults({ rejectedDays: [] });

    await page.goto(`${uiUrl}/namespaces/${server.namespace}/workflows/${encodeURIComponent(workflowId)}`);
    await page.getByRole('button', { name: 'More Actions' }).click({ timeout: 30_000 });
    await page.getByText('Start Workflow Like This One').locator('visible=true').first().click();
    // The form's input: the one editable JSON editor holding the failed run's input, the CLI's trigger with it. The
    // form has other JSON editors (memo, header, search attributes), and the workflow's page behind it shows its input
    // and result read-only, each rendered when it is ready.
    const input = page
      .locator('.cm-content[data-language="json"][contenteditable="true"]')
      .filter({ hasText: '"trigger": "cli"' });
    await input.waitFor({ timeout: 30_000 });
    await input.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(`{ "dataset": "maxExchanges", "day": "${RERUN}", "trigger": "manual" }`);
    await page.screenshot({ path: artifactPath('web-ui-start-like-this-one.png'), fullPage: true });
    await page.getByTestId('start-workflow-button').locator('visible=true').last().click();

    await expect
      .poll(async () => (await client.workflow.getHandle(workflowId).describe()).runId, { timeout: 30_000 })
      .not.toBe(failed);
    const rerun = client.workflow.getHandle<typeof deliveryDayWorkflow>(workflowId);
    expect((await rerun.result()).status).toBe('complete');
    const history = await rerun.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const input0 = started?.input?.payloads?.[0]?.data;
    expect(JSON.parse(Buffer.from(input0 ?? []).toString())).toEqual({
      dataset: 'maxExchanges',
      day: RERUN,
      trigger: 'manual',
    });
  });
});
