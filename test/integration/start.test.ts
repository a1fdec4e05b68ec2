// `jao start --simulate` as a newcomer runs it: its own dev server, simulator, worker, schedule and backfill.
// Then status, health (healthy, paused schedule, failed day), metrics, and a clean stop.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../common/ports';
import { addDays, dayStartMs, daysInRange } from '../../domain/calendar';
import type { StatusReport } from '../../domain/statusReport';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type JaoProcess, runJao, spawnJao, stopProcess } from '../helpers/processes';

function processesMentioning(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * TimescaleDB's job runner on some PostgreSQL releases records every background job as failed after its work is
 * committed (docs/timescaledb.md, "Background jobs"); `jao health` rightly names those jobs. This file tests the
 * pipeline's own health, so those lines are set aside; on plain PostgreSQL there are none.
 */
const JOB_RUNNER_DEFECT =
  /^timescaledb job \d+ \(.*\) failed at \S+: cannot drop portal "" while it is being set up /;

/** `jao health`'s line for a region JAO's monitoring fetches (JAO_MONITORING=on, the default): a fact, no verdict. */
const MONITORING_FACT =
  /^monitoring core: JAO's monitoring fetches its days, its fixed polls stand down \(last read \S+\)$/m;

function pipelineVerdict(run: { code: number | null; stdout: string }): {
  code: number | null;
  lines: string[];
} {
  const lines = run.stdout
    .trim()
    .split('\n')
    .filter((line) => !MONITORING_FACT.test(line));
  const pipeline = lines.filter((line) => !JOB_RUNNER_DEFECT.test(line));
  if (pipeline.length === lines.length) return { code: run.code, lines };
  return pipeline.length === 0 ? { code: 0, lines: ['healthy'] } : { code: run.code, lines: pipeline };
}

describe('jao start --simulate', () => {
  let db: TestDatabase;
  let dataDir: string;
  let stack: JaoProcess;
  let env: NodeJS.ProcessEnv;
  let apiPort: number;
  let metricsPort: number;
  let uiPort: number;
  // The initial backfill's range as the stack chose it (its clock, not the test's: no midnight in between).
  let from: string;
  let tomorrow: string;
  let today: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'jao-start-'));
    const temporalPort = await freePort();
    uiPort = await freePort();
    metricsPort = await freePort();
    apiPort = await freePort();
    env = {
      API_PORT: String(apiPort),
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      JAO_DATA_DIR: dataDir,
      METRICS_PORT: String(metricsPort),
      INITIAL_BACKFILL_DAYS: '31',
    };
    stack = spawnJao(
      ['start', '--simulate', '--temporal-port', String(temporalPort), '--ui-port', String(uiPort)],
      {
        ...env,
        TEMPORAL_ADDRESS: '',
      },
      undefined,
      { ownProcessGroup: true },
    );
  });

  afterAll(async () => {
    if (stack) await stopProcess(stack, 'SIGKILL');
    await db?.release();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings up the stack; within a minute the last month through tomorrow is complete', async () => {
    await stack.waitFor('jao-scraper is running', 90_000);
    const range =
      /initial backfill of maxExchanges (\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d): started maxExchanges\/backfill\//.exec(
        stack.output(),
      );
    expect(range, 'the initial backfill it started').not.toBeNull();
    [from, tomorrow] = [range![1]!, range![2]!];
    today = addDays(tomorrow, -1);
    expect(from).toBe(addDays(today, -31));
    expect(stack.output()).toMatch(/Temporal Web UI\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(stack.output()).toContain(`API               http://127.0.0.1:${apiPort}`);
    expect(stack.output()).toContain(`API docs          http://127.0.0.1:${apiPort}/docs`);
    expect(await (await fetch(`http://127.0.0.1:${apiPort}/readyz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`http://127.0.0.1:${apiPort}/docs/`)).status).toBe(200);
    // The status page's URL carries a key of this database in its fragment; the page links into this Web UI.
    const pageUrl = new RegExp(
      `status page\\s+http://127\\.0\\.0\\.1:${apiPort}/#key=(jao_[A-Za-z0-9_-]{43})\\n`,
    ).exec(stack.output());
    expect(pageUrl, 'the status page line').not.toBeNull();
    const headers = { authorization: `Bearer ${pageUrl![1]}` };
    expect((await fetch(`http://127.0.0.1:${apiPort}/v1/days/running`, { headers })).status).toBe(200);
    const page = await (await fetch(`http://127.0.0.1:${apiPort}/`)).text();
    expect(page).toContain(`"temporalUiUrl":"http://127.0.0.1:${uiPort}"`);
    const started = Date.now();
    const expected = daysInRange(from, tomorrow);
    let complete = 0;
    while (Date.now() - started < 60_000) {
      const result = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jao.delivery_day WHERE dataset = 'maxExchanges' AND status = 'complete' AND day BETWEEN $1 AND $2`,
        [from, tomorrow],
      );
      complete = result.rows[0]!.n;
      if (complete === expected.length) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(complete).toBe(expected.length);
    await stack.waitFor(
      `initial backfill of maxExchanges ${from}..${tomorrow} ended: ${expected.length} of ${expected.length} days complete in this database`,
      30_000,
    );
    // The addresses block again, now the backfills ended, and `jao urls` prints it at any time.
    await stack.waitFor('The initial backfills ended (a line each above). jao-scraper is running.', 30_000);
    const again = stack.output().split('The initial backfills ended')[1]!;
    expect(again).toMatch(new RegExp(`status page\\s+http://127\\.0\\.0\\.1:${apiPort}/#key=jao_`));
    const urls = await runJao(['urls'], env);
    expect(urls.code).toBe(0);
    expect(urls.stdout).toContain(pageUrl![0].trim());
    expect(urls.stdout).toContain(`API docs          http://127.0.0.1:${apiPort}/docs`);
    // The dev server's state is the database's own (docs/operations.md "Running locally").
    const states = readdirSync(join(dataDir, 'temporal')).filter((file) => file.endsWith('.sqlite'));
    expect(states).toHaveLength(1);
    expect(stack.output()).toContain(`in ${join(dataDir, 'temporal', states[0]!)}, new)`);
    // In write-ahead-log mode (devstack/devServer.ts): the header's file format versions are 2 (sqlite.org/fileformat).
    const header = readFileSync(join(dataDir, 'temporal', states[0]!)).subarray(18, 20);
    expect([...header]).toEqual([2, 2]);

    const status = await runJao(['status', '--from', from, '--to', tomorrow, '--json'], env);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as StatusReport;
    expect(report.days.map((line) => line.status)).toEqual(expected.map(() => 'complete'));
    expect(report.gaps).toEqual([]);
    expect(report.tomorrow).toMatchObject({ day: tomorrow, status: 'complete', late: false });

    const health = await runJao(['health'], env);
    expect(pipelineVerdict(health)).toEqual({ code: 0, lines: ['healthy'] });
    // JAO_MONITORING is on by default: the simulator's monitoring fetches Core's days, and health says so.
    expect(health.stdout).toMatch(MONITORING_FACT);
    // Room for its own waits (90 s to run, the minute, 30 s and 30 s for the lines after): a slow step fails there,
    // naming what it waited for, not on the tier's 120 s.
  }, 240_000);

  it('exports the SDK metrics and the pipeline’s own on the metrics port', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(/^temporal_\w+/m);
    expect(text).toMatch(/^jao_days\w*\{[^}]*status="complete"[^}]*\} \d+/m);
    expect(text).toMatch(/^jao_points_written\{[^}]*\} [1-9]\d*$/m);
    expect(text).toMatch(/^jao_last_complete_day\{[^}]*\} [1-9]\d*$/m);
    const buildId = /worker polling task queue \S+; build (\S+) /.exec(stack.output())?.[1];
    expect(buildId).toMatch(/^\d+\.\d+\.\d+-\S+-wf[0-9a-f]{10}$/);
    expect(text).toContain(`build_id="${buildId}"`);
    expect(text).toMatch(/^jao_worker_build_info\{[^}]*build_id="[^"]+"[^}]*\} 1$/m);
  });

  it('reports unhealthy, with the reason, when the schedule is paused or a recent day failed', async () => {
    expect((await runJao(['schedule', 'pause'], env)).code).toBe(0);
    const paused = await runJao(['health'], env);
    expect(paused.code).toBe(1);
    const pausedBy = String.raw`paused from the jao CLI by \S+@\S+ at \d{4}-\d\d-\d\dT\S+Z`;
    expect(pipelineVerdict(paused).lines).toEqual([
      expect.stringMatching(new RegExp(`^schedule maxExchanges-poll is paused: ${pausedBy}$`)),
      expect.stringMatching(new RegExp(`^schedule maxExchanges-publication is paused: ${pausedBy}$`)),
    ]);
    expect((await runJao(['schedule', 'unpause'], env)).code).toBe(0);

    // Every kind of bad day in the health window, each named with its reason; a re-run heals them all. The days are
    // out of the poll schedule's reach (today and the 3 days before it, every 10 minutes on the wall clock), which
    // would otherwise re-check them between the update and the verdicts.
    const bad = [4, 5, 6, 7, 8].map((n) => addDays(today, -n));
    const [d1, d2, d3, d4, d5] = bad as [string, string, string, string, string];
    const states: [string, string, string | null][] = [
      [d1, 'failed', 'JAO unavailable'],
      [d2, 'invalid', 'not a JAO envelope'],
      [d3, 'partial', '1 of 24 MTUs missing'],
      [d4, 'complete', 'HTTP 503 on re-check'],
      [d5, 'not_published', null],
    ];
    for (const [day, status, error] of states) {
      await db.pool.query('UPDATE jao.delivery_day SET status = $2, last_error = $3 WHERE day = $1', [
        day,
        status,
        error,
      ]);
    }
    const unhealthy = await runJao(['health'], env);
    expect(unhealthy.code).toBe(1);
    expect(pipelineVerdict(unhealthy).lines).toEqual([
      `day late: ${d5} is not published after its deadline`,
      `re-check failed: ${d4} (HTTP 503 on re-check)`,
      `day partial: ${d3} (1 of 24 MTUs missing)`,
      `day invalid: ${d2} (not a JAO envelope)`,
      `day failed: ${d1} (JAO unavailable)`,
    ]);
    // The same verdict as JSON. A TimescaleDB job-runner failure is left out of both, as above: the job runs every
    // minute, so its line (with its time) may change between the two calls.
    const asJson = await runJao(['health', '--json'], env);
    const verdict = JSON.parse(asJson.stdout) as { healthy: boolean; problems: string[] };
    expect(verdict.healthy).toBe(false);
    expect(verdict.problems.filter((line) => !JOB_RUNNER_DEFECT.test(line))).toEqual(
      pipelineVerdict(unhealthy).lines,
    );

    const rerun = await runJao(['rerun', ...bad, '--wait'], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`started maxExchanges/day/${d1}`);
    for (const day of bad) {
      expect(rerun.stdout).toMatch(
        new RegExp(`${day} complete: (23|24|25) MTUs, \\d+ points, 0 changed, revision 1`),
      );
    }
    const healthy = await runJao(['health'], env);
    expect(pipelineVerdict(healthy)).toEqual({ code: 0, lines: ['healthy'] });

    // Re-running old days leaves the freshness metric at the latest complete day: tomorrow.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const latest = /^jao_last_complete_day\{[^}]*\} (\d+)$/m.exec(metrics)?.[1];
    expect(Number(latest)).toBe(Math.floor(dayStartMs(tomorrow) / 1000));
  });

  it('stops everything it started on a Ctrl-C at its terminal', async () => {
    expect(processesMentioning(dataDir).length).toBeGreaterThan(0);
    // SIGINT to the stack's whole process group: the dev server is not in it, so it serves until the worker drained.
    process.kill(-stack.child.pid!, 'SIGINT');
    expect(await stack.exited).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
    const afterStop = stack.output().split('stopping…')[1] ?? '';
    expect(afterStop).not.toMatch(/ConnectionRefused|Channel has been shut down/);
    const workerStopped = afterStop.indexOf('worker stopped');
    expect(workerStopped).toBeGreaterThanOrEqual(0);
    expect(afterStop.indexOf('Stopping server')).toBeGreaterThan(workerStopped);
  });

  it('stops cleanly when interrupted during start-up', async () => {
    const earlyDir = mkdtempSync(join(tmpdir(), 'jao-start-early-'));
    try {
      const [temporalPort, uiPort] = [await freePort(), await freePort()];
      const early = spawnJao(
        ['start', '--simulate', '--temporal-port', String(temporalPort), '--ui-port', String(uiPort)],
        {
          ...env,
          TEMPORAL_ADDRESS: '',
          JAO_DATA_DIR: earlyDir,
          METRICS_PORT: '0',
        },
      );
      await early.waitFor('starting the Temporal dev server', 60_000);
      early.child.kill('SIGINT');
      expect(await early.exited).toBe(0);
      expect(early.output()).toContain('"name":"start","message":"stopped"');
      expect(early.output()).not.toContain('jao-scraper is running');
      expect(processesMentioning(earlyDir)).toEqual([]);
    } finally {
      rmSync(earlyDir, { recursive: true, force: true });
    }
  });
});
