// The status page's charts draw exactly what is stored, checked in a real Chromium (playwright-core) from each
// chart's own drawn data (uPlot's `u.data`) and geometry (its scales, valToPos, the canvas's pixels): a gap
// wherever an MTU has no stored value (eight days never stored, single hours), a value with no neighbour drawn (on
// the border chart and on a CNEC's RAM over time, where the caption's lowest value is such an hour), the last MTU
// drawn, the axis's last label and the search box's placeholder whole. One date form on the page in every browser
// locale (en-US here): YYYY-MM-DD. The CNEC table opens on the network elements, the equality and external
// constraints grouped after them and explained. A key cut short in the page's address is named as such.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDay } from '../../db/writeDay';
import { addDays, dayStartMs } from '../../domain/calendar';
import { createTestKey, startTestApi, type TestApi } from '../helpers/api';
import { artifactPath, launchChromium } from '../helpers/browser';
import { type ConstraintRow, constraintDayRows, writeConstraintDay } from '../helpers/constraintDays';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { untilTrue } from '../helpers/until';
import { baseValue, validatedDay } from '../integration/storageFixtures';

const BORDERS = ['AT_BE', 'DE_FR'];
/** Stored whole; then eight days never stored (2026-10-25, 25 hours, among them); then GAPPY; then LAST whole. */
const FIRST = '2026-10-17';
const GAPPY = '2026-10-26';
const LAST = '2026-10-27';
/** GAPPY's hours not stored (a single missing MTU, and the two hours around the lone LONE_HOUR). */
const MISSING_HOURS = new Set([5, 11, 13]);
const LONE_HOUR = 12;
const WRITTEN_AT = new Date('2026-10-28T08:00:00.000Z');

const DOMAIN = 'coreFinalComputation';
const DOMAIN_DAYS = ['2025-01-01', '2025-01-02', '2025-01-03'];
const LONE_DAY = '2025-01-02';
const LONE_RAM_HOUR = 5;
const LONE_RAM = 553;
/** The fixture's constraint stored at one hour only. */
const LONE_CNE = 'Lixhe - Gramme';

let db: TestDatabase;
let api: TestApi;
let browser: Browser;
let key: string;
let domainKey: string;

const seconds = (day: string, hour = 0) => dayStartMs(day) / 1000 + hour * 3600;

async function writeValues(day: string, value: (border: string, hour: number) => number | undefined) {
  const validated = validatedDay(day, BORDERS, value);
  await writeDay(db.pool, {
    dataset: 'maxExchanges',
    day,
    status: validated.receivedMtus === validated.expectedMtus ? 'complete' : 'partial',
    validated,
    expectedMtus: validated.expectedMtus,
    rawResponseId: null,
    workflowId: `maxExchanges/day/${day}`,
    buildId: 'build-1',
    observedAt: WRITTEN_AT,
  });
}

/** The fixture's hour every hour, the lone constraint only at LONE_RAM_HOUR of LONE_DAY (the lowest RAM there). */
function domainRows(day: string): ConstraintRow[] {
  const rows = constraintDayRows(day, (row, hour) => {
    if (!String(row.cneName).startsWith(LONE_CNE)) return row;
    return day === LONE_DAY && hour === LONE_RAM_HOUR ? { ...row, ram: LONE_RAM } : null;
  });
  // Two equality constraints each hour (RAM 0 by design), as JAO publishes them: no element, direction NA.
  const external = rows.filter((row) => String(row.cneName).startsWith('External Constraint'));
  return [
    ...rows,
    ...external.map((row, index) => ({
      ...row,
      id: 900_000 + Number(row.id),
      cneName: `Equality Constraint BE_AL-DE_AL 0${(index % 2) + 1}`,
      tso: null,
      ram: 0,
      fmax: 0,
    })),
  ];
}

beforeAll(async () => {
  db = await createTestDatabase();
  await writeValues(FIRST, baseValue);
  await writeValues(GAPPY, (border, hour) => (MISSING_HOURS.has(hour) ? undefined : baseValue(border, hour)));
  await writeValues(LAST, baseValue);
  for (const day of DOMAIN_DAYS)
    await writeConstraintDay(db.pool, DOMAIN, day, domainRows(day), '2025-01-01T08:00:00Z');
  key = await createTestKey(db.pool);
  domainKey = await createTestKey(db.pool, [DOMAIN]);
  api = await startTestApi(db.url);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await db?.release();
});

