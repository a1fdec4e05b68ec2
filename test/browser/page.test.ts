// The status page in a real Chromium (playwright-core): a range seeded through the real pipeline (Temporal, the
// simulator and its faults, the write path) with a 25- and a 23-hour day and one day of each bad status; the page's
// cells against jao.day_quality day by day, the deep link against the workflow it names, the chart's points
// against the API's values, and cells redrawn from the live feed without a reload. Screenshots and timings go to
// test-artifacts/browser/. Chromium is provisioned by the test set-up (test/helpers/globalSetup.ts), never skipped.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../db/apiKeys';
import { recordMonitoringReading } from '../../db/monitoringSteps';
import { addDays, dayStartMs, daysInRange } from '../../domain/calendar';
import { instantText } from '../../page/client/marketTime';
import { createTestKey, getWith, startTestApi, type TestApi } from '../helpers/api';
import { ARTIFACTS_DIR, artifactPath, docsShot, launchChromium } from '../helpers/browser';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness, type RunningWorkers } from '../helpers/pipeline';

const FROM = '2024-10-25';
const TO = '2025-04-01';
const UI_URL = 'http://127.0.0.1:8233/temporal';
const BORDER = 'AT_BE';

const DAYS = {
  complete: '2024-10-26',
  long: '2024-10-27', // 25 hours
  partial: '2024-10-28',
  invalid: '2024-10-29',
  failed: '2024-10-30',
  notPublished: '2024-10-31',
  short: '2025-03-30', // 23 hours
  revised: '2025-03-31',
  running: '2025-04-01',
} as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ValueRow {
  mtu: string;
  value_mw: number;
}

