// Acting from the status page in a real Chromium (playwright-core), on one stack (Temporal dev server, worker,
// simulator, database, API): an operator key picks the bad days in view and re-runs them, and both turn complete
// live without a reload; a reader key sees no control and is refused (403) by the run routes. On the Nordic
// maxExchanges page, an operator key of Nordic re-runs a partial Nordic day the same way, and its runs are Nordic's.
// The page's new facts too: tomorrow's freshness, the backfills line, the bad-days filter and the revised mark.
// Screenshots go to test-artifacts/browser/.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../../db/apiKeys';
import { addDays, marketTomorrow } from '../../domain/calendar';
import type { Dataset } from '../../domain/datasets';
import { dayWorkflowId } from '../../domain/workflowInputs';
import { startTestApi, type TestApi } from '../helpers/api';
import { ARTIFACTS_DIR, artifactPath, launchChromium } from '../helpers/browser';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';

const UI_URL = 'http://127.0.0.1:8233/temporal';
// Recent days, inside the page's default range (the last 90 days and tomorrow).
const TODAY = addDays(marketTomorrow(new Date()), -1);
const PARTIAL = addDays(TODAY, -12);
const FAILED = addDays(TODAY, -11);
const REVISED = addDays(TODAY, -10);
const NORDIC: Dataset = 'nordicMaxExchanges';
/** Partial for Nordic only: Core never runs it. */
const NORDIC_PARTIAL = addDays(TODAY, -9);