/** A page in a browser whose locale writes dates mm/dd/yyyy, opened with `address`'s fragment. */
async function openPage(fragment: string, query = ''): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'America/New_York',
    locale: 'en-US',
  });
  const page = await context.newPage();
  await page.goto(`${api.url}/${query}#${fragment}`);
  return { context, page };
}

const until = (page: Page, expression: string) =>
  untilTrue(expression, async () => Boolean(await page.evaluate(`Boolean(${expression})`)), {
    timeoutMs: 15_000,
  });

/**
 * The plot's geometry and pixels, read in the page: `plot` names the uPlot instance. For each probe (an x range in
 * epoch seconds and a y range in the y scale's values, or the whole height when null): whether some canvas pixel
 * there is of `colour` (the line's stroke, within anti-aliasing).
 */
async function strokeIn(
  page: Page,
  plot: string,
  colour: string,
  probes: { from: number; to: number; y: number | null }[],
): Promise<boolean[]> {
  return (await page.evaluate(`(() => {
    const u = ${plot};
    const [r, g, b] = ${JSON.stringify(colour)}.match(/[0-9a-f]{2}/gi).map((hex) => parseInt(hex, 16));
    return ${JSON.stringify(probes)}.map((probe) => {
      const left = Math.round(u.valToPos(probe.from, 'x', true));
      const right = Math.round(u.valToPos(probe.to, 'x', true));
      const top = probe.y === null ? u.bbox.top : Math.round(u.valToPos(probe.y, 'y', true)) - 3;
      const bottom = probe.y === null ? u.bbox.top + u.bbox.height : Math.round(u.valToPos(probe.y, 'y', true)) + 3;
      const width = Math.max(1, right - left);
      const pixels = u.ctx.getImageData(left, top, width, bottom - top).data;
      for (let i = 0; i < pixels.length; i += 4) {
        const near = Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 90;
        if (near && pixels[i + 3] > 128) return true;
      }
      return false;
    });
  })()`)) as boolean[];
}

