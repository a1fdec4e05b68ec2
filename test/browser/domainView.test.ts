// The status page on a dataset of the flow-based domain, in a real Chromium (playwright-core), over days of the real
// presolved fixture stored through the day's write: the border chart gives way to the domain view; an hour's CNECs
// are listed with their count, the most limiting first, each value the stored one; a click on a CNEC draws its RAM
// over the days around the chosen one (one point per stored hour), as stored now and as known before a revision;
// an hour without a constraint and a day not stored yet say so. Screenshots go to test-artifacts/browser/.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largestPtdf, mwText, ptdfText } from '../../page/client/domainData';
import { createTestKey, startTestApi, type TestApi } from '../helpers/api';
import { ARTIFACTS_DIR, artifactPath, launchChromium } from '../helpers/browser';
import { constraintDayRows, PRESOLVED_PAGE, writeConstraintDay } from '../helpers/constraintDays';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const DATASET = 'coreFinalComputation';
const DAYS = ['2025-01-01', '2025-01-02', '2025-01-03'];
const CHOSEN_DAY = '2025-01-02';
/** An hour of CHOSEN_DAY whose rows were left out: stored without a constraint. */
const EMPTY_HOUR = 7;
const NOT_STORED = '2025-01-05';
const FIRST_WRITE = '2025-01-01T08:00:00Z';
const REVISION = '2025-01-01T12:00:00Z';
const LIVE_REVISION = '2025-01-01T14:00:00Z';
/** The revised constraint (its row's id in the fixture) and its RAM after the revision, at hour 5 of CHOSEN_DAY. */
const REVISED_JAO_ID = 61;
const REVISED_HOUR = 5;
const REVISED_RAM = 3;

interface Shown {
  day: string;
  mtu: string;
  lines: { constraintId: number; ram: number | null }[];
}

interface Drawn {
  constraintId: number;
  from: string;
  to: string;
  labels: string[];
  data: (number | null)[][];
}

/** Each day's RAM moved by its place and hour, so that the line over days is not flat; EMPTY_HOUR left out. */
const dayRows = (day: string, index: number) =>
  constraintDayRows(day, (row, hour) =>
    day === CHOSEN_DAY && hour === EMPTY_HOUR
      ? null
      : { ...row, ram: (row.ram as number) + index * 50 + hour },
  );

/** CHOSEN_DAY revised: one constraint's RAM at REVISED_HOUR (JAO's row id changed, as JAO does). */
const revisedRows = () =>
  dayRows(CHOSEN_DAY, DAYS.indexOf(CHOSEN_DAY)).map((row) =>
    row.id === REVISED_HOUR * 100 + REVISED_JAO_ID ? { ...row, ram: REVISED_RAM, id: 99_999 } : row,
  );