describe('acting from the status page', () => {
  let h: PipelineHarness;
  let api: TestApi;
  let operatorKey: string;
  let readerKey: string;
  /** An operator key of Core and Nordic maxExchanges. */
  let nordicOperatorKey: string;
  let browser: Browser;
  let context: BrowserContext;
  const browserLog: string[] = [];

  const open = async (key: string, dataset: Dataset | null = null): Promise<Page> => {
    const page = await context.newPage();
    page.on('console', (message) => browserLog.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => browserLog.push(`page error: ${error.message}`));
    await page.goto(`${api.url}/${dataset ? `?dataset=${dataset}` : ''}#key=${key}`);
    await page.locator('.calendar[data-state="ready"]').waitFor();
    return page;
  };
  const cell = (page: Page, day: string) => page.locator(`.calendar a[data-day="${day}"]`);

  beforeAll(async () => {
    const namespace = await createTestNamespace('operator');
    h = await createPipelineHarness(
      'operator',
      { faults: { missingMtuDays: [PARTIAL, NORDIC_PARTIAL], rejectedDays: [FAILED] } },
      { namespace },
    );
    await h.startWorkers();
    await Promise.all([
      h.runDay(PARTIAL),
      h.runDay(FAILED).catch(() => null),
      h.runDay(REVISED),
      h.runDay(NORDIC_PARTIAL, NORDIC),
    ]);
    h.simulator.reviseDay(REVISED);
    await h.runDay(REVISED);
    h.simulator.setFaults({ missingMtuDays: [], rejectedDays: [] });
    operatorKey = (await createApiKey(h.db.pool, { name: 'ops', datasets: ['maxExchanges'], operator: true }))
      .token;
    readerKey = (await createApiKey(h.db.pool, { name: 'desk', datasets: ['maxExchanges'] })).token;
    nordicOperatorKey = (
      await createApiKey(h.db.pool, {
        name: 'nordic ops',
        datasets: ['maxExchanges', NORDIC],
        operator: true,
      })
    ).token;
    api = await startTestApi(h.db.url, {
      temporal: { address: inject('temporalAddress'), namespace, taskQueue: h.taskQueue },
      temporalUiUrl: UI_URL,
    });
    browser = await launchChromium();
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    context = await browser.newContext({ viewport: { width: 1400, height: 1100 }, timezoneId: 'UTC' });
    await context.route(`${UI_URL}/**`, (route) =>
      route.fulfill({ contentType: 'text/plain', body: `Web UI stand-in: ${route.request().url()}` }),
    );
  });

  afterAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    writeFileSync(artifactPath('operator-console.log'), browserLog.map((line) => `${line}\n`).join(''));
    await browser?.close();
    await api?.close();
    await h?.close();
  });

  it('shows a reader no control, and the run routes refuse its key (403)', async () => {
    const page = await open(readerKey);
    await expect.poll(() => page.locator('.freshness').innerText()).toMatch(/^Tomorrow \d{4}-\d{2}-\d{2}: /);
    expect(await page.locator('.operator-panel').count()).toBe(0);
    expect(await page.locator('[data-action="rerun"], [data-action="backfill"]').count()).toBe(0);
    for (const [path, body] of [
      ['/v1/runs/days', { days: [PARTIAL] }],
      ['/v1/runs/backfill', { from: PARTIAL, to: FAILED }],
    ] as const) {
      const answer = await fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${readerKey}` },
        body: JSON.stringify(body),
      });
      expect(answer.status).toBe(403);
    }
    // The page's facts for every key: the revised mark, the backfills line, the bad-days filter.
    expect(await cell(page, REVISED).getAttribute('class')).toMatch(/\brevised\b/);
    expect(await page.locator('.marks .count').innerText()).toBe('1');
    await expect.poll(() => page.locator('.backfills').getAttribute('data-state')).toBe('ready');
    await page.check('#calendar-only-bad');
    expect(await cell(page, PARTIAL).isVisible()).toBe(true);
    expect(await cell(page, REVISED).isVisible()).toBe(false);
    await page.screenshot({ path: artifactPath('reader-only-bad.png'), fullPage: true });
    await page.close();
  });

  it('re-runs the bad days in view from the page; both turn complete live, without a reload', async () => {
    const page = await open(operatorKey);
    const loadedAt = await page.evaluate('window.jaoPage.loadedAt');
    expect([
      await cell(page, PARTIAL).getAttribute('data-status'),
      await cell(page, FAILED).getAttribute('data-status'),
    ]).toEqual(['partial', 'failed']);
    // Ctrl-click picks a day (and opens nothing); "all bad in view" picks exactly the bad ones.
    await cell(page, REVISED).click({ modifiers: ['ControlOrMeta'] });
    expect(await cell(page, REVISED).getAttribute('class')).toMatch(/\bpicked\b/);
    expect(context.pages()).toHaveLength(1);
    await page.click('[data-action="select-bad"]');
    expect(await page.locator('.selection-summary').getAttribute('data-count')).toBe('2');
    expect(await cell(page, REVISED).getAttribute('class')).not.toMatch(/\bpicked\b/);
    await page.screenshot({ path: artifactPath('operator-picked.png'), fullPage: true });

    await page.click('[data-action="rerun"]');
    await expect.poll(() => page.locator('.run-log li').count()).toBe(2);
    for (const day of [PARTIAL, FAILED]) {
      await expect
        .poll(() => cell(page, day).getAttribute('data-status'), { timeout: 20_000, interval: 100 })
        .toBe('complete');
      await expect
        .poll(() => page.locator(`.run-log li[data-day="${day}"]`).getAttribute('data-state'), {
          timeout: 20_000,
        })
        .toBe('ended');
      expect(await page.locator(`.run-log li[data-day="${day}"]`).getAttribute('data-outcome')).toBe(
        'complete',
      );
    }
    expect(await page.evaluate('window.jaoPage.loadedAt')).toBe(loadedAt);
    await page.screenshot({ path: artifactPath('operator-rerun-done.png'), fullPage: true });

    // The day's runs, newest first, the page's own run naming this key, each linked to its run in the Web UI.
    await cell(page, PARTIAL).click();
    await expect
      .poll(() => page.locator('.day-runs tbody tr').count(), { timeout: 15_000, interval: 200 })
      .toBe(2);
    const first = page.locator('.day-runs tbody tr').first();
    expect(await first.getAttribute('data-outcome')).toBe('complete');
    expect(await first.innerText()).toContain('key');
    expect(await first.locator('a').getAttribute('href')).toMatch(
      new RegExp(`/workflows/maxExchanges%2Fday%2F${PARTIAL}/[0-9a-f-]+/history$`),
    );
    await page.screenshot({ path: artifactPath('operator-history.png'), fullPage: true });
    await page.close();
  });

  it("re-runs a partial Nordic day from Nordic's page; it turns complete live; its runs are Nordic's", async () => {
    const page = await open(nordicOperatorKey, NORDIC);
    const loadedAt = await page.evaluate('window.jaoPage.loadedAt');
    expect(await page.evaluate('window.jaoPage.dataset')).toBe(NORDIC);
    expect(await page.locator('#operator-heading').innerText()).toContain(NORDIC);
    expect(await cell(page, NORDIC_PARTIAL).getAttribute('data-status')).toBe('partial');
    await page.click('[data-action="select-bad"]');
    expect(await page.locator('.selection-summary').getAttribute('data-count')).toBe('1');
    expect(await cell(page, NORDIC_PARTIAL).getAttribute('class')).toMatch(/\bpicked\b/);

    await page.click('[data-action="rerun"]');
    const logged = page.locator(`.run-log li[data-day="${NORDIC_PARTIAL}"]`);
    await logged.waitFor();
    expect(await logged.locator('a').getAttribute('href')).toMatch(
      new RegExp(`/workflows/${NORDIC}%2Fday%2F${NORDIC_PARTIAL}$`),
    );
    await expect
      .poll(() => cell(page, NORDIC_PARTIAL).getAttribute('data-status'), { timeout: 20_000, interval: 100 })
      .toBe('complete');
    await expect.poll(() => logged.getAttribute('data-state'), { timeout: 20_000 }).toBe('ended');
    expect(await logged.getAttribute('data-outcome')).toBe('complete');
    expect(await page.evaluate('window.jaoPage.loadedAt')).toBe(loadedAt);
    await page.screenshot({ path: artifactPath('operator-nordic-rerun-done.png'), fullPage: true });

    // The Nordic day's runs: the page's own run, then the first; each linked to the Nordic workflow's run.
    await cell(page, NORDIC_PARTIAL).click();
    await expect
      .poll(() => page.locator('.day-runs tbody tr').count(), { timeout: 15_000, interval: 200 })
      .toBe(2);
    const rows = page.locator('.day-runs tbody tr');
    expect(await rows.first().getAttribute('data-outcome')).toBe('complete');
    expect(await rows.first().innerText()).toContain('"nordic ops"');
    expect(await rows.last().getAttribute('data-outcome')).toBe('partial');
    for (const link of await rows.locator('a').all())
      expect(await link.getAttribute('href')).toMatch(
        new RegExp(`/workflows/${NORDIC}%2Fday%2F${NORDIC_PARTIAL}/[0-9a-f-]+/history$`),
      );
    // Core maxExchanges' day of the same date was never run: the re-run was Nordic's only.
    const coreRuns = h.temporal.client.workflow.list({
      query: `WorkflowId = '${dayWorkflowId('maxExchanges', NORDIC_PARTIAL)}'`,
    });
    for await (const run of coreRuns) expect.fail(`a Core run of ${NORDIC_PARTIAL}: ${run.runId}`);
    await page.screenshot({ path: artifactPath('operator-nordic-history.png'), fullPage: true });
    await page.close();
  });
});