describe('the border chart draws exactly what is stored', () => {
  let context: BrowserContext;
  let page: Page;
  let drawn: { data: (number | null)[][]; colours: string[] };
  const plot = 'window.jaoPage.chart.plot';

  beforeAll(async () => {
    ({ context, page } = await openPage(`key=${key}`));
    await page.locator('.chart-section[data-state="ready"]').waitFor();
    await page.evaluate(
      `window.jaoPage.chart.drawRequest(${JSON.stringify({ borders: ['AT_BE'], from: FIRST, to: LAST, asOf: null, revisionsDay: null, difference: null })})`,
    );
    await until(page, `window.jaoPage.chart.drawn?.request.from === '${FIRST}'`);
    await page.locator('.chart-section[data-state="ready"]').waitFor();
    drawn = (await page.evaluate(
      `({ data: ${plot}.data.map((column) => [...column]), colours: window.jaoPage.chart.drawn.colours })`,
    )) as typeof drawn;
    await page.locator('.chart-section').screenshot({ path: artifactPath('chart-gaps.png') });
  });

  afterAll(async () => {
    await context?.close();
  });

  it('has every expected MTU on its x, null where nothing is stored: eight whole days and single hours', () => {
    const [xs, line] = drawn.data as [number[], (number | null)[]];
    // Eleven days, 2026-10-25 of 25 hours, then the end of the last MTU.
    expect(xs).toHaveLength(11 * 24 + 1 + 1);
    expect(xs[0]).toBe(seconds(FIRST));
    const at = (day: string, hour: number) => line[xs.indexOf(seconds(day, hour))];
    for (let day = addDays(FIRST, 1); day < GAPPY; day = addDays(day, 1))
      for (const hour of [0, 11, 23]) expect(at(day, hour), `${day} hour ${hour}`).toBeNull();
    expect(
      xs.filter((x, i) => x >= seconds(addDays(FIRST, 1)) && x < seconds(GAPPY) && line[i] !== null),
    ).toEqual([]);
    for (const hour of MISSING_HOURS) expect(at(GAPPY, hour), `${GAPPY} hour ${hour}`).toBeNull();
    expect(at(GAPPY, LONE_HOUR)).toBe(baseValue('AT_BE', LONE_HOUR));
    expect(at(GAPPY, 4)).toBe(baseValue('AT_BE', 4));
    expect(line.filter((value) => value !== null)).toHaveLength(24 + 24 - MISSING_HOURS.size + 24);
  });

  it('draws no line across the days never stored, nor across a single missing hour', async () => {
    const colour = drawn.colours[0]!;
    const gaps = await strokeIn(page, plot, colour, [
      { from: seconds('2026-10-19'), to: seconds('2026-10-24'), y: null },
      { from: seconds(GAPPY, 5) + 900, to: seconds(GAPPY, 6) - 900, y: null },
      // Beside the lone hour (whose point marks its start): no step held on from the hour before it, or from it.
      { from: seconds(GAPPY, 11) + 900, to: seconds(GAPPY, 12) - 900, y: baseValue('AT_BE', 10) },
      { from: seconds(GAPPY, 13) + 900, to: seconds(GAPPY, 14) - 900, y: baseValue('AT_BE', LONE_HOUR) },
    ]);
    expect(gaps).toEqual([false, false, false, false]);
    // Where values are stored, the line is drawn.
    const stored = await strokeIn(page, plot, colour, [
      { from: seconds(FIRST, 3), to: seconds(FIRST, 4), y: baseValue('AT_BE', 3) },
    ]);
    expect(stored).toEqual([true]);
  });

  it('draws a value with no neighbour: a point at its MTU, and a step its MTU wide when zoomed in', async () => {
    const lone = {
      from: seconds(GAPPY, LONE_HOUR),
      to: seconds(GAPPY, LONE_HOUR + 1),
      y: baseValue('AT_BE', LONE_HOUR),
    };
    expect(await strokeIn(page, plot, drawn.colours[0]!, [lone])).toEqual([true]);
    await page.evaluate(`${plot}.setScale('x', { min: ${seconds(GAPPY, 10)}, max: ${seconds(GAPPY, 15)} })`);
    const quarter = 900;
    const across = await strokeIn(
      page,
      plot,
      drawn.colours[0]!,
      [1, 2, 3].map((n) => ({ from: lone.from + n * quarter, to: lone.from + n * quarter + 60, y: lone.y })),
    );
    expect(across).toEqual([true, true, true]);
    // The step ends with its MTU: nothing held on into the hour after it.
    const after = { from: lone.to + quarter, to: lone.to + 3 * quarter, y: lone.y };
    expect(await strokeIn(page, plot, drawn.colours[0]!, [after])).toEqual([false]);
    await page.evaluate(
      `${plot}.setScale('x', { min: ${drawn.data[0]![0]}, max: ${drawn.data[0]!.at(-1)} })`,
    );
  });

  it('draws the last MTU: its value in the data, its step within the x scale', async () => {
    const [xs, line] = drawn.data as [number[], (number | null)[]];
    const lastMtu = seconds(LAST, 23);
    const index = xs.indexOf(lastMtu);
    expect(line[index]).toBe(baseValue('AT_BE', 23));
    const scale = (await page.evaluate(`({ min: ${plot}.scales.x.min, max: ${plot}.scales.x.max })`)) as {
      min: number;
      max: number;
    };
    expect(scale.max).toBeGreaterThanOrEqual(lastMtu + 3600);
    expect(
      await strokeIn(page, plot, drawn.colours[0]!, [
        { from: lastMtu + 1200, to: lastMtu + 2400, y: baseValue('AT_BE', 23) },
      ]),
    ).toEqual([true]);
  });

  it("writes the time axis's last label whole, inside the canvas, where the plot ends on a midnight", async () => {
    const lastLabelFit = async () =>
      (await page.evaluate(`(() => {
        const u = ${plot};
        const ticks = window.jaoPage.chart.axisTicks;
        const last = ticks.seconds.length - 1;
        const ctx = u.ctx;
        ctx.save();
        ctx.font = u.axes[0].font[0];
        const widest = Math.max(...ticks.labels[last].split('\\n').map((line) => ctx.measureText(line).width));
        ctx.restore();
        const centre = u.valToPos(ticks.seconds[last], 'x', true);
        return { label: ticks.labels[last], right: centre + widest / 2, canvas: u.ctx.canvas.width };
      })()`)) as { label: string; right: number; canvas: number };
    // As drawn: the range ends at the midnight after its last day.
    let fit = await lastLabelFit();
    expect(fit.label).toMatch(/\d{4}-\d{2}-\d{2}$/);
    expect(fit.right, JSON.stringify(fit)).toBeLessThanOrEqual(fit.canvas);
    // Zoomed to end on a midnight, whose tick is the plot's right edge: its date whole.
    await page.evaluate(`${plot}.setScale('x', { min: ${seconds(GAPPY, 0)}, max: ${seconds(LAST)} })`);
    fit = await lastLabelFit();
    expect(fit.label).toBe(`00:00 CET\n${LAST}`);
    expect(fit.right, JSON.stringify(fit)).toBeLessThanOrEqual(fit.canvas);
    await page.evaluate(
      `${plot}.setScale('x', { min: ${drawn.data[0]![0]}, max: ${drawn.data[0]!.at(-1)} })`,
    );
  });

  it("shows the border search's placeholder whole", async () => {
    const fit = (await page.evaluate(`(() => {
      const input = document.getElementById('chart-border');
      const style = getComputedStyle(input);
      const ctx = document.createElement('canvas').getContext('2d');
      ctx.font = style.font;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text: input.placeholder, width: ctx.measureText(input.placeholder).width, room };
    })()`)) as { text: string; width: number; room: number };
    // Room for the text and the list's arrow (about 1rem) beside it.
    expect(fit.width + 16, JSON.stringify(fit)).toBeLessThanOrEqual(fit.room);
  });

  it('writes and reads every day of the page as YYYY-MM-DD in an en-US browser, and names a day in another form', async () => {
    expect(await page.evaluate(`navigator.language`)).toBe('en-US');
    expect(await page.locator('input[type="date"]').count()).toBe(0);
    const dayBoxes = [
      '#calendar-from',
      '#calendar-to',
      '#chart-from',
      '#chart-to',
      '#chart-day',
      '#chart-diff-day',
    ];
    for (const box of dayBoxes) expect(await page.getAttribute(box, 'placeholder'), box).toBe('YYYY-MM-DD');
    expect(await page.inputValue('#chart-from')).toBe(FIRST);
    expect(await page.inputValue('#chart-to')).toBe(LAST);
    await page.fill('#chart-from', '10/17/2026');
    await page.click('.chart-form button[type="submit"]');
    expect(await page.getAttribute('#chart-from', 'aria-invalid')).toBe('true');
    expect(await page.locator('.chart-section .status-line').innerText()).toBe(
      'From: "10/17/2026" is not a date in the form YYYY-MM-DD.',
    );
    await page.fill('#chart-from', FIRST);
    await page.click('.chart-form button[type="submit"]');
    await page.locator('.chart-section[data-state="ready"]').waitFor();
    expect(await page.getAttribute('#chart-from', 'aria-invalid')).toBe('false');
  });
});

