// The status page's chart for traders, in a real Chromium (playwright-core), over days written through the real
// write path (each write raises its live-feed event): several borders at once, more than the palette holds, no two
// lines drawn alike, each border keeping its colour; a remove button a keyboard reaches; the time axis on the
// market's clock, on a 24-, 25- and 23-hour day; a day's two versions and their difference per MTU; the CSV
// download of exactly what is drawn, which is the API's CSV for the same request; live redraws for every day of the
// range shown; the calendar's first view (the stored days and tomorrow) and a never-run day's link into the Web
// UI's prefilled start page. Screenshots of each state go to test-artifacts/browser/ (docs/operations.md "The
// status page" shows them: `npm run docs:screenshots` copies them to docs/images/).
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDay } from '../../db/writeDay';
import { addDays, dayStartMs, marketTomorrow } from '../../domain/calendar';
import { PALETTE } from '../../page/client/borderColours';
import { MAX_BORDERS } from '../../page/client/chartRequest';
import { createTestKey, getWith, startTestApi, type TestApi } from '../helpers/api';
import { ARTIFACTS_DIR, artifactPath, docsShot, launchChromium } from '../helpers/browser';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, validatedDay } from '../integration/storageFixtures';

/** ALBE_AT first: the catalogue's first border, which the page draws on load (as in docs/tutorial.md). */
const BORDERS = ['ALBE_AT', 'AT_BE', 'BE_AT', 'DE_FR', 'FR_DE', 'AT_CZ', 'CZ_AT', 'DE_NL', 'NL_DE', 'FR_BE'];
const FROM = '2024-10-26';
const LONG_DAY = '2024-10-27'; // 25 hours
const REVISED = '2024-10-28';
const NEVER_RUN = '2024-10-29';
const SHORT_DAY = '2025-03-30'; // 23 hours
const FIRST_WRITE = new Date('2024-10-25T08:00:00.000Z');
const REVISION = new Date('2024-10-27T09:30:00.000Z');
const UI_URL = 'http://127.0.0.1:8233';
const VALUES = '/v1/datasets/maxExchanges/values';
const DIFFERENCE = '/v1/datasets/maxExchanges/difference';

interface Drawn {
  labels: string[];
  colours: string[];
  data: (number | null)[][];
}

let db: TestDatabase;
let api: TestApi;
let key: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The calendar's range and the chart's borders as the page first showed them. */
let firstView: { range: string | undefined; borders: string[] };

async function write(day: string, at: Date, value: (border: string, hour: number) => number) {
  const validated = validatedDay(day, BORDERS, value);
  await writeDay(db.pool, {
    dataset: 'maxExchanges',
    day,
    status: 'complete',
    validated,
    expectedMtus: validated.expectedMtus,
    rawResponseId: null,
    workflowId: `maxExchanges/day/${day}`,
    buildId: 'build-1',
    observedAt: at,
  });
}

/** The revision: AT_BE and DE_FR 40 MW more in the first six hours of the day. */
const revised = (border: string, hour: number) =>
  baseValue(border, hour) + ((border === 'AT_BE' || border === 'DE_FR') && hour < 6 ? 40 : 0);

const drawn = async () =>
  (await page.evaluate(
    'window.jaoPage.chart.drawn && { labels: window.jaoPage.chart.drawn.labels, colours: window.jaoPage.chart.drawn.colours, data: window.jaoPage.chart.drawn.data }',
  )) as Drawn;
/**
 * Waits until the expression holds in the page (waitForFunction would evaluate it, which the page's CSP refuses); a
 * wait that ends unmet says what the chart's status line says.
 */
