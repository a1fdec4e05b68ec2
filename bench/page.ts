// `npm run bench:page`: the status page in the machine's Chromium. The calendar of three years of delivery days
// and the chart of one border over a year (~8,760 points), each timed from the request to the frame after the
// drawing, against the baseline of the same run: the browser fetching and parsing the same answers without
// drawing them. `--smoke`: two months and a week, one run each.
import pg from 'pg';
import { startApi } from '../api/server';
import { createApiKey } from '../db/apiKeys';
import { migrate } from '../db/migrate';
import { createPool, watchClient } from '../db/pool';
import { daysBetween } from '../domain/calendar';
import { chromiumMissingNote, launchChromium } from '../page/chromium';
import { rangePieces } from '../page/client/dayCells';
import { databaseUrlFor } from './benchDatabase';
import { createDatabaseSql } from './environment';
import { printTargets, ratio, takeSmokeFlag } from './report';
import { seedValues } from './seedValues';

interface Sizes {
  calendarFrom: string;
  calendarTo: string;
  chartFrom: string;
  chartTo: string;
  runs: number;
}

const FULL: Sizes = {
  calendarFrom: '2023-01-01',
  calendarTo: '2025-12-31',
  chartFrom: '2025-01-01',
  chartTo: '2025-12-31',
  runs: 5,
};
const SMOKE: Sizes = {
  calendarFrom: '2025-11-01',
  calendarTo: '2025-12-31',
  chartFrom: '2025-12-25',
  chartTo: '2025-12-31',
  runs: 1,
};
/** The page asks the API in pieces of at most this many days, as with the API's default API_MAX_RANGE_DAYS. */
const MAX_RANGE_DAYS = 366;
const TARGET_MS = 1_000;

export const TARGET_NAMES = [
  'calendar of three years ≤ 1 s in Chromium',
  'chart of one border over a year (~8,760 points) ≤ 1 s in Chromium',
] as const;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/**
 * Three years of delivery days, one border's values over the chart's year (bench/seedValues.ts) and, around them,
 * days of every status, so that the calendar draws every colour.
 */
async function seed(pool: pg.Pool, sizes: Sizes): Promise<{ values: number }> {
  const seeded = await seedValues(pool, sizes.chartFrom, sizes.chartTo, { borders: 1 });
  await pool.query(
    `INSERT INTO jao.delivery_day (dataset, day, status, expected_mtus, received_mtus, points, revision_count,
                                   last_changed_at, last_checked_at, attempts, resolution_minutes, reason)
     SELECT 'maxExchanges', d::date, s.status, 24, CASE WHEN s.status = 'complete' THEN 24 ELSE 0 END, 0,
            CASE WHEN s.status = 'complete' THEN 1 ELSE 0 END, now(), now(), 1, 60,
            CASE WHEN s.status = 'complete' THEN NULL ELSE 'seeded by bench:page' END
       FROM generate_series($1::date, $2::date, interval '1 day') AS d
       CROSS JOIN LATERAL (SELECT (ARRAY['complete','complete','complete','complete','partial','complete',
                                         'failed','complete','invalid','not_published'])[1 + (extract(doy FROM d)::int % 10)]
                                  AS status) s
      WHERE extract(doy FROM d)::int % 17 <> 0
     ON CONFLICT (dataset, day) DO NOTHING`,
    [sizes.calendarFrom, sizes.calendarTo],
  );
  await pool.query('ANALYZE jao.delivery_day');
  return { values: seeded.values };
}

/** In the page: the same answers fetched and parsed, nothing drawn (the baseline). */
function fetchOnlyScript(key: string, paths: string[]): string {
  return `(async () => {
    const started = performance.now();
    const answers = await Promise.all(${JSON.stringify(paths)}.map((path) =>
      fetch(path, { headers: { authorization: ${JSON.stringify(`Bearer ${key}`)} } }).then((r) => r.json())));
    return { ms: performance.now() - started, rows: answers.reduce((n, rows) => n + rows.length, 0) };
  })()`;
}

/** In the page: `call` (the page's own code path), then the next frame after the drawing. */
function timedScript(call: string): string {
  return `(async () => {
    const started = performance.now();
    await ${call};
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - started;
  })()`;
}