describe("a CNEC's RAM over time and the hour's table", () => {
  let context: BrowserContext;
  let page: Page;
  const plot = 'window.jaoPage.domain.chart.plot';
  const RAM_COLOUR = '#0b57d0';

  beforeAll(async () => {
    ({ context, page } = await openPage(`key=${domainKey}`, `?dataset=${DOMAIN}`));
    await page.locator('.domain-section').waitFor();
    await until(page, `window.jaoPage.domain.shown?.day === '${DOMAIN_DAYS[2]}'`);
    await page.evaluate(`window.jaoPage.domain.showDay('${LONE_DAY}')`);
    await until(page, `window.jaoPage.domain.shown?.day === '${LONE_DAY}'`);
    await page.selectOption('#domain-hour', { index: LONE_RAM_HOUR });
    await until(
      page,
      `window.jaoPage.domain.shown?.mtu === '${new Date(seconds(LONE_DAY, LONE_RAM_HOUR) * 1000).toISOString()}'`,
    );
  });

  afterAll(async () => {
    await context?.close();
  });

  it('opens the table on the network elements, the lowest RAM first; equality and external constraints apart, explained', async () => {
    const groups = await page.locator('table.cnecs tbody').evaluateAll((bodies) =>
      bodies.map((body) => ({
        kind: body.getAttribute('data-kind'),
        heading: body.querySelector('tr.group')?.textContent,
      })),
    );
    expect(groups.map((group) => group.kind)).toEqual(['cnec', 'equality', 'external']);
    expect(groups[1]!.heading).toMatch(
      /^Equality constraints \(2\): no network element: .+RAM is 0 by design\.$/,
    );
    expect(groups[2]!.heading).toMatch(/^External \(virtual\) constraints \(2\): no network element: .+$/);
    const first = page.locator('table.cnecs tbody tr[data-constraint-id]').first();
    expect(await first.getAttribute('data-kind')).toBe('cnec');
    expect(await first.locator('td').nth(4).innerText()).toBe(String(LONE_RAM));
    expect(await page.locator('.domain-section > .status-line').innerText()).toMatch(
      new RegExp(`the lowest RAM of a network element is ${LONE_RAM} MW \\(Lixhe - Gramme`),
    );
  });

  it('draws the lone hour that the caption names as the lowest, and the clicked hour, with the last MTU', async () => {
    const first = page.locator('table.cnecs tbody tr[data-constraint-id]').first();
    const id = Number(await first.getAttribute('data-constraint-id'));
    await first.locator('button.cnec').click();
    await until(
      page,
      `window.jaoPage.domain.drawn?.constraintId === ${id} && document.querySelector('.domain-section').dataset.ram === 'ready'`,
    );
    const lone = seconds(LONE_DAY, LONE_RAM_HOUR);
    expect(await page.locator('.ram-chart .status-line').innerText()).toBe(
      `1 hourly value from 2024-12-30 to 2025-01-05 (as stored now); the lowest ${LONE_RAM} MW at ${LONE_DAY} 05:00 CET.`,
    );
    const data = (await page.evaluate(`${plot}.data.map((column) => [...column])`)) as (number | null)[][];
    const index = data[0]!.indexOf(lone);
    expect([data[1]![index - 1], data[1]![index], data[1]![index + 1]]).toEqual([null, LONE_RAM, null]);
    // The seven days' hours and the end of the last.
    expect(data[0]).toHaveLength(7 * 24 + 1);
    expect(data[0]!.at(-1)).toBe(seconds('2025-01-06'));
    expect(await strokeIn(page, plot, RAM_COLOUR, [{ from: lone, to: lone + 3600, y: LONE_RAM }])).toEqual([
      true,
    ]);
    await page.evaluate(`${plot}.setScale('x', { min: ${lone - 7200}, max: ${lone + 10800} })`);
    expect(
      await strokeIn(
        page,
        plot,
        RAM_COLOUR,
        [1, 2, 3].map((n) => ({ from: lone + n * 900, to: lone + n * 900 + 60, y: LONE_RAM })),
      ),
    ).toEqual([true, true, true]);
    await page.locator('.ram-chart').screenshot({ path: artifactPath('ram-lone-hour.png') });
  });
});

describe('a key in the address that is not a key', () => {
  it('names a key cut short as such, and takes no other key in its place', async () => {
    const { context, page } = await openPage(`key=${key.slice(0, 20)}`);
    try {
      await page.locator('.key-form').waitFor();
      expect(await page.locator('.key-form .problem').innerText()).toBe(
        "The API key in the page's address (#key=…) is malformed: it is cut short: 16 characters after jao_ where a key has 43. Was the link cut when it was copied? Open the whole link that npm start printed, or enter the key.",
      );
      expect(await page.evaluate('localStorage.length')).toBe(0);
      expect(page.url()).not.toContain('key=');
    } finally {
      await context.close();
    }
  });

  it('keeps its own message for a well-formed key the API does not know', async () => {
    const { context, page } = await openPage(`key=jao_${'A'.repeat(43)}`);
    try {
      await expect
        .poll(() => page.locator('.key-form .problem').innerText(), { timeout: 15_000 })
        .toBe('The API refused this key (unknown or revoked). Enter another.');
    } finally {
      await context.close();
    }
  });
});