const until = async (expression: string) => {
  try {
    await expect
      .poll(() => page.evaluate(`Boolean(${expression})`), { timeout: 15_000, interval: 100 })
      .toBe(true);
  } catch (error) {
    const said = await page.locator('.chart-section .status-line').innerText();
    const drawn = await page.evaluate('JSON.stringify(window.jaoPage.chart.drawn?.labels)');
    throw new Error(`${expression} did not hold; the chart says "${said}", drawn: ${drawn}`, {
      cause: error,
    });
  }
};
const ready = () => page.locator('.chart-section[data-state="ready"]').waitFor();
const apiGet = async (path: string, query: URLSearchParams) => {
  const response = await getWith(key, `${api.url}${path}?${query}`);
  expect(response.status).toBe(200);
  return response;
};
const downloadedCsv = async () => {
  const download = page.waitForEvent('download');
  // Focused first: Chromium may scroll the page when the click's press moves the focus there (from the as-of box),
  // and the release then lands beside the button.
  await page.focus('#chart-csv');
  await page.click('#chart-csv');
  const file = await download;
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
};
const shot = (name: string) => page.screenshot({ path: artifactPath(name), fullPage: true });
const chartShot = (name: string) => docsShot(page.locator('.chart-section'), name);
const addBorder = async (border: string) => {
  await page.fill('#chart-border', border);
  await page.click('#chart-add-border');
};
const drawBorders = (borders: string[], from: string, to: string) =>
  page.evaluate(
    `window.jaoPage.chart.drawRequest(${JSON.stringify({ borders, from, to, asOf: null, revisionsDay: null, difference: null })})`,
  );

interface SeriesStroke {
  label: string;
  colour: string;
  dash: number[];
}

/** Every series the plot shows, as uPlot strokes it: its colour and its dash. */
const visibleStrokes = async () =>
  (await page.evaluate(`(() => {
    const plot = window.jaoPage.chart.plot;
    return plot.series.slice(1).flatMap((series, index) => series.show === false ? [] : [{
      label: series.label,
      colour: String(typeof series.stroke === 'function' ? series.stroke(plot, index + 1) : series.stroke).toLowerCase(),
      dash: series.dash ?? [],
    }]);
  })()`)) as SeriesStroke[];

/** No two of the strokes alike (colour and dash together). */
function expectEveryStrokeDifferent(strokes: SeriesStroke[]): void {
  const seen = new Map<string, string>();
  for (const stroke of strokes) {
    const key = `${stroke.colour} [${stroke.dash.join(',')}]`;
    expect(seen.get(key), `${stroke.label} is drawn like ${seen.get(key)} (${key})`).toBeUndefined();
    seen.set(key, stroke.label);
  }
}

