// The status page's chart and the live feed, in a real Chromium (playwright-core): two days stored through the real
// pipeline (Temporal, the simulator, the write path); one of them loses an MTU (the simulator's fault, the day
// re-run) while the chart is open, and the drawn values follow without a reload. The current line moves, the line as
// known at an instant before the change does not (and is not asked again), one at an instant after it does. The
// chart's CSV download is the API's CSV for the same parameters, byte for byte.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { instantText } from '../../page/client/marketTime';
import { createTestKey, getWith, startTestApi, type TestApi } from '../helpers/api';
import { launchChromium } from '../helpers/browser';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness, type RunningWorkers } from '../helpers/pipeline';

const FROM = '2024-11-04';
const TO = '2024-11-05';
const LOSES_AN_MTU = TO;
const BORDER = 'AT_BE';
const VALUES_PATH = '/v1/datasets/maxExchanges/values';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Drawn {
  labels: string[];
  data: (number | null)[][];
}

describe("the status page's chart follows the live feed", () => {
  let h: PipelineHarness;
  let workers: RunningWorkers;
  let api: TestApi;
  let key: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** After both days were first stored, on whole seconds (the as-of picker's step). */
  let beforeChange: Date;
  /** The values requests the page made, as their query strings. */
  const valuesRequests: URLSearchParams[] = [];

  const drawn = async () =>
    (await page.evaluate(
      'window.jaoPage.chart.drawn && { labels: window.jaoPage.chart.drawn.labels, data: window.jaoPage.chart.drawn.data }',
    )) as Drawn;
  /** The number of values a line holds (its non-null points). */
  const valuesOf = (chart: Drawn, label: string) =>
    chart.data[chart.labels.indexOf(label) + 1]!.filter((value) => value !== null).length;
  const until = (expression: string) =>
    expect.poll(() => page.evaluate(`Boolean(${expression})`), { timeout: 15_000, interval: 100 }).toBe(true);
  const drawRequest = async (asOf: string | null, revisionsDay: string | null = null) => {
    const request = { borders: [BORDER], from: FROM, to: TO, asOf, revisionsDay, difference: null };
    await page.evaluate(`window.jaoPage.chart.drawRequest(${JSON.stringify(request)})`);
    await page.locator('.chart-section[data-state="ready"]').waitFor();
  };
  const apiCsv = async (asOf: string | null) => {
    const query = new URLSearchParams({ border: BORDER, from: FROM, to: TO, format: 'csv' });
    if (asOf) query.set('as_of', asOf);
    const response = await getWith(key, `${api.url}${VALUES_PATH}?${query}`);
    expect(response.status).toBe(200);
    return response.text();
  };
  const apiValues = async (asOf: string | null) => {
    const query = new URLSearchParams({ border: BORDER, from: FROM, to: TO });
    if (asOf) query.set('as_of', asOf);
    const response = await getWith(key, `${api.url}${VALUES_PATH}?${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as unknown[];
  };
  const downloadedCsv = async () => {
    const download = page.waitForEvent('download');
    await page.click('#chart-csv');
    const file = await download;
    return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
  };

  beforeAll(async () => {
    const namespace = await createTestNamespace('chartLive');
    h = await createPipelineHarness('chartLive', {}, { namespace });
    workers = await h.startWorkers();
    await Promise.all([h.runDay(FROM), h.runDay(TO)]);
    await sleep(1_100);
    beforeChange = new Date(Math.floor(Date.now() / 1000) * 1000);
    await sleep(1_100);
    key = await createTestKey(h.db.pool);
    api = await startTestApi(h.db.url, { temporal: { address: inject('temporalAddress'), namespace } });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 }, timezoneId: 'UTC' });
    page = await context.newPage();
    page.on('request', (request: Request) => {
      const url = new URL(request.url());
      if (url.pathname === VALUES_PATH) valuesRequests.push(url.searchParams);
    });
    await page.goto(`${api.url}/#key=${key}`);
    await page.locator('.calendar[data-state="ready"]').waitFor();
    await page.locator('.chart-section[data-state="ready"]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await workers?.stop();
    await h?.close();
  });

  it('downloads exactly the CSV the API gives for what is drawn', async () => {
    await drawRequest(null);
    const current = await downloadedCsv();
    expect(current.name).toBe(`maxExchanges_${BORDER}_${FROM}_${TO}.csv`);
    expect(current.text).toBe(await apiCsv(null));
    expect(current.text.trim().split('\n')).toHaveLength(1 + 48);

    await drawRequest(beforeChange.toISOString());
    const asOf = await downloadedCsv();
    expect(asOf.text).toBe(await apiCsv(beforeChange.toISOString()));
    expect(asOf.name).toMatch(/_as_of_\d{8}T\d{6}Z\.csv$/);
  });

  it('redraws the range it shows when a day in it loses an MTU, without a reload', async () => {
    const loadedAt = await page.evaluate('window.jaoPage.loadedAt');
    const asOf = beforeChange.toISOString();
    const asOfLabel = `${BORDER} as of ${instantText(asOf)}`;
    await drawRequest(asOf);
    let chart = await drawn();
    expect(chart.labels).toEqual([asOfLabel, BORDER]);
    expect(valuesOf(chart, BORDER)).toBe(48);
    expect(valuesOf(chart, asOfLabel)).toBe(48);
    const asOfLine = chart.data[1];
    // Zoomed in to the second day's first hours: the redraw keeps the plot and the zoom.
    const zoom = { min: chart.data[0]![24]!, max: chart.data[0]![30]! };
    await page.evaluate(
      `window.plotBefore = window.jaoPage.chart.plot; window.plotBefore.setScale('x', ${JSON.stringify(zoom)})`,
    );
    valuesRequests.length = 0;

    h.simulator.setFaults({ missingMtuDays: [LOSES_AN_MTU] });
    await h.runDay(LOSES_AN_MTU);
    await until(`window.jaoPage.chart.drawn.data[2].filter((value) => value !== null).length === 47`);
    chart = await drawn();
    expect(chart.labels).toEqual([asOfLabel, BORDER]);
    // The values known before the change cannot have moved: drawn as they were, and not asked again.
    expect(chart.data[1]).toEqual(asOfLine);
    expect(await page.evaluate('window.jaoPage.chart.plot === window.plotBefore')).toBe(true);
    expect(
      await page.evaluate('({ min: window.plotBefore.scales.x.min, max: window.plotBefore.scales.x.max })'),
    ).toEqual(zoom);
    expect(valuesRequests.length).toBeGreaterThan(0);
    expect(valuesRequests.filter((query) => query.has('as_of'))).toEqual([]);
    expect(await page.evaluate('window.jaoPage.loadedAt')).toBe(loadedAt);
    expect(
      await page
        .locator('#chart-chosen li')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-border'))),
    ).toEqual([BORDER]);
    expect(await page.inputValue('#chart-from')).toBe(FROM);
    expect(await page.inputValue('#chart-to')).toBe(TO);
    expect(await page.locator('.chart-section .status-line').innerText()).toMatch(
      /: 48 values as known at .* Redrawn from the live feed/,
    );
    // What is downloaded now is what is drawn now.
    expect((await downloadedCsv()).text).toBe(await apiCsv(asOf));
  });

  it('redraws a line as known at an instant after the change, the current line and the overlaid day when the day changes again', async () => {
    // The MTU comes back: a change stored before an as-of instant in the future moves that line too.
    const future = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000).toISOString();
    const futureLabel = `${BORDER} as of ${instantText(future)}`;
    await drawRequest(future, LOSES_AN_MTU);
    let chart = await drawn();
    expect(chart.labels.slice(2)).toEqual([
      expect.stringMatching(new RegExp(`^${BORDER} ${LOSES_AN_MTU} version 1 `)),
    ]);
    expect(valuesOf(chart, futureLabel)).toBe(47);
    expect(valuesOf(chart, BORDER)).toBe(47);

    h.simulator.setFaults({ missingMtuDays: [] });
    await h.runDay(LOSES_AN_MTU);
    const current = await apiValues(null);
    const asOf = await apiValues(future);
    expect([asOf.length, current.length]).toEqual([48, 48]);
    await expect
      .poll(async () => [valuesOf(await drawn(), futureLabel), valuesOf(await drawn(), BORDER)], {
        timeout: 15_000,
        interval: 100,
      })
      .toEqual([48, 48]);
    chart = await drawn();
    // The MTU's return is a new version of the overlaid day.
    expect(chart.labels).toEqual([
      futureLabel,
      BORDER,
      expect.stringMatching(new RegExp(`^${BORDER} ${LOSES_AN_MTU} version 1 `)),
      expect.stringMatching(new RegExp(`^${BORDER} ${LOSES_AN_MTU} version 2 `)),
    ]);
  });
});
