// The CLI as a person runs it: user mistakes are one line on stderr with exit code 2, never a stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unknownDatasetMessage } from '../../domain/datasets';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

import { addDays, marketTomorrow } from '../../domain/calendar';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

describe('jao CLI', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.release();
  });

  // Two days after tomorrow: still after tomorrow should the run cross midnight before the CLI reads its clock.
  const afterTomorrow = addDays(marketTomorrow(new Date()), 2);
  const mistakes: [string, string[], RegExp, NodeJS.ProcessEnv?][] = [
    [
      'a date in the form that is no day of the calendar',
      ['backfill', '--from', '2023-02-30', '--to', '2023-03-02'],
      /^jao backfill: from: 2023-02-30 is not a day of the calendar \(help: jao backfill --help\)$/,
    ],
    ['a reversed range', ['backfill', '--from', '2023-03-05', '--to', '2023-03-01'], /reversed/],
    [
      'a day before go-live',
      ['backfill', '--from', '2022-06-08', '--to', '2022-06-10'],
      /before .*2022-06-09/,
    ],
    ['a day after tomorrow', ['backfill', '--from', '2023-01-01', '--to', afterTomorrow], /after tomorrow/],
    [
      'concurrency below 1',
      ['backfill', '--from', '2023-01-01', '--to', '2023-01-02', '--concurrency', '0'],
      /concurrency must be at least 1/,
    ],
    [
      'an unknown mode',
      ['backfill', '--from', '2023-01-01', '--to', '2023-01-02', '--mode', 'some'],
      /mode must be one of missing, failed, all/,
    ],
    ['a missing --to', ['backfill', '--from', '2023-01-01'], /--from and --to are required/],
    [
      'an unknown option',
      ['backfill', '--from', '2023-01-01', '--to', '2023-01-02', '--fast'],
      /Unknown option '--fast'/,
    ],
    ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    [
      'an unknown schedule action',
      ['schedule', 'explode'],
      /expected one of create, pause, unpause, trigger, describe/,
    ],
    ['rerun without days or --failed', ['rerun'], /--failed/],
    ['rerun of a malformed day', ['rerun', '2023-1-5'], /"2023-1-5" is not a date/],
    [
      'rerun of a day no calendar has, named once',
      ['rerun', '2026-11-31'],
      /^jao rerun: 2026-11-31 is not a day of the calendar \(help: jao rerun --help\)$/,
    ],
    [
      'a reversed range, its command named once',
      ['backfill', '--from', '2023-03-05', '--to', '2023-03-01'],
      /^jao backfill: the range is reversed: from 2023-03-05 is after to 2023-03-01 \(help: jao backfill --help\)$/,
    ],
    [
      'a status of days after tomorrow, as the API refuses them',
      ['status', '--from', afterTomorrow],
      new RegExp(
        `^jao status: --from ${afterTomorrow} is after tomorrow \\(\\d{4}-\\d\\d-\\d\\d\\): nothing is published for it yet \\(help: jao status --help\\)$`,
      ),
    ],
    ['a bad status range', ['status', '--from', '2023-01-05', '--to', '2023-01-01'], /reversed/],
    [
      'a status --to that is not a day',
      ['status', '--to', '2023-13-01'],
      /^jao status: --to: .*2023-13-01.* \(help: jao status --help\)$/,
    ],
    [
      'an unknown dataset',
      ['status', '--dataset', 'nordic'],
      new RegExp(
        `^${escapeRegExp(`jao status: ${unknownDatasetMessage('nordic')} (help: jao status --help)`)}$`,
      ),
    ],
    [
      'a bad environment',
      ['backfill', '--from', '2023-01-01', '--to', '2023-01-02', '--dry-run'],
      /JAO_MAX_REQUESTS_PER_MINUTE/,
      { JAO_MAX_REQUESTS_PER_MINUTE: 'lots' },
    ],
    ['a bad simulator option', ['simulate', '--error-rate', '3'], /error-rate/],
    [
      'a stray argument',
      ['backfill', '2024-01-01', '--from', '2024-01-01', '--to', '2024-01-02'],
      /^jao backfill: unexpected argument "2024-01-01" \(help: jao backfill --help\)$/,
    ],
    [
      'a negative concurrency',
      ['backfill', '--from', '2024-01-01', '--to', '2024-01-02', '--concurrency', '-1'],
      /concurrency must be at least 1 \(help: jao backfill --help\)$/,
    ],
    [
      'a hexadecimal concurrency',
      ['rerun', '--failed', '--concurrency', '0x10'],
      /concurrency must be a whole number in decimal digits, got "0x10" \(help: jao rerun --help\)$/,
    ],
    [
      'a metrics port out of range and a file URL as JAO origin',
      ['worker'],
      /^jao worker: invalid configuration: JAO_BASE_URL: expected an http or https origin .*; METRICS_PORT: expected a number from 0 to 65535$/,
      { METRICS_PORT: '99999', JAO_BASE_URL: 'file:///etc/passwd' },
    ],
  ];

  it.concurrent.each(mistakes)(
    'refuses %s with one line and exit code 2',
    async (_name, args, message, env) => {
      const { code, stdout, stderr } = await runCli(args, { DATABASE_URL: db.url, ...env });
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      const lines = stderr.split('\n').filter((line) => line.trim() && !line.includes('npm warn'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
    },
  );

  it('dry-runs a backfill: days, requests and the time the rate limit implies', async () => {
    const { code, stdout } = await runCli(
      ['backfill', '--from', '2022-10-01', '--to', '2022-12-30', '--dry-run', '--mode', 'all'],
      { DATABASE_URL: db.url, JAO_MAX_REQUESTS_PER_MINUTE: '60' },
    );
    expect(code).toBe(0);
    expect(stdout).toContain(
      'days: 91 (2022-10-01 2022-10-02 2022-10-03 2022-10-04 2022-10-05 … 2022-12-28 2022-12-29 2022-12-30)',
    );
    expect(stdout).toContain('requests: at least 91');
    expect(stdout).toContain('minimum duration at 60 requests/min: 1.5 min');
  });

  it('dry-runs the presolved final domain from go-live: two requests a day, within the one budget', async () => {
    const { code, stdout } = await runCli(
      [
        'backfill',
        '--dataset',
        'coreFinalComputation',
        '--from',
        '2022-06-09',
        '--to',
        '2026-11-25',
        '--dry-run',
        '--mode',
        'all',
      ],
      { DATABASE_URL: db.url, JAO_MAX_REQUESTS_PER_MINUTE: '90' },
    );
    expect(code).toBe(0);
    expect(stdout).toContain('days: 1631 (');
    expect(stdout).toContain(
      'requests: at least 3262 (a count probe and one page of 5,000 rows per day; a day of more rows, or one whose count moves while it is paged, takes more)',
    );
    expect(stdout).toContain('minimum duration at 90 requests/min: 36.2 min');
  });

  it('dry-runs rerun --failed without starting anything (Temporal is not even reachable)', async () => {
    await db.pool.query(
      `INSERT INTO jao.delivery_day (dataset, day, status, expected_mtus)
       VALUES ('maxExchanges', '2025-09-03', 'failed', 24), ('maxExchanges', '2025-09-04', 'complete', 24)`,
    );
    const { code, stdout, stderr } = await runCli(
      ['rerun', '--failed', '--from', '2025-09-01', '--to', '2025-09-05', '--dry-run'],
      { DATABASE_URL: db.url, TEMPORAL_ADDRESS: '127.0.0.1:1' },
    );
    expect({ code, stderr: stderr.replace(/^npm warn.*\n/gm, '') }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('backfill maxExchanges 2025-09-01..2025-09-05, mode failed, concurrency 4');
    expect(stdout).toContain('days: 1 (2025-09-03)');
  });

  it('prints the status grid as JSON with every day of the range', async () => {
    const { code, stdout } = await runCli(
      ['status', '--from', '2023-01-01', '--to', '2023-01-03', '--json'],
      {
        DATABASE_URL: db.url,
      },
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      days: { day: string; status: string; late: boolean }[];
      gaps: unknown[];
    };
    expect(report.days.map((line) => [line.day, line.status, line.late])).toEqual([
      ['2023-01-01', 'missing', true],
      ['2023-01-02', 'missing', true],
      ['2023-01-03', 'missing', true],
    ]);
    expect(report.gaps).toEqual([{ from: '2023-01-01', to: '2023-01-03', days: 3 }]);
  });

  it("shows a dataset's days with --dataset, and re-runs only its failed days", async () => {
    await db.pool.query(
      `INSERT INTO jao.delivery_day (dataset, day, status, expected_mtus, received_mtus)
       VALUES ('nordicMaxExchanges', '2025-10-25', 'complete', 96, 96),
              ('nordicMaxExchanges', '2025-10-26', 'complete', 100, 100),
              ('nordicMaxExchanges', '2025-10-27', 'failed', 96, 0),
              ('maxExchanges', '2025-10-25', 'failed', 24, 0)`,
    );
    const env = { DATABASE_URL: db.url, TEMPORAL_ADDRESS: '127.0.0.1:1' };
    const range = ['--from', '2025-10-25', '--to', '2025-10-27'];
    // Both at once: each spends most of its time starting up.
    const [json, rerun] = await Promise.all([
      runCli(['status', ...range, '--dataset', 'nordic/maxExchanges', '--json'], env),
      runCli(['rerun', '--failed', ...range, '--dataset', 'nordicMaxExchanges', '--dry-run'], env),
    ]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as {
      dataset: string;
      days: { day: string; status: string; receivedMtus: number; expectedMtus: number }[];
    };
    expect(report.dataset).toBe('nordicMaxExchanges');
    expect(report.days.map((line) => [line.day, line.status, line.receivedMtus, line.expectedMtus])).toEqual([
      ['2025-10-25', 'complete', 96, 96],
      ['2025-10-26', 'complete', 100, 100],
      ['2025-10-27', 'failed', 0, 96],
    ]);
    expect(rerun.stdout).toContain('backfill nordicMaxExchanges 2025-10-25..2025-10-27, mode failed');
    expect(rerun.stdout).toContain('days: 1 (2025-10-27)');
  });
});
