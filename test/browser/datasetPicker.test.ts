// The status page's dataset picker in a real Chromium (playwright-core): a Nordic day (96 quarter-hours) and a Core
// day fetched from the simulator and stored; the page opens on Core maxExchanges, Nordic is picked, and the address,
// the calendar, the chart (96 steps of 15 minutes, labelled in market time) and the operator's controls follow it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../db/apiKeys';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { startTestApi, type TestApi } from '../helpers/api';
import { launchChromium } from '../helpers/browser';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { storeSimulatedDay } from '../helpers/simulatedDays';

const NORDIC = 'nordicMaxExchanges';
/** A summer-time Saturday: 96 quarter-hours, all CEST. */
const DAY = '2025-10-25';

describe('the status page shows the dataset picked', () => {
  let db: TestDatabase;
  let simulator: SimulatorHandle;
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let key: string;

  const until = (expression: string) =>
    expect.poll(() => page.evaluate(`Boolean(${expression})`), { timeout: 15_000, interval: 100 }).toBe(true);

  beforeAll(async () => {
    db = await createTestDatabase();
    simulator = await startSimulator();
    const at = new Date();
    await Promise.all(
      ([NORDIC, 'maxExchanges'] as const).map((dataset) =>
        storeSimulatedDay(db.pool, simulator, dataset, DAY, at),
      ),
    );
    key = (
      await createApiKey(db.pool, { name: 'picker', datasets: ['maxExchanges', NORDIC], operator: true })
    ).token;
    api = await startTestApi(db.url);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, timezoneId: 'UTC' });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await simulator?.close();
    await db?.release();
  });

  it('picks Nordic: the address carries it, its day is complete, its chart has 96 steps in market time', async () => {
    await page.goto(`${api.url}/#key=${key}`);
    await page.locator('.chart-section[data-state="ready"]').waitFor();
    expect(await page.evaluate('window.jaoPage.dataset')).toBe('maxExchanges');
    expect(await page.evaluate('window.jaoPage.operator !== null')).toBe(true);
    const picker = page.locator('#dataset-picker');
    expect(await picker.isVisible()).toBe(true);
    expect(
      await picker.locator('option').evaluateAll((options) => options.map((o) => o.getAttribute('value'))),
    ).toEqual(['maxExchanges', NORDIC]);

    await Promise.all([page.waitForURL(`**/?dataset=${NORDIC}`), picker.selectOption(NORDIC)]);
    await page.locator('.chart-section[data-state="ready"]').waitFor();
    expect(await page.evaluate('window.jaoPage.dataset')).toBe(NORDIC);
    expect(new URL(page.url()).searchParams.get('dataset')).toBe(NORDIC);
    expect(await picker.inputValue()).toBe(NORDIC);
    // The key is an operator's of Nordic too: the controls act on the dataset shown.
    expect(await page.evaluate('window.jaoPage.operator !== null')).toBe(true);
    expect(await page.locator('#operator-heading').innerText()).toContain(NORDIC);

    await page.evaluate(`window.jaoPage.calendar.show('${DAY}', '${DAY}')`);
    await until(`document.querySelector('.calendar[data-state="ready"]')`);
    const cell = page.locator(`.calendar a[data-day="${DAY}"]`);
    expect(await cell.getAttribute('data-status')).toBe('complete');
    expect(await page.evaluate(`window.jaoPage.calendar.grid.cellOf('${DAY}').stored.expected_mtus`)).toBe(
      96,
    );

    const border = (await page.evaluate('window.jaoPage.chart.drawn.request.borders[0]')) as string;
    const request = {
      borders: [border],
      from: DAY,
      to: DAY,
      asOf: null,
      revisionsDay: null,
      difference: null,
    };
    await page.evaluate(`window.jaoPage.chart.drawRequest(${JSON.stringify(request)})`);
    await page.locator('.chart-section[data-state="ready"]').waitFor();
    // The day's 96 quarter-hours, then the end of the last.
    const xs = ((await page.evaluate('window.jaoPage.chart.drawn.data[0]')) as number[]).slice(0, -1);
    expect(xs).toHaveLength(96);
    expect(new Set(xs.slice(1).map((x, index) => x - xs[index]!))).toEqual(new Set([900]));
    const labels = (await page.evaluate(
      `(() => { const plot = window.jaoPage.chart.plot; const x = plot.data[0];
         return [plot.series[0].value(plot, x[0]), plot.series[0].value(plot, x[1]), plot.series[0].value(plot, x[95]),
                 ...plot.axes[0]._values]; })()`,
    )) as string[];
    expect(labels.slice(0, 3)).toEqual([`${DAY} 00:00 CEST`, `${DAY} 00:15 CEST`, `${DAY} 23:45 CEST`]);
    expect(labels.slice(3).length).toBeGreaterThan(1);
    for (const label of labels.slice(3)) expect(label).toMatch(/^\d{2}:\d{2} CEST(\n\d{4}-\d{2}-\d{2})?$/);

    // A reload keeps the dataset the address names.
    await page.reload();
    await page.locator('.chart-section[data-state="ready"]').waitFor();
    expect(await page.evaluate('window.jaoPage.dataset')).toBe(NORDIC);
  });
});
