// What JaoTemporalConnectionFailing (deploy/prometheus/jao.rules.yml) reads, on a real worker's /metrics: the SDK's
// long polls while its Temporal answers, their failures once that server is gone, and polls that succeed again, with
// no restart, once a server answers on its address again. A dev server of this file's own, stopped and replaced.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { freePort } from '../../common/ports';
import { type DevServer, startDevServer } from '../../devstack/devServer';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type JaoProcess, REPO_ROOT, spawnJao, stopProcess } from '../helpers/processes';
import { uniqueTaskQueue } from '../helpers/temporal';

const ALERT = 'JaoTemporalConnectionFailing';

/** The metric names the alert's expression reads (the SDK's, `temporal_*`). */
function alertMetrics(): string[] {
  const rules = z
    .object({
      groups: z.array(
        z.object({ rules: z.array(z.object({ alert: z.string().optional(), expr: z.string() })) }),
      ),
    })
    .parse(parse(readFileSync(join(REPO_ROOT, 'deploy', 'prometheus', 'jao.rules.yml'), 'utf8')));
  const expr = rules.groups.flatMap((group) => group.rules).find((rule) => rule.alert === ALERT)?.expr;
  return [...new Set(expr?.match(/\btemporal_[a-z_]+/g) ?? [])].sort();
}

/** Every sample's value summed per metric name, from the Prometheus text format. */
function totals(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (sample?.[1] && sample[2]) sums.set(sample[1], (sums.get(sample[1]) ?? 0) + Number(sample[2]));
  }
  return sums;
}

/** Empty long polls come back after 5 s instead of 30: polls are counted sooner. */
const SHORT_POLLS = { dynamicConfig: { 'matching.longPollExpirationInterval': '5s' } };

describe("the worker's Temporal connection in its metrics", () => {
  let db: TestDatabase;
  let server: DevServer | undefined;
  let worker: JaoProcess | undefined;
  let port: number;
  let metricsPort: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    port = await freePort();
    metricsPort = await freePort();
    server = await startDevServer({ port, ...SHORT_POLLS });
  });
  afterAll(async () => {
    if (worker) await stopProcess(worker, 'SIGKILL');
    await server?.stop();
    await db?.release();
  });

  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(response.status).toBe(200);
    const sums = totals(await response.text());
    const polls = sums.get('temporal_long_request') ?? 0;
    const failed = sums.get('temporal_long_request_failure') ?? 0;
    return { names: new Set(sums.keys()), polls, failed, succeeded: polls - failed };
  };

  it('counts the polls, then their failures while Temporal is gone, then successes again', async () => {
    expect(alertMetrics()).toEqual(['temporal_long_request', 'temporal_long_request_failure']);
    worker = spawnJao(['worker', '--no-schedule'], {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('temporal-metrics'),
      JAO_BASE_URL: `http://127.0.0.1:${await freePort()}`,
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    });
    await worker.waitFor('worker polling task queue');
    await expect
      .poll(async () => (await scrape()).polls, { interval: 100, timeout: 15_000 })
      .toBeGreaterThan(0);
    expect((await scrape()).failed).toBe(0);

    await server?.stop();
    server = undefined;
    // nearly every poll fails from now on: the SDK retries them at once
    await expect
      .poll(async () => (await scrape()).failed, { interval: 250, timeout: 30_000 })
      .toBeGreaterThanOrEqual(50);
    const away = await scrape();
    for (const name of alertMetrics()) expect(away.names, name).toContain(name);
    expect(away.failed / away.polls).toBeGreaterThan(0.5);
    expect(worker.child.exitCode).toBeNull();

    server = await startDevServer({ port, ...SHORT_POLLS });
    // polls that do not fail again: the same worker process, no restart
    await expect
      .poll(async () => (await scrape()).succeeded, { interval: 250, timeout: 60_000 })
      .toBeGreaterThan(away.succeeded + 5);
    const back = await scrape();
    await expect
      .poll(async () => (await scrape()).polls - back.polls, { interval: 250, timeout: 60_000 })
      .toBeGreaterThan(0);
    const later = await scrape();
    expect(later.failed - back.failed).toBeLessThan(later.polls - back.polls);
    expect(worker.child.exitCode).toBeNull();
  });
});