export async function runPageBenchmark(args: string[]): Promise<void> {
  const { smoke, rest } = takeSmokeFlag(args);
  if (rest.length > 0) throw new Error(`bench page: unknown argument ${rest[0]} (only --smoke)`);
  const missing = chromiumMissingNote();
  if (missing) throw new Error(`bench page: ${missing}`);
  const sizes = smoke ? SMOKE : FULL;
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `jao_bench_page_${process.pid}`;
  const admin = watchClient(new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') }));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(createDatabaseSql(database));
  const ownerUrl = databaseUrlFor(serverUrl, database);
  const readerUrl = new URL(ownerUrl);
  readerUrl.username = 'jao_reader';
  readerUrl.password = '';
  const pool = createPool(ownerUrl, { max: 2, applicationName: 'bench:page' });
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    await migrate(pool);
    const { values } = await seed(pool, sizes);
    const days = daysBetween(sizes.calendarFrom, sizes.calendarTo) + 1;
    const border = (
      await pool.query<{ border: string }>('SELECT border FROM jao.max_exchanges_borders LIMIT 1')
    ).rows[0]!.border;
    const { token } = await createApiKey(pool, { name: 'bench', datasets: ['maxExchanges'] });
    api = await startApi({
      host: '127.0.0.1',
      port: 0,
      databaseUrl: readerUrl.toString(),
      maxRangeDays: MAX_RANGE_DAYS,
      rateLimitPerMinute: 1_000_000,
      logLevel: 'warn',
      temporal: null,
      temporalUiUrl: 'http://127.0.0.1:8233',
      taskQueue: 'jao-scraper',
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${api.url}/#key=${token}`);
    await page.locator('.calendar[data-state="ready"]').waitFor({ timeout: 60_000 });
    await page.locator('.chart-section[data-state="ready"]').waitFor({ timeout: 60_000 });
    console.log(
      `bench:page${smoke ? ' --smoke' : ''}: Chromium ${browser.version()}; calendar ${days} days ` +
        `(${sizes.calendarFrom}..${sizes.calendarTo}), chart ${values} values of ${border} (${sizes.chartFrom}..${sizes.chartTo})`,
    );

    const dayPaths = rangePieces(sizes.calendarFrom, sizes.calendarTo, MAX_RANGE_DAYS).map(
      ([from, to]) => `/v1/days?from=${from}&to=${to}`,
    );
    const valuePaths = rangePieces(sizes.chartFrom, sizes.chartTo, MAX_RANGE_DAYS).map(
      ([from, to]) => `/v1/datasets/maxExchanges/values?from=${from}&to=${to}&border=${border}`,
    );
    const chartRequest = JSON.stringify({
      borders: [border],
      from: sizes.chartFrom,
      to: sizes.chartTo,
      asOf: null,
      revisionsDay: null,
      difference: null,
    });
    // Warm-up: the first run of each (cold caches on both sides), then the measured runs, alternating.
    const calendarCall = `window.jaoPage.calendar.show(${JSON.stringify(sizes.calendarFrom)}, ${JSON.stringify(sizes.calendarTo)})`;
    const chartCall = `window.jaoPage.chart.drawRequest(${chartRequest})`;
    const cold = {
      calendar: (await page.evaluate(timedScript(calendarCall))) as number,
      chart: (await page.evaluate(timedScript(chartCall))) as number,
    };
    const runs = {
      calendar: [] as number[],
      chart: [] as number[],
      days: [] as number[],
      values: [] as number[],
    };
    let fetchedDays = 0;
    let fetchedValues = 0;
    for (let run = 0; run < sizes.runs; run++) {
      runs.calendar.push((await page.evaluate(timedScript(calendarCall))) as number);
      const dayFetch = (await page.evaluate(fetchOnlyScript(token, dayPaths))) as {
        ms: number;
        rows: number;
      };
      runs.days.push(dayFetch.ms);
      fetchedDays = dayFetch.rows;
      runs.chart.push((await page.evaluate(timedScript(chartCall))) as number);
      const valueFetch = (await page.evaluate(fetchOnlyScript(token, valuePaths))) as {
        ms: number;
        rows: number;
      };
      runs.values.push(valueFetch.ms);
      fetchedValues = valueFetch.rows;
    }
    const drawnCells = await page.locator('.calendar a.cell[data-day]').count();
    // The values the line draws: its non-null points (the x-axis also holds the MTUs with nothing stored, and the
    // end of the last MTU).
    const drawnPoints = (await page.evaluate(
      'window.jaoPage.chart.drawn.data[1].filter((value) => value !== null && value !== undefined).length',
    )) as number;
    const calendarMs = median(runs.calendar);
    const chartMs = median(runs.chart);
    const list = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
    console.log(
      `calendar, ${drawnCells} cells (${fetchedDays} stored days): median ${calendarMs.toFixed(0)} ms ` +
        `(runs ${list(runs.calendar)}; cold ${cold.calendar.toFixed(0)} ms)  ${ratio(calendarMs, median(runs.days))} (page / fetch only)`,
    );
    console.log(
      `  baseline: the same ${dayPaths.length} answers fetched and parsed in the page: median ${median(runs.days).toFixed(0)} ms`,
    );
    console.log(
      `chart, ${drawnPoints} points: median ${chartMs.toFixed(0)} ms (runs ${list(runs.chart)}; cold ${cold.chart.toFixed(0)} ms)  ` +
        `${ratio(chartMs, median(runs.values))} (page / fetch only)`,
    );
    console.log(
      `  baseline: the same ${valuePaths.length} answer(s), ${fetchedValues} values, fetched and parsed in the page: median ${median(runs.values).toFixed(0)} ms`,
    );
    printTargets([
      {
        name: TARGET_NAMES[0],
        met: calendarMs <= TARGET_MS && drawnCells === days && days >= 3 * 365,
        measured: `${calendarMs.toFixed(0)} ms for ${drawnCells} days`,
      },
      {
        name: TARGET_NAMES[1],
        met: chartMs <= TARGET_MS && drawnPoints === values && values >= 8_760,
        measured: `${chartMs.toFixed(0)} ms for ${drawnPoints} points`,
      },
    ]);
    if (drawnCells !== days || drawnPoints !== values) {
      throw new Error(
        `bench page: drew ${drawnCells} of ${days} days and ${drawnPoints} of ${values} points`,
      );
    }
  } finally {
    await browser?.close();
    await api?.close();
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