describe('the status page in Chromium', () => {
  let h: PipelineHarness;
  let workers: RunningWorkers;
  let api: TestApi;
  let key: string;
  let namespace: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Between the first and the second version of DAYS.revised, on whole seconds (the as-of picker's step). */
  let between: Date;
  const timings: Record<string, number> = {};
  /** The page's console, kept beside the screenshots. */
  const browserLog: string[] = [];

  const viewStatuses = async (): Promise<Record<string, string>> => {
    const { rows } = await h.db.pool.query<{ day: string; status: string }>(
      `SELECT day::text AS day, status FROM jao.day_quality
        WHERE dataset = 'maxExchanges' AND day BETWEEN $1::date AND $2::date`,
      [FROM, TO],
    );
    const stored = new Map(rows.map((row) => [row.day, row.status]));
    // A day without a record is missing from the first stored day on; before it no run ever covered it.
    const first = [...stored.keys()].sort()[0]!;
    return Object.fromEntries(
      daysInRange(FROM, TO).map((day) => [day, stored.get(day) ?? (day < first ? 'not_fetched' : 'missing')]),
    );
  };
  const pageStatuses = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await page.evaluate(
        `[...document.querySelectorAll('.calendar a.cell[data-day]')].map((cell) => [cell.dataset.day, cell.dataset.status])`,
      )) as [string, string][],
    );
  const cellStatus = (day: string) =>
    page.locator(`.calendar a[data-day="${day}"]`).getAttribute('data-status');
  const values = async (params: string): Promise<ValueRow[]> => {
    const response = await getWith(
      key,
      `${api.url}/v1/datasets/maxExchanges/values?border=${BORDER}&${params}`,
    );
    expect(response.status).toBe(200);
    return (await response.json()) as ValueRow[];
  };
  const drawn = async () =>
    (await page.evaluate(
      'window.jaoPage.chart.drawn && { labels: window.jaoPage.chart.drawn.labels, colours: window.jaoPage.chart.drawn.colours, data: window.jaoPage.chart.drawn.data }',
    )) as { labels: string[]; colours: string[]; data: (number | null)[][] };
  /** Waits until the expression holds in the page (waitForFunction would evaluate it, which the page's CSP refuses). */
  const until = (expression: string) =>
    expect.poll(() => page.evaluate(`Boolean(${expression})`), { timeout: 15_000, interval: 100 }).toBe(true);
  const seconds = (rows: ValueRow[]) => rows.map((row) => Date.parse(row.mtu) / 1000);

  beforeAll(async () => {
    namespace = await createTestNamespace('page');
    h = await createPipelineHarness(
      'page',
      {
        faults: {
          missingMtuDays: [DAYS.partial],
          malformedDays: [DAYS.invalid],
          rejectedDays: [DAYS.failed],
        },
      },
      { namespace },
    );
    h.simulator.unpublishDay(DAYS.notPublished);
    workers = await h.startWorkers();
    await Promise.all(
      [DAYS.complete, DAYS.long, DAYS.partial, DAYS.invalid, DAYS.failed, DAYS.notPublished, DAYS.short].map(
        // A failed day fails its workflow too; the statuses are checked in the first test.
        (day) => h.runDay(day).catch(() => null),
      ),
    );
    await h.runDay(DAYS.revised);
    await sleep(1_100);
    between = new Date(Math.floor(Date.now() / 1000) * 1000);
    await sleep(1_100);
    h.simulator.reviseDay(DAYS.revised);
    await h.runDay(DAYS.revised);

    key = await createTestKey(h.db.pool);
    api = await startTestApi(h.db.url, {
      temporal: { address: inject('temporalAddress'), namespace },
      temporalUiUrl: UI_URL,
    });
    browser = await launchChromium();
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: 'UTC' });
    // The Web UI is not running here: its pages answer with their own address, so a popup's URL is what it asked.
    await context.route(`${UI_URL}/**`, (route) =>
      route.fulfill({ contentType: 'text/plain', body: `Web UI stand-in: ${route.request().url()}` }),
    );
    page = await context.newPage();
    page.on('console', (message) => browserLog.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => browserLog.push(`page error: ${error.message}`));
    const started = Date.now();
    await page.goto(`${api.url}/#key=${key}`);
    await page.locator('.calendar[data-state="ready"]').waitFor();
    timings.firstLoadMs = Date.now() - started;
  });

  afterAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    writeFileSync(artifactPath('timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    writeFileSync(artifactPath('console.log'), browserLog.map((line) => `${line}\n`).join(''));
    if (api) writeFileSync(artifactPath('api.log'), api.logs.join(''));
    await browser?.close();
    await api?.close();
    await workers?.stop();
    await h?.close();
  });

  it('seeds what the calendar must show: a 25- and a 23-hour day and one day of each bad status', async () => {
    const { rows } = await h.db.pool.query<{
      day: string;
      status: string;
      expected_mtus: number;
      revision_count: number;
    }>(`SELECT day::text AS day, status, expected_mtus, revision_count FROM jao.day_quality ORDER BY day`);
    expect(rows).toEqual([
      { day: DAYS.complete, status: 'complete', expected_mtus: 24, revision_count: 1 },
      { day: DAYS.long, status: 'complete', expected_mtus: 25, revision_count: 1 },
      { day: DAYS.partial, status: 'partial', expected_mtus: 24, revision_count: 1 },
      { day: DAYS.invalid, status: 'invalid', expected_mtus: 24, revision_count: 0 },
      { day: DAYS.failed, status: 'failed', expected_mtus: 24, revision_count: 0 },
      { day: DAYS.notPublished, status: 'not_published', expected_mtus: 24, revision_count: 0 },
      { day: DAYS.short, status: 'complete', expected_mtus: 23, revision_count: 1 },
      { day: DAYS.revised, status: 'complete', expected_mtus: 24, revision_count: 2 },
    ]);
  });

  it('takes the key from the fragment and drops it from the address', async () => {
    expect(page.url()).toBe(`${api.url}/`);
    expect(await page.evaluate(`localStorage.getItem('jao-scraper.apiKey')`)).toBe(key);
  });

  it('asks for a key where it has none, and again when the API refuses the one it has', async () => {
    const other = await browser.newContext();
    try {
      const fresh = await other.newPage();
      await fresh.goto(`${api.url}/`);
      await fresh.locator('#api-key').waitFor();
      expect((await fresh.locator('label[for="api-key"]').innerText()).trim()).toBe('Key');
      await fresh.fill('#api-key', 'not-a-key');
      await fresh.click('.key-form button[type="submit"]');
      expect(await fresh.locator('.key-form .problem').innerText()).toMatch(/not an API key/);
      const revoked = await createApiKey(h.db.pool, { name: 'revoked', datasets: ['maxExchanges'] });
      await revokeApiKey(h.db.pool, revoked.key.id);
      await fresh.fill('#api-key', revoked.token);
      await fresh.click('.key-form button[type="submit"]');
      await expect
        .poll(() => fresh.locator('.key-form .problem').innerText(), { timeout: 15_000 })
        .toMatch(/refused this key/);
      expect(await fresh.evaluate(`localStorage.getItem('jao-scraper.apiKey')`)).toBeNull();
    } finally {
      await other.close();
    }
  });

  it('shows exactly the statuses of jao.day_quality for the range, day by day', async () => {
    const started = Date.now();
    await page.fill('#calendar-from', FROM);
    await page.fill('#calendar-to', TO);
    await page.click('.calendar-section button[type="submit"]');
    await page.locator(`.calendar[data-state="ready"][data-range="${FROM}..${TO}"]`).waitFor();
    timings.calendarRangeMs = Date.now() - started;
    const expected = await viewStatuses();
    expect(Object.keys(expected)).toHaveLength(159);
    expect(await pageStatuses()).toEqual(expected);
    const legend = Object.fromEntries(
      (await page.evaluate(
        `[...document.querySelectorAll('.legend li')].map((li) => [li.dataset.status ?? li.dataset.mark, Number(li.querySelector('.count').textContent)])`,
      )) as [string, number][],
    );
    expect(legend).toEqual({
      complete: 4,
      partial: 1,
      invalid: 1,
      failed: 1,
      not_published: 1,
      missing: 150,
      not_fetched: 1,
      running: 0,
      'recheck-failed': 0,
    });
    expect(Object.values(legend).reduce((sum, count) => sum + count, 0)).toBe(159);
    // Status in words too, never colour alone; the clock-change days marked.
    expect(await page.locator(`a[data-day="${DAYS.failed}"]`).getAttribute('aria-label')).toBe(
      `${DAYS.failed}: failed`,
    );
    expect(await page.locator('.calendar a.cell.dst').count()).toBe(2);
    await page.screenshot({ path: artifactPath('calendar.png'), fullPage: true });
    await docsShot(page.locator('.calendar-section'), 'calendar-bad-days.png');
  });

  it('moves between days with the arrow keys', async () => {
    await page.focus(`a[data-day="${DAYS.partial}"]`);
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate('document.activeElement.dataset.day')).toBe(DAYS.invalid);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate('document.activeElement.dataset.day')).toBe('2024-11-29');
    expect(await page.locator('#day-tooltip strong').innerText()).toBe('2024-11-29');
  });

  it('shows the reason, missing MTUs, revisions and last change on hover', async () => {
    const { rows } = await h.db.pool.query<{ reason: string; missing: string[]; changed: Date }>(
      `SELECT reason, missing_mtus::text[] AS missing, last_changed_at AS changed
         FROM jao.day_quality WHERE day = $1::date`,
      [DAYS.partial],
    );
    const row = rows[0]!;
    expect(row.missing).toHaveLength(1);
    await page.hover(`a[data-day="${DAYS.partial}"]`);
    const tooltip = page.locator('#day-tooltip');
    await tooltip.waitFor();
    const text = (await tooltip.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(`Reason ${row.reason}`);
    // The third MTU of a CET day (01:00 UTC), in market time with its date.
    expect(text).toContain(`Missing MTUs 1: ${DAYS.partial} 02:00 CET`);
    expect(text).toContain('Revision 1');
    expect(text).toContain(`Last change ${instantText(row.changed.toISOString())}`);
    await page.screenshot({ path: artifactPath('tooltip.png') });
    await page.hover(`a[data-day="${DAYS.long}"]`);
    expect(await tooltip.innerText()).toMatch(/Hours\s+25 \(clock change\)/);
  });

  it("opens the day's workflow in the Web UI on click and shows the command that re-runs it", async () => {
    const workflowId = `maxExchanges/day/${DAYS.failed}`;
    const link = `${UI_URL}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`;
    const popup = page.waitForEvent('popup');
    await page.click(`a[data-day="${DAYS.failed}"]`);
    const opened = await popup;
    await opened.waitForLoadState();
    expect(opened.url()).toBe(link);
    await opened.close();
    // The link names this namespace's workflow of that day, which ended with the day failed.
    const named = decodeURIComponent(link.split('/workflows/')[1]!);
    const description = await h.temporal.client.workflow.getHandle(named).describe();
    expect(description.searchAttributes.DayStatus).toEqual(['failed']);
    expect(description.searchAttributes.DeliveryDay).toEqual([DAYS.failed]);
    expect(await page.locator('.day-detail a.workflow-link').getAttribute('href')).toBe(link);
    expect(await page.locator('.day-detail code.command').innerText()).toBe(`npx jao rerun ${DAYS.failed}`);
    await page.screenshot({ path: artifactPath('day-detail.png'), fullPage: true });
    await docsShot(page.locator('.calendar-section'), 'day-panel.png');
  });

  it("draws a border's values as the API gives them, a day's versions overlaid, and the values as of an instant", async () => {
    const from = DAYS.short;
    const to = DAYS.revised;
    await page.fill('#chart-border', BORDER);
    await page.fill('#chart-from', from);
    await page.fill('#chart-to', to);
    const started = Date.now();
    await page.click('.chart-section button[type="submit"]');
    await until(`window.jaoPage.chart.drawn?.request.from === '${from}'`);
    await page.locator('.chart-section[data-state="ready"]').waitFor();
    timings.chartMs = Date.now() - started;
    const current = await values(`from=${from}&to=${to}`);
    expect(current).toHaveLength(23 + 24);
    let chart = await drawn();
    expect(chart.labels).toEqual([BORDER]);
    const currentColour = chart.colours[0];
    // Every MTU of the range (each stored here), then the end of the last; nothing stored there.
    const end = dayStartMs(addDays(to, 1)) / 1000;
    expect(chart.data).toEqual([
      [...seconds(current), end],
      [...current.map((row) => row.value_mw), null],
    ]);

    await page.fill('#chart-day', DAYS.revised);
    await page.dispatchEvent('#chart-day', 'change');
    await until(`window.jaoPage.chart.drawn?.labels.length === 3`);
    chart = await drawn();
    const day = await values(`from=${DAYS.revised}&to=${DAYS.revised}`);
    const dayBefore = await values(`from=${DAYS.revised}&to=${DAYS.revised}&as_of=${between.toISOString()}`);
    expect(dayBefore.map((row) => row.value_mw)).not.toEqual(day.map((row) => row.value_mw));
    expect(chart.labels.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${BORDER} ${DAYS.revised} version 1 \\(from `)),
      expect.stringMatching(new RegExp(`^${BORDER} ${DAYS.revised} version 2 \\(from `)),
    ]);
    const [xs, , first, second] = chart.data;
    const at = (line: (number | null)[], rows: ValueRow[]) =>
      rows.map((row) => line[xs!.indexOf(Date.parse(row.mtu) / 1000)]);
    expect(at(first!, dayBefore)).toEqual(dayBefore.map((row) => row.value_mw));
    expect(at(second!, day)).toEqual(day.map((row) => row.value_mw));
    await page.screenshot({ path: artifactPath('chart-revisions.png'), fullPage: true });

    await page.fill('#chart-day', '');
    await page.fill('#chart-as-of', instantText(between.toISOString()));
    await page.dispatchEvent('#chart-as-of', 'change');
    await until(`window.jaoPage.chart.drawn?.labels[0].startsWith('${BORDER} as of')`);
    chart = await drawn();
    const asOf = await values(`from=${from}&to=${to}&as_of=${between.toISOString()}`);
    expect(chart.labels).toEqual([`${BORDER} as of ${instantText(between.toISOString())}`, BORDER]);
    // The border keeps its colour beside its values as of an instant (drawn dashed).
    expect(chart.colours).toEqual([currentColour, currentColour]);
    expect(chart.data).toEqual([
      [...seconds(current), end],
      [...asOf.map((row) => row.value_mw), null],
      [...current.map((row) => row.value_mw), null],
    ]);
    await page.screenshot({ path: artifactPath('chart-as-of.png'), fullPage: true });
  });

  it('redraws a running day, then a failed and a revised one, from the feed, without a reload', async () => {
    const loadedAt = await page.evaluate('window.jaoPage.loadedAt');
    // A day whose answer takes a minute (the client gives up after 10 s and tries again): its workflow runs.
    h.simulator.setFaults({ latencyMs: 60_000 });
    const handle = await h.startDay(DAYS.running);
    await expect.poll(() => cellStatus(DAYS.running), { timeout: 30_000, interval: 250 }).toBe('running');
    expect(await page.locator(`a[data-day="${DAYS.running}"]`).getAttribute('aria-label')).toBe(
      `${DAYS.running}: running (stored: missing)`,
    );
    await page.screenshot({ path: artifactPath('running.png'), fullPage: true });
    // Its next attempt is refused: the day fails, and its cell turns red.
    h.simulator.setFaults({ latencyMs: 0, rejectedDays: [DAYS.failed, DAYS.running] });
    await expect(handle.result()).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/rejected/) },
    });
    await expect.poll(() => cellStatus(DAYS.running), { timeout: 15_000, interval: 250 }).toBe('failed');
    h.simulator.setFaults({ missingMtuDays: [DAYS.partial, DAYS.complete] });
    await h.runDay(DAYS.complete);
    await expect.poll(() => cellStatus(DAYS.complete), { timeout: 15_000, interval: 250 }).toBe('partial');
    // A stored day whose re-check JAO refuses keeps its values and status, and the feed says so
    // (day.recheck_failed): its cell is ringed red. The page's other ways to learn it are shut meanwhile (the range
    // read again every 15 s, a day re-read once its run is seen to end), so only the event can redraw it.
    const readsOnlyFromEvents = async (route: Route) => {
      const url = new URL(route.request().url());
      const oneDay =
        url.pathname === '/v1/days' && url.searchParams.get('from') === url.searchParams.get('to');
      if (url.pathname === '/v1/days/running') await route.fulfill({ json: [] });
      else if (oneDay) await route.continue();
      else await route.abort();
    };
    const daysRoutes = (url: URL) => url.pathname.startsWith('/v1/days');
    await page.route(daysRoutes, readsOnlyFromEvents);
    try {
      h.simulator.setFaults({ rejectedDays: [DAYS.failed, DAYS.running, DAYS.short] });
      await h.runDay(DAYS.short).catch(() => null);
      const short = page.locator(`a[data-day="${DAYS.short}"]`);
      await expect
        .poll(() => short.getAttribute('class'), { timeout: 40_000, interval: 250 })
        .toContain('recheck-failed');
      expect(await short.getAttribute('aria-label')).toBe(`${DAYS.short}: complete, re-check failed`);
    } finally {
      await page.unroute(daysRoutes, readsOnlyFromEvents);
    }
    expect(await page.evaluate('window.jaoPage.loadedAt')).toBe(loadedAt);
    expect(await pageStatuses()).toEqual(await viewStatuses());
    await page.screenshot({ path: artifactPath('after-live-updates.png'), fullPage: true });
  });

  it("marks the days JAO's own word calls missing, late or not yet published, in the cell, its label, the key and the tooltip", async () => {
    const hour = 3_600_000;
    const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
    const step = (day: string, status: 'Received' | 'Pending', deadline: string) => ({
      day,
      page: 'Final Computation',
      status,
      deadline,
      lastModifiedOn: status === 'Received' ? at(-2 * hour) : null,
      followUpActionInitiated: false,
    });
    const unstored = '2024-11-05';
    await recordMonitoringReading(h.db.pool, 'core', new Date(), {
      outcome: 'read',
      steps: [
        step(DAYS.long, 'Received', at(-3 * hour)), // stored complete: published, no mark
        step(DAYS.invalid, 'Received', at(-3 * hour)), // JAO has it, the database does not: missing
        step(DAYS.notPublished, 'Pending', at(-hour)), // past its deadline: late
        step(unstored, 'Pending', at(hour)), // not yet published
      ],
    });
    await page.reload();
    await page.locator('.calendar[data-state="ready"]').waitFor();
    const classOf = (day: string) => page.locator(`a[data-day="${day}"]`).getAttribute('class');
    expect(await classOf(DAYS.invalid)).toContain('jao-missing');
    expect(await classOf(DAYS.notPublished)).toContain('jao-late');
    expect(await classOf(unstored)).toContain('jao-not_yet_published');
    expect(await classOf(DAYS.long)).not.toContain('jao-');
    expect(await page.locator(`a[data-day="${DAYS.notPublished}"]`).getAttribute('aria-label')).toBe(
      `${DAYS.notPublished}: not published yet, JAO: late`,
    );
    const counts = Object.fromEntries(
      (await page.evaluate(
        `[...document.querySelectorAll('.marks[data-mark="jao-word"] .mark-key')].map((key) => [key.dataset.mark, Number(key.querySelector('.count').textContent)])`,
      )) as [string, number][],
    );
    expect(counts).toEqual({ 'jao-late': 1, 'jao-missing': 1, 'jao-not_yet_published': 1 });
    await page.hover(`a[data-day="${DAYS.notPublished}"]`);
    const tooltip = page.locator('#day-tooltip');
    await tooltip.waitFor();
    expect((await tooltip.innerText()).replace(/\s+/g, ' ')).toMatch(
      /JAO's word late: Final Computation pending, due .+ \(read .+\)/,
    );
    await page.screenshot({ path: artifactPath('jao-word.png'), fullPage: true });
  });
});