describe('the status page on a dataset of the flow-based domain', () => {
  let db: TestDatabase;
  let api: TestApi;
  let browser: Browser;
  let page: Page;

  const until = async (expression: string) => {
    try {
      await expect
        .poll(() => page.evaluate(`Boolean(${expression})`), { timeout: 15_000, interval: 100 })
        .toBe(true);
    } catch (error) {
      const said = await page.locator('.domain-section .status-line').allInnerTexts();
      throw new Error(`${expression} did not hold; the view says ${JSON.stringify(said)}`, { cause: error });
    }
  };
  const shown = async () => (await page.evaluate('window.jaoPage.domain.shown')) as Shown;
  const drawn = async () => (await page.evaluate('window.jaoPage.domain.drawn')) as Drawn;
  const section = () => page.locator('.domain-section');
  const shot = (name: string) => section().screenshot({ path: artifactPath(name), animations: 'disabled' });
  /** The stored rows of one MTU (jao.constraints), RAM ascending then by constraint, as the table orders them. */
  const storedHour = async (mtu: string) =>
    (
      await db.pool.query(
        `SELECT constraint_id::int AS constraint_id, tso, cne_name, ram, fmax, revision,
                (SELECT json_object_agg(h, p ORDER BY o) FROM unnest(ptdf_hubs, ptdf_values) WITH ORDINALITY AS x(h, p, o)) AS ptdfs
           FROM jao.constraints WHERE dataset = $1 AND mtu = $2 ORDER BY ram, constraint_id`,
        [DATASET, mtu],
      )
    ).rows as {
      constraint_id: number;
      tso: string;
      cne_name: string;
      ram: number;
      fmax: number;
      revision: number;
      ptdfs: Record<string, number | null>;
    }[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    db = await createTestDatabase();
    for (const [index, day] of DAYS.entries())
      await writeConstraintDay(db.pool, DATASET, day, dayRows(day, index), FIRST_WRITE);
    const revised = revisedRows();
    const written = await writeConstraintDay(db.pool, DATASET, CHOSEN_DAY, revised, REVISION);
    expect(written.changedPoints).toBe(1);
    const key = await createTestKey(db.pool, [DATASET]);
    api = await startTestApi(db.url);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1300, height: 1000 }, timezoneId: 'UTC' });
    page = await context.newPage();
    await page.goto(`${api.url}/?dataset=${DATASET}#key=${key}`);
    await section().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await db?.release();
  });

  it("opens on the last stored day's first hour, in the border chart's place", async () => {
    expect(await page.evaluate('window.jaoPage.dataset')).toBe(DATASET);
    expect(await page.locator('.chart-section').count()).toBe(0);
    await until(`window.jaoPage.domain.shown?.day === '${DAYS[2]}'`);
    expect((await shown()).lines).toHaveLength(PRESOLVED_PAGE.data.length);
    expect(await page.locator('#domain-hour option').first().innerText()).toBe(
      `01 · 00:00–01:00 CET (${PRESOLVED_PAGE.data.length} CNECs)`,
    );
  });

  it("lists the calendar's chosen day and hour: its count, the lowest RAM first, every value the stored one", async () => {
    await page.evaluate(`window.jaoPage.calendar.select('${CHOSEN_DAY}')`);
    await until(`window.jaoPage.domain.shown?.day === '${CHOSEN_DAY}'`);
    await page.selectOption('#domain-hour', { index: REVISED_HOUR });
    const mtu = new Date(Date.parse('2025-01-01T23:00:00Z') + REVISED_HOUR * 3_600_000).toISOString();
    await until(`window.jaoPage.domain.shown?.mtu === '${mtu}'`);
    // The table's order: the network elements (CNECs) first, then the constraints that are none (the fixture's two
    // external constraints), each group by RAM.
    const byRam = await storedHour(mtu);
    const isExternal = (row: { cne_name: string }) => row.cne_name.startsWith('External Constraint');
    const stored = [...byRam.filter((row) => !isExternal(row)), ...byRam.filter(isExternal)];
    expect(stored).toHaveLength(PRESOLVED_PAGE.data.length);
    // The revised constraint now has the hour's lowest RAM.
    expect(stored[0]!.ram).toBe(REVISED_RAM);

    const table = page.locator('table.cnecs');
    expect(await table.locator('caption').innerText()).toMatch(
      new RegExp(
        `^${stored.length} presolved constraints of ${CHOSEN_DAY}, hour 06 · 05:00–06:00 CET: the network elements first, the most limiting`,
      ),
    );
    const rows = table.locator('tbody tr[data-constraint-id]');
    expect(await rows.count()).toBe(stored.length);
    expect(await table.locator('thead th').allInnerTexts()).toEqual([
      'Rank',
      'TSO',
      'CNE',
      'Direction',
      'Contingency',
      'RAM (MW)',
      'Fmax (MW)',
      'Largest |PTDF| (hub)',
      'Revision',
    ]);
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        id: Number(tr.getAttribute('data-constraint-id')),
        cells: [...tr.children].map((cell) => (cell.textContent ?? '').trim()),
      })),
    );
    cells.forEach((row, index) => {
      const want = stored[index]!;
      expect(row.id, `row ${index + 1}`).toBe(want.constraint_id);
      // Ranked within its group.
      expect(row.cells[0]).toBe(String(isExternal(want) ? index + 1 - (stored.length - 2) : index + 1));
      expect(row.cells[1]).toBe(want.tso);
      expect(row.cells[5], `RAM of row ${index + 1}`).toBe(mwText(want.ram));
      expect(row.cells[6]).toBe(mwText(want.fmax));
      expect(row.cells[7]).toBe(ptdfText(largestPtdf(want.ptdfs)));
      expect(row.cells[8]).toBe(String(want.revision));
    });
    expect(cells[0]!.cells[5]).toBe(String(REVISED_RAM));
    expect(cells[0]!.cells[8]).toBe('2');
    expect(cells.map((row) => row.cells[4])).toContain('N state');
    await shot('domain-hour.png');
  });

  it("draws a clicked CNEC's RAM over the days around the chosen one: one point per stored hour", async () => {
    const first = page.locator('table.cnecs tbody tr[data-constraint-id]').first();
    const id = Number(await first.getAttribute('data-constraint-id'));
    await first.locator('button.cnec').click();
    await until(
      `window.jaoPage.domain.drawn?.constraintId === ${id} && document.querySelector('.domain-section').dataset.ram === 'ready'`,
    );
    const chart = await drawn();
    expect([chart.from, chart.to]).toEqual(['2024-12-30', '2025-01-05']);
    expect(chart.labels).toEqual(['RAM (MW)']);
    // Every hour of the seven days on the axis; a point for each stored one: three days of 24 hours, less the hour
    // left out of the chosen day.
    expect(chart.data[0]).toHaveLength(7 * 24 + 1);
    expect(chart.data[0]!.at(-1)).toBe(Date.parse('2025-01-05T23:00:00Z') / 1000);
    expect(chart.data[0]![0]).toBe(Date.parse('2024-12-29T23:00:00Z') / 1000);
    const points = chart.data[0]!.flatMap((x, index) =>
      chart.data[1]![index] === null ? [] : [{ x, ram: chart.data[1]![index] }],
    );
    expect(points).toHaveLength(3 * 24 - 1);
    const stored = await db.pool.query(
      `SELECT extract(epoch FROM mtu)::int AS x, ram FROM jao.constraints
        WHERE dataset = $1 AND constraint_id = $2 ORDER BY mtu`,
      [DATASET, id],
    );
    expect(points).toEqual(stored.rows);
    expect(await first.getAttribute('class')).toBe('chosen');
    expect(await first.locator('button.cnec').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#ram-heading').innerText()).toMatch(/^RAM of .+ \(.+\), .+$/);
    expect(await page.locator('.ram-chart .status-line').innerText()).toBe(
      `71 hourly values from 2024-12-30 to 2025-01-05 (as stored now); the lowest ${REVISED_RAM} MW at 2025-01-02 05:00 CET.`,
    );
    await shot('domain-ram.png');
  });

  it('reads the hour and the RAM as known before the revision', async () => {
    await page.fill('#domain-as-of', '2025-01-01 12:30');
    await page.press('#domain-as-of', 'Enter');
    await until(`window.jaoPage.domain.shown?.asOf === '2025-01-01T11:30:00.000Z'`);
    const lines = (await shown()).lines;
    expect(lines).toHaveLength(PRESOLVED_PAGE.data.length);
    expect(lines.map((line) => line.ram)).not.toContain(REVISED_RAM);
    await until(`window.jaoPage.domain.drawn?.labels.length === 2`);
    const chart = await drawn();
    expect(chart.labels).toEqual(['RAM stored now (MW)', 'RAM as known at 2025-01-01 12:30:00 CET (MW)']);
    const revisedAt = chart.data[0]!.indexOf(Date.parse('2025-01-02T04:00:00Z') / 1000);
    expect([chart.data[1]![revisedAt], chart.data[2]![revisedAt]]).not.toContain(undefined);
    expect(chart.data[1]![revisedAt]).toBe(REVISED_RAM);
    expect(chart.data[2]![revisedAt]).not.toBe(REVISED_RAM);
    await shot('domain-as-of.png');
    await page.click('button[aria-label="Clear the as-of instant"]');
    await until(
      `window.jaoPage.domain.shown?.asOf === null && window.jaoPage.domain.drawn?.labels.length === 1`,
    );
  });

  it('reads the day and the RAM again when the live feed says the day was revised', async () => {
    await until(`window.jaoPage.domain.shown?.lines[0]?.ram === ${REVISED_RAM}`);
    const again = revisedRows().map((row) =>
      row.ram === REVISED_RAM ? { ...row, ram: REVISED_RAM - 1 } : row,
    );
    expect((await writeConstraintDay(db.pool, DATASET, CHOSEN_DAY, again, LIVE_REVISION)).changedPoints).toBe(
      1,
    );
    await until(`window.jaoPage.domain.shown?.lines[0]?.ram === ${REVISED_RAM - 1}`);
    await until(`window.jaoPage.domain.drawn?.data[1]?.includes(${REVISED_RAM - 1})`);
    expect(
      await page.locator('table.cnecs tbody tr[data-constraint-id]').first().locator('td').nth(7).innerText(),
    ).toBe('3');
  });

  it('says so for an hour without a presolved constraint, and for a day not stored yet', async () => {
    await page.selectOption('#domain-hour', { index: EMPTY_HOUR });
    await until(`window.jaoPage.domain.shown?.lines.length === 0`);
    expect(await page.locator('#domain-hour option').nth(EMPTY_HOUR).innerText()).toBe(
      '08 · 07:00–08:00 CET (0 CNECs)',
    );
    expect(await section().locator('.empty').innerText()).toBe(
      `No presolved constraint stored for this hour (${CHOSEN_DAY} 08 · 07:00–08:00 CET).`,
    );
    await shot('domain-empty-hour.png');
    await page.evaluate(`window.jaoPage.domain.showDay('${NOT_STORED}')`);
    await until(`window.jaoPage.domain.shown?.day === '${NOT_STORED}'`);
    await until(`document.querySelector('.domain-section .empty')?.innerText.includes('${NOT_STORED}')`);
    expect(await section().locator('.empty').innerText()).toBe(
      `${NOT_STORED} is not stored yet: its domain has not been fetched.`,
    );
    await page.screenshot({ path: artifactPath('domain-page.png'), fullPage: true });
  });
});
