// TimescaleDB's background jobs watched (issue 30): a job that really fails in the server's scheduler is named by
// `jao health` (exit 1) with its error, for the superuser and for jao_writer, and its gauges say so. On plain
// PostgreSQL health says nothing about jobs and never errors over them.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readEngine } from '../../db/engine';
import { readTimescaleJobs } from '../../db/timescaleJobs';
import { healthGauges } from '../../domain/healthMetrics';
import { gatherHealthFacts, type HealthSettings } from '../../workers/healthFacts';
import { runCli } from '../helpers/cli';
import { testPool } from '../helpers/connections';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { uniqueTaskQueue } from '../helpers/temporal';
import { untilRead } from '../helpers/until';

const SKIP_NOTE = 'needs TimescaleDB: DATABASE_URL points at a server without it';
const FAILURE = 'this job fails on purpose, jao test';

let db: TestDatabase;
let timescale = false;
let engineLine = '';

beforeAll(async () => {
  db = await createTestDatabase();
  const engine = await readEngine(db.pool);
  timescale = engine.kind === 'timescaledb';
  engineLine = engine.line;
});

afterAll(async () => {
  await db?.release();
});

const env = () => ({
  DATABASE_URL: db.url,
  TEMPORAL_ADDRESS: inject('temporalAddress'),
  TEMPORAL_NAMESPACE: inject('temporalNamespace'),
  TEMPORAL_TASK_QUEUE: uniqueTaskQueue('jobs'),
});

const SETTINGS: HealthSettings = {
  TEMPORAL_NAMESPACE: 'unused',
  TEMPORAL_TASK_QUEUE: 'unused',
  HEALTH_POLLER_STALE_AFTER: 45_000,
  HEALTH_WINDOW_DAYS: 31,
  FRESHNESS_DEADLINE: '12:00',
  ARCHIVE_MAX_LAG: 3_600_000,
  JAO_DATASETS: ['maxExchanges'],
};

/** The database's facts alone (Temporal left out: these tests are about the database). */
async function databaseFacts(pool: pg.Pool) {
  return gatherHealthFacts(
    SETTINGS,
    {
      temporal: () => Promise.reject(new Error('not asked in this test')),
      database: (use) => use(pool),
    },
    new Date(),
  );
}

function writerPool(): pg.Pool {
  const url = new URL(db.url);
  url.username = 'jao_writer';
  url.password = '';
  return testPool({ connectionString: url.toString(), max: 1 });
}

describe('TimescaleDB background jobs in jao health', () => {
  it('on TimescaleDB: names a job of jao whose run failed in the scheduler, with its error, and exports it; not a job of another schema', async (ctx) => {
    ctx.skip(!timescale, `${SKIP_NOTE} (${engineLine})`);
    // One job of jao's and, as TimescaleDB's own telemetry job on a server without a route to the internet, one
    // job that is not the pipeline's: both fail.
    for (const schema of ['jao', 'public'])
      await db.pool.query(`
        CREATE PROCEDURE ${schema}.job_that_fails(job_id integer, config jsonb) LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION '${FAILURE}';
        END $$`);
    const addJob = async (proc: string) =>
      (
        await db.pool.query<{ id: number }>(
          `SELECT add_job($1::regproc, INTERVAL '1 hour', initial_start => now()) AS id`,
          [proc],
        )
      ).rows[0]!.id;
    const id = await addJob('jao.job_that_fails');
    const otherId = await addJob('public.job_that_fails');
    // A database cloned from the template has no scheduler until the launcher's next scan: start it now.
    await db.pool.query('SELECT _timescaledb_functions.start_background_workers()');
    const failed = await untilRead(
      'both jobs failed in the scheduler',
      async () => {
        const stats = await db.pool.query<{ failed: number }>(
          `SELECT count(*)::int AS failed FROM timescaledb_information.job_stats
            WHERE job_id = ANY ($1::int[]) AND last_run_status = 'Failed'`,
          [[id, otherId]],
        );
        return stats.rows[0]!.failed;
      },
      (count) => count >= 2,
      { timeoutMs: 120_000 },
    );
    expect(failed).toBe(2);

    const health = await runCli(['health', '--json'], env());
    expect(health.code).toBe(1);
    const verdict = JSON.parse(health.stdout) as { problems: string[] };
    const line = new RegExp(`^timescaledb job ${id} \\(jao\\.job_that_fails\\) failed at \\S+Z: ${FAILURE}$`);
    expect(
      verdict.problems.filter((problem) => line.test(problem)),
      verdict.problems.join('\n'),
    ).toHaveLength(1);
    expect(verdict.problems.filter((problem) => problem.startsWith(`timescaledb job ${otherId} `))).toEqual(
      [],
    );

    // The worker's health check runs as jao_writer: the same line, error included, and the gauges.
    const writer = writerPool();
    try {
      const facts = await databaseFacts(writer);
      expect(facts.databaseError).toBeNull();
      const jobs = facts.timescaleJobs && 'jobs' in facts.timescaleJobs ? facts.timescaleJobs.jobs : [];
      expect(jobs.find((job) => job.id === id)).toMatchObject({
        proc: 'jao.job_that_fails',
        target: null,
        lastRunStatus: 'Failed',
        lastError: FAILURE,
      });
      expect(jobs.map((job) => job.id)).not.toContain(otherId);
      const labels = { job_id: String(id), proc: 'jao.job_that_fails', target: '' };
      const readings = healthGauges(facts).filter((reading) => reading.labels.job_id === String(id));
      expect(readings).toEqual([
        { name: 'jao_timescaledb_job_last_success_timestamp_seconds', labels, value: 0 },
        {
          name: 'jao_timescaledb_job_last_failure_timestamp_seconds',
          labels,
          value: expect.any(Number),
        },
        { name: 'jao_timescaledb_job_failing', labels, value: 1 },
      ]);
      expect(readings[1]!.value).toBeGreaterThan(0);
      expect(healthGauges(facts)).toContainEqual({
        name: 'jao_health_source_up',
        labels: { source: 'timescaledb_jobs' },
        value: 1,
      });
    } finally {
      await writer.end();
    }

    // Paused and its failure no longer the last word: still named, until it succeeds again.
    await db.pool.query('SELECT alter_job($1, scheduled => false)', [id]);
    const paused = JSON.parse((await runCli(['health', '--json'], env())).stdout) as { problems: string[] };
    expect(paused.problems.filter((problem) => problem.startsWith(`timescaledb job ${id} `))).toEqual([
      expect.stringMatching(/ failed at \S+, paused: /),
    ]);
  });

  it('on plain PostgreSQL: says nothing about jobs and exports no job gauge', async (ctx) => {
    ctx.skip(timescale, `plain PostgreSQL only (${engineLine})`);
    expect(await readTimescaleJobs(db.pool)).toBeNull();
    const facts = await databaseFacts(db.pool);
    expect(facts.databaseError).toBeNull();
    expect(facts.timescaleJobs).toBeUndefined();
    expect(
      healthGauges(facts).filter((reading) => /timescaledb/.test(`${reading.name} ${reading.labels.source}`)),
    ).toEqual([]);
    const health = await runCli(['health', '--json'], env());
    const verdict = JSON.parse(health.stdout) as { problems: string[] };
    expect(verdict.problems.length).toBeGreaterThan(0); // the schedules of this queue do not exist
    expect(verdict.problems.filter((problem) => /timescaledb/i.test(problem))).toEqual([]);
  });
});