/** WCAG 2 contrast ratio of two CSS colours (`rgb(…)`/`rgba(…)`, opaque). */
function contrastRatio(foreground: string, background: string): number {
  const luminance = (css: string) => {
    const [r, g, b] = css
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map((part) => {
        const channel = Number(part) / 255;
        return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}

beforeAll(async () => {
  db = await createTestDatabase();
  for (const day of [FROM, LONG_DAY, REVISED, SHORT_DAY]) await write(day, FIRST_WRITE, baseValue);
  await write(REVISED, REVISION, revised);
  key = await createTestKey(db.pool);
  api = await startTestApi(db.url, { temporalUiUrl: UI_URL });
  browser = await launchChromium();
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
  // The Web UI is not running here: its pages answer with their own address (test/browser/webUi.test.ts opens the
  // real one).
  await context.route(`${UI_URL}/**`, (route) =>
    route.fulfill({ contentType: 'text/plain', body: `Web UI stand-in: ${route.request().url()}` }),
  );
  page = await context.newPage();
  await page.goto(`${api.url}/#key=${key}`);
  await page.locator('.calendar[data-state="ready"]').waitFor();
  await ready();
  firstView = {
    range: (await page.locator('.calendar').getAttribute('data-range')) ?? undefined,
    borders: (await page.evaluate('window.jaoPage.chart.drawn.request.borders')) as string[],
  };
  await page.evaluate(`window.jaoPage.calendar.show('2024-10-01', '2024-10-31')`);
  await page.locator('.calendar[data-state="ready"][data-range="2024-10-01..2024-10-31"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await db?.release();
});

describe("the chart's views for traders", () => {
  it("draws the tutorial's borders and more than the palette holds, no two lines alike, each border keeping its colour", async () => {
    // The page draws the catalogue's first border on load: ALBE_AT, as docs/tutorial.md finds it.
    expect(firstView.borders).toEqual(['ALBE_AT']);
    await page.fill('#chart-from', FROM);
    await page.fill('#chart-to', REVISED);
    // The tutorial then adds DE_FR: once drawn in the same colour as ALBE_AT.
    await addBorder('DE_FR');
    await until(`window.jaoPage.chart.drawn?.labels.join() === 'ALBE_AT,DE_FR'`);
    await ready();
    let strokes = await visibleStrokes();
    expect(strokes.map((stroke) => stroke.label)).toEqual(['ALBE_AT', 'DE_FR']);
    expect(strokes[0]!.colour).not.toBe(strokes[1]!.colour);
    const [albe, deFr] = strokes;

    // As many borders as the chart holds: more than the palette's colours.
    const more = BORDERS.filter((border) => border !== 'ALBE_AT' && border !== 'DE_FR').slice(
      0,
      MAX_BORDERS - 2,
    );
    for (const border of more) await addBorder(border);
    await until(`window.jaoPage.chart.drawn?.labels.length === ${MAX_BORDERS}`);
    await ready();
    strokes = await visibleStrokes();
    expect(strokes).toHaveLength(MAX_BORDERS);
    expect(MAX_BORDERS).toBeGreaterThan(PALETTE.length);
    expect(new Set(strokes.map((stroke) => stroke.colour)).size).toBe(PALETTE.length);
    expectEveryStrokeDifferent(strokes);
    expect(strokes.slice(0, 2)).toEqual([albe, deFr]);
    // Each chip shows its border's line as drawn.
    const chips = await page
      .locator('#chart-chosen li')
      .evaluateAll((items) =>
        items.map((item) => [
          item.getAttribute('data-border'),
          item.querySelector('line')?.getAttribute('stroke'),
          item.querySelector('line')?.getAttribute('stroke-dasharray'),
        ]),
      );
    expect(chips).toEqual(
      strokes.map((stroke) => [
        stroke.label,
        stroke.colour,
        stroke.dash.length > 0 ? stroke.dash.join(' ') : 'none',
      ]),
    );
    await shot('chart-many-borders.png');

    // With each border's values as known at an instant, then each border's versions of a day: still none alike.
    await page.fill('#chart-as-of', '2024-10-27 10:29');
    await page.dispatchEvent('#chart-as-of', 'change');
    await until(`window.jaoPage.chart.drawn?.labels.length === ${2 * MAX_BORDERS}`);
    await ready();
    strokes = await visibleStrokes();
    expect(strokes).toHaveLength(2 * MAX_BORDERS);
    expectEveryStrokeDifferent(strokes);
    await page.fill('#chart-day', REVISED);
    await page.dispatchEvent('#chart-day', 'change');
    await until(`window.jaoPage.chart.drawn?.labels.some((label) => label.includes(' version 2 '))`);
    await ready();
    strokes = await visibleStrokes();
    // A version per border, a second for the two borders revised.
    expect(strokes).toHaveLength(2 * MAX_BORDERS + MAX_BORDERS + 2);
    expectEveryStrokeDifferent(strokes);
    expect(strokes.find((stroke) => stroke.label === 'ALBE_AT')).toEqual(albe);
    await shot('chart-many-borders-as-of-versions.png');
    await page.click('button[aria-label="Clear the as-of instant"]');
    await page.click('button[aria-label="Clear the revisions day"]');
    await until(`window.jaoPage.chart.drawn?.labels.length === ${MAX_BORDERS}`);
  });

  it('shows a remove button on each chip, in AA contrast, that Tab reaches and Enter or Space presses', async () => {
    await drawBorders(['ALBE_AT', 'DE_FR', 'AT_BE'], FROM, REVISED);
    await ready();
    const remove = page.getByRole('button', { name: 'Remove DE_FR' });
    expect(await remove.isVisible()).toBe(true);
    expect(await remove.innerText()).toBe('×');
    // Its text colour, and its own background or else the first one behind it that is not transparent.
    const colours = (await page.evaluate(`(() => {
      const button = document.querySelector('#chart-chosen li[data-border="DE_FR"] button.remove');
      let background = 'rgba(0, 0, 0, 0)';
      for (let element = button; element; element = element.parentElement) {
        background = getComputedStyle(element).backgroundColor;
        if (!/^rgba\\(.*,\\s*0\\)$|^transparent$/.test(background)) break;
      }
      return { text: getComputedStyle(button).color, background };
    })()`)) as { text: string; background: string };
    expect(contrastRatio(colours.text, colours.background), JSON.stringify(colours)).toBeGreaterThanOrEqual(
      4.5,
    );

    // From the search box, Tab reaches the button; Enter removes DE_FR, and focus stays in the chips.
    const focused = () =>
      page.evaluate(`document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id`);
    await page.focus('#chart-border');
    for (let presses = 0; presses < 12 && (await focused()) !== 'Remove DE_FR'; presses++)
      await page.keyboard.press('Tab');
    expect(await focused()).toBe('Remove DE_FR');
    await page.keyboard.press('Enter');
    await until(`window.jaoPage.chart.drawn?.labels.join() === 'ALBE_AT,AT_BE'`);
    expect(await focused()).toBe('Remove AT_BE');
    await page.keyboard.press('Space');
    await until(`window.jaoPage.chart.drawn?.labels.join() === 'ALBE_AT'`);
    expect(await focused()).toBe('Remove ALBE_AT');
  });

  it("ticks the time axis at the market's midnight and whole hours, on a 24-, a 25- and a 23-hour day", async () => {
    const ticksOf = async (from: string, to: string) => {
      await drawBorders(['AT_BE'], from, to);
      await until(
        `window.jaoPage.chart.drawn?.request.from === '${from}' && window.jaoPage.chart.drawn.request.to === '${to}'`,
      );
      await ready();
      return (await page.evaluate('window.jaoPage.chart.axisTicks')) as {
        seconds: number[];
        labels: string[];
      };
    };
    const midnight = (day: string) => dayStartMs(day) / 1000;
    const WHOLE_HOUR = /^\d{2}:00 (CET|CEST)(\n\d{4}-\d{2}-\d{2})?$/;
    for (const [day, zone] of [
      [FROM, 'CEST'],
      [LONG_DAY, 'CEST'],
      [SHORT_DAY, 'CET'],
    ] as const) {
      const ticks = await ticksOf(day, day);
      expect(ticks.seconds[0], day).toBe(midnight(day));
      expect(ticks.labels[0], day).toBe(`00:00 ${zone}\n${day}`);
      expect(ticks.labels.length, day).toBeGreaterThan(3);
      for (const label of ticks.labels) expect(label, day).toMatch(WHOLE_HOUR);
      // The last tick may be the next midnight, the end of the day's last MTU: its time is still the day's zone.
      const lastTime = ticks.labels.at(-1)!.split('\n')[0];
      if (day === LONG_DAY) expect(lastTime).toMatch(/ CET$/);
      if (day === SHORT_DAY) {
        expect(ticks.labels.some((label) => label.startsWith('02:'))).toBe(false);
        expect(lastTime).toMatch(/ CEST$/);
      }
    }
    // Over three days, across the clock change: each day's midnight is a tick.
    const ticks = await ticksOf(FROM, REVISED);
    for (const [day, zone] of [
      [LONG_DAY, 'CEST'],
      [REVISED, 'CET'],
    ] as const)
      expect(ticks.labels[ticks.seconds.indexOf(midnight(day))]).toBe(`00:00 ${zone}\n${day}`);
    for (const label of ticks.labels) expect(label).toMatch(WHOLE_HOUR);
    await shot('chart-market-time-axis.png');
  });

  it('opens the calendar on the stored days and tomorrow: a day before the first stored one is no finding', async () => {
    const tomorrow = marketTomorrow(new Date());
    expect(firstView.range).toBe(`${FROM}..${tomorrow}`);
    // The October shown: before the first stored day never fetched, the gap after it missing.
    const statuses = Object.fromEntries(
      (await page.evaluate(
        `[...document.querySelectorAll('.calendar a.cell[data-day]')].map((cell) => [cell.dataset.day, cell.dataset.status])`,
      )) as [string, string][],
    );
    expect(statuses['2024-10-01']).toBe('not_fetched');
    expect(statuses['2024-10-25']).toBe('not_fetched');
    expect(statuses[FROM]).toBe('complete');
    expect(statuses[NEVER_RUN]).toBe('missing');
    const legendCount = (status: string) =>
      page.locator(`.legend li[data-status="${status}"] .count`).innerText().then(Number);
    expect([await legendCount('missing'), await legendCount('not_fetched')]).toEqual([3, 25]);

    // A dataset nothing is stored of yet: the last 35 days and tomorrow, none of them missing.
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
    try {
      const other = await fresh.newPage();
      const said: string[] = [];
      other.on('console', (message) => said.push(`console ${message.type()}: ${message.text()}`));
      other.on('pageerror', (error) => said.push(`page error: ${error.message}`));
      other.on('requestfailed', (request) =>
        said.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
      );
      other.on('response', (response) => said.push(`${response.status()} ${response.url()}`));
      const nordicKey = await createTestKey(db.pool, ['maxExchanges', 'nordicMaxExchanges']);
      await other.goto(`${api.url}/?dataset=nordicMaxExchanges#key=${nordicKey}`);
      const calendar = other.locator('.calendar[data-state="ready"]');
      await calendar.waitFor({ timeout: 20_000 }).catch(async (error: unknown) => {
        const state = await other.evaluate(
          `JSON.stringify({ state: document.querySelector('.calendar')?.dataset.state, text: document.getElementById('app')?.innerText.slice(0, 600) })`,
        );
        const apiSaid = api.logs.filter((line) => /"level":[45]0/.test(line)).slice(-10);
        throw new Error(
          `the calendar was not ready: ${state}\n${said.join('\n')}\nthe API warned: ${apiSaid.join('')}`,
          { cause: error },
        );
      });
      expect(await calendar.getAttribute('data-range')).toBe(`${addDays(tomorrow, -35)}..${tomorrow}`);
      expect(await other.locator('.calendar a.cell[data-status="missing"]').count()).toBe(0);
      expect(await other.locator('.calendar a.cell[data-status="not_fetched"]').count()).toBe(36);
    } finally {
      await fresh.close();
    }
  });

  it('draws several borders at once, each in its own colour whatever else is drawn, and downloads exactly them', async () => {
    await page.click('#chart-clear-borders');
    await page.fill('#chart-from', FROM);
    await page.fill('#chart-to', REVISED);
    for (const border of ['DE_FR', 'AT_BE', 'FR_DE']) await addBorder(border);
    await until(`window.jaoPage.chart.drawn?.labels.join() === 'DE_FR,AT_BE,FR_DE'`);
    await ready();
    let chart = await drawn();
    const colourOf = Object.fromEntries(chart.labels.map((label, i) => [label, chart.colours[i]]));
    expect(new Set(chart.colours).size).toBe(3);
    // Each line is the API's values of its border.
    const query = new URLSearchParams({ from: FROM, to: REVISED });
    for (const border of ['DE_FR', 'AT_BE', 'FR_DE']) query.append('border', border);
    const rows = (await (await apiGet(VALUES, query)).json()) as {
      mtu: string;
      border: string;
      value_mw: number;
    }[];
    expect(rows).toHaveLength(3 * (24 + 25 + 24));
    chart.labels.forEach((border, index) => {
      const mine = rows.filter((row) => row.border === border);
      expect(chart.data[index + 1]!.filter((value) => value !== null)).toEqual(
        mine.map((row) => row.value_mw),
      );
    });
    // Every MTU of the range (each stored here), then the end of the last one.
    expect(chart.data[0]).toEqual([
      ...new Set(rows.map((row) => Date.parse(row.mtu) / 1000)),
      dayStartMs(addDays(REVISED, 1)) / 1000,
    ]);
    await shot('chart-borders.png');
    await chartShot('chart-borders.png');

    // The CSV is the API's CSV of the same borders and range, byte for byte.
    const csv = await downloadedCsv();
    expect(csv.name).toBe(`maxExchanges_DE_FR+AT_BE+FR_DE_${FROM}_${REVISED}.csv`);
    expect(csv.text).toBe(
      await (await apiGet(VALUES, new URLSearchParams([...query, ['format', 'csv']]))).text(),
    );

    // A border removed, another added: the others keep their colours; the values as known at an instant are drawn
    // in their border's colour too (dashed).
    await page.click('#chart-chosen li[data-border="AT_BE"] button.remove');
    await addBorder('BE_AT');
    await until(`window.jaoPage.chart.drawn?.labels.join() === 'DE_FR,FR_DE,BE_AT'`);
    const asOf = new Date(REVISION.getTime() - 60_000).toISOString();
    // Typed in market time, 24-hour, as the page writes it back with its zone.
    await page.fill('#chart-as-of', '2024-10-27 10:29');
    await page.dispatchEvent('#chart-as-of', 'change');
    await until(`window.jaoPage.chart.drawn?.labels.length === 6`);
    await ready();
    expect(await page.inputValue('#chart-as-of')).toBe('2024-10-27 10:29:00 CET');
    expect(await page.locator('#chart-as-of-note').innerText()).toBe(
      'market time, Europe/Amsterdam (CET or CEST)',
    );
    chart = await drawn();
    const asOfText = 'as of 2024-10-27 10:29:00 CET';
    expect(chart.labels).toEqual([
      `DE_FR ${asOfText}`,
      'DE_FR',
      `FR_DE ${asOfText}`,
      'FR_DE',
      `BE_AT ${asOfText}`,
      'BE_AT',
    ]);
    expect(chart.colours.slice(0, 4)).toEqual([
      colourOf.DE_FR,
      colourOf.DE_FR,
      colourOf.FR_DE,
      colourOf.FR_DE,
    ]);
    expect(chart.colours[4]).toBe(chart.colours[5]);
    await shot('chart-as-of-borders.png');
    await chartShot('chart-as-of.png');
    const asOfCsv = await downloadedCsv();
    const asOfQuery = new URLSearchParams({ from: FROM, to: REVISED, as_of: asOf, format: 'csv' });
    for (const border of ['DE_FR', 'FR_DE', 'BE_AT']) asOfQuery.append('border', border);
    expect(asOfCsv.text).toBe(await (await apiGet(VALUES, asOfQuery)).text());
    await page.click('button[aria-label="Clear the as-of instant"]');
    await until(`window.jaoPage.chart.drawn?.labels.length === 3`);
  });

  it('draws the difference between two versions of a day per MTU, in market time, and downloads it', async () => {
    await page.click('#chart-clear-borders');
    await addBorder('AT_BE');
    await addBorder('DE_FR');
    await page.check('#chart-difference');
    await page.fill('#chart-diff-day', REVISED);
    await page.dispatchEvent('#chart-diff-day', 'change');
    await until(`window.jaoPage.chart.drawn?.request.difference`);
    await ready();
    // The day's versions, named in market time; the newest is the current values.
    const options = await page.locator('#chart-diff-compare option').allInnerTexts();
    expect(options).toEqual([
      'version 1 (from 2024-10-25 10:00 CEST)',
      'version 2 (from 2024-10-27 10:30 CET), current',
    ]);
    const chart = await drawn();
    expect(chart.labels).toEqual([
      'AT_BE: current − 2024-10-25 10:00 CEST',
      'DE_FR: current − 2024-10-25 10:00 CEST',
    ]);
    const query = new URLSearchParams({ from: REVISED, to: REVISED, base_as_of: FIRST_WRITE.toISOString() });
    query.append('border', 'AT_BE');
    query.append('border', 'DE_FR');
    const rows = (await (await apiGet(DIFFERENCE, query)).json()) as {
      border: string;
      difference_mw: number;
    }[];
    for (const [index, border] of ['AT_BE', 'DE_FR'].entries()) {
      // The day's MTUs; nothing at the end of the last one.
      const line = chart.data[index + 1]!.slice(0, -1);
      expect(chart.data[index + 1]!.at(-1)).toBeNull();
      expect(line).toEqual(rows.filter((row) => row.border === border).map((row) => row.difference_mw));
      expect(line).toEqual([...Array(6).fill(40), ...Array(18).fill(0)]);
    }
    expect(await page.locator('.chart-section .status-line').innerText()).toContain('12 of 48 values differ');
    await shot('chart-difference.png');
    await chartShot('chart-difference.png');
    const csv = await downloadedCsv();
    expect(csv.name).toBe(
      `maxExchanges_AT_BE+DE_FR_difference_20241025T080000Z_current_${REVISED}_${REVISED}.csv`,
    );
    expect(csv.text).toBe(
      await (await apiGet(DIFFERENCE, new URLSearchParams([...query, ['format', 'csv']]))).text(),
    );
  });

  it('follows the live feed in the difference view: a new version of the day is offered and drawn', async () => {
    const loadedAt = await page.evaluate('window.jaoPage.loadedAt');
    await write(REVISED, new Date(), (border, hour) => revised(border, hour) + (border === 'AT_BE' ? 5 : 0));
    await until(`document.querySelectorAll('#chart-diff-compare option').length === 3`);
    await until(`window.jaoPage.chart.drawn.data[1][10] === 5`);
    const chart = await drawn();
    expect(chart.data[1]).toEqual([...Array(6).fill(45), ...Array(18).fill(5), null]);
    expect(chart.data[2]).toEqual([...Array(6).fill(40), ...Array(18).fill(0), null]);
    expect(await page.evaluate('window.jaoPage.loadedAt')).toBe(loadedAt);
    await page.uncheck('#chart-difference');
  });

  it('redraws every border when any day of the range shown changes, not only one day', async () => {
    await page.evaluate(
      `window.jaoPage.chart.drawRequest(${JSON.stringify({ borders: ['FR_DE', 'BE_AT'], from: FROM, to: REVISED, asOf: null, revisionsDay: null, difference: null })})`,
    );
    await ready();
    const before = await drawn();
    // The first day of the range, far from the day the chart was drawn around.
    await write(FROM, new Date(), (border, hour) => baseValue(border, hour) + 7);
    await until(`window.jaoPage.chart.drawn.data[1][0] === ${before.data[1]![0]! + 7}`);
    const after = await drawn();
    for (const line of [1, 2]) {
      expect(after.data[line]!.slice(0, 24)).toEqual(before.data[line]!.slice(0, 24).map((v) => v! + 7));
      expect(after.data[line]!.slice(24)).toEqual(before.data[line]!.slice(24));
    }
  });

  it('draws the 25-hour day in market time, its repeated hour marked CEST then CET', async () => {
    await page.evaluate(
      `window.jaoPage.chart.drawRequest(${JSON.stringify({ borders: ['AT_BE', 'DE_FR'], from: LONG_DAY, to: LONG_DAY, asOf: null, revisionsDay: null, difference: null })})`,
    );
    await ready();
    const chart = await drawn();
    // 25 MTUs, then the end of the last.
    expect(chart.data[0]).toHaveLength(26);
    // The legend's time at the cursor, on the third and fourth MTU of the day: the hour that comes twice.
    const legendTimeAt = async (index: number) => {
      await page.evaluate(
        `(() => { const plot = window.jaoPage.chart.plot; plot.setCursor({ left: plot.valToPos(plot.data[0][${index}], 'x') + 1, top: 10 }); })()`,
      );
      return page.locator('.chart-section .u-legend .u-series').first().locator('.u-value').innerText();
    };
    expect([await legendTimeAt(2), await legendTimeAt(3)]).toEqual([
      `${LONG_DAY} 02:00 CEST`,
      `${LONG_DAY} 02:00 CET`,
    ]);
    await shot('chart-25-hour-day.png');
    await chartShot('chart-25-hour-day.png');
  });

  it("links a never-run day to the Web UI's start page, prefilled with its workflow type, id and task queue", async () => {
    const cell = page.locator(`.calendar a[data-day="${NEVER_RUN}"]`);
    expect(await cell.getAttribute('data-status')).toBe('missing');
    const expected =
      `${UI_URL}/namespaces/default/workflows/start-workflow?workflowId=maxExchanges%2Fday%2F${NEVER_RUN}` +
      '&taskQueue=jao-scraper&workflowType=deliveryDayWorkflow';
    expect(await cell.getAttribute('href')).toBe(expected);
    // A day that ran keeps its link to its workflow.
    expect(await page.locator(`.calendar a[data-day="${REVISED}"]`).getAttribute('href')).toBe(
      `${UI_URL}/namespaces/default/workflows/${encodeURIComponent(`maxExchanges/day/${REVISED}`)}`,
    );
    const popup = page.waitForEvent('popup');
    await cell.click();
    const opened = await popup;
    await opened.waitForLoadState();
    expect(opened.url()).toBe(expected);
    await opened.close();
    // Beside the link, the input to paste: the Web UI reads none from the address.
    expect(await page.locator('.day-detail a.workflow-link').innerText()).toBe(
      `Start maxExchanges/day/${NEVER_RUN} in the Temporal Web UI`,
    );
    expect(JSON.parse(await page.locator('.day-detail code.input').innerText())).toEqual({
      dataset: 'maxExchanges',
      day: NEVER_RUN,
      trigger: 'manual',
    });
    await shot('day-never-run.png');
    await docsShot(page.locator('.calendar-section'), 'day-never-run.png');
  });
});
