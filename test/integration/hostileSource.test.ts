// A hostile upstream against a worker process at the deployed heap (--max-old-space-size=256, Dockerfile): a 60 MB
// answer ends its day invalid and the worker serves the next day; an upstream echoing the API key gets it into
// neither jao.delivery_day.last_error nor the logs, and the logs carry the failure's message.
// Days 2025-09-10..2025-09-13 (no other test file uses them).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadRawResponse, storeRawResponse } from '../../db/rawResponse';
import { DEFAULT_MAX_BODY_BYTES, KEPT_PREFIX_BYTES } from '../../domain/bodyLimit';
import { dayWindow } from '../../domain/calendar';
import { storedAnswerLimit } from '../../domain/storedAnswerLimit';
import { dayWorkflowId } from '../../domain/workflowInputs';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import type { deliveryDayWorkflow } from '../../workflows';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type JaoProcess, spawnJao, stopProcess } from '../helpers/processes';
import { connectTemporal, type TemporalTestContext, uniqueTaskQueue } from '../helpers/temporal';

const HUGE_DAY = '2025-09-10';
const NORMAL_DAY = '2025-09-11';
const ECHO_DAY = '2025-09-12';
const STORED_HUGE_DAY = '2025-09-13';
const HUGE_BYTES = 60 * 1024 * 1024;
const API_KEY = 'test-api-key-6f1c2e9a41d7';
const CORE_KEYS = 132;

/** Streams `total` bytes of small JSON rows, honouring backpressure, until done or the client goes away. */
function streamHugeAnswer(res: import('node:http').ServerResponse, total: number): void {
  const row = '{"dateTimeUtc":"2025-09-09T22:00:00Z","border_AT_BE":1},';
  const chunk = Buffer.from(row.repeat(Math.floor((1024 * 1024) / row.length)));
  res.writeHead(200, { 'content-type': 'application/json' });
  let sent = 0;
  let gone = false;
  res.on('close', () => {
    gone = true;
  });
  const pump = () => {
    while (!gone && sent < total) {
      sent += chunk.length;
      if (!res.write(sent === chunk.length ? Buffer.concat([Buffer.from('{"data":['), chunk]) : chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!gone) res.end('{}],"rejected":false,"messages":null}');
  };
  pump();
}

describe('a hostile upstream', () => {
  let db: TestDatabase;
  let temporal: TemporalTestContext;
  let simulator: SimulatorHandle;
  let upstream: Server;
  let worker: JaoProcess;
  const taskQueue = uniqueTaskQueue('hostile');

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTemporal();
    simulator = await startSimulator();
    upstream = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      const from = url.searchParams.get('FromUtc');
      if (from === dayWindow(HUGE_DAY).from) return streamHugeAnswer(res, HUGE_BYTES);
      if (from === dayWindow(ECHO_DAY).from) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'forbidden', youSent: req.headers.authorization, key: API_KEY }));
        return;
      }
      fetch(`${simulator.origin}${url.pathname}${url.search}`).then(
        async (answer) => {
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(await answer.text());
        },
        () => {
          res.writeHead(502);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;

    worker = spawnJao(['worker', '--no-schedule'], {
      NODE_OPTIONS: '--max-old-space-size=256',
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      JAO_BASE_URL: `http://127.0.0.1:${port}`,
      JAO_API_KEY: API_KEY,
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    });
    await worker.waitFor('worker polling task queue', 90_000);
  });

  afterAll(async () => {
    if (worker) await stopProcess(worker, 'SIGKILL');
    await new Promise((resolve) => upstream?.close(resolve));
    await simulator?.close();
    await temporal?.close();
    await db?.release();
  });

  /** The day's workflow result; fails at once if the worker process dies meanwhile. */
  const runDay = (day: string) =>
    Promise.race([
      temporal.client.workflow.execute<typeof deliveryDayWorkflow>('deliveryDayWorkflow', {
        workflowId: dayWorkflowId('maxExchanges', day),
        taskQueue,
        args: [{ dataset: 'maxExchanges', day, trigger: 'manual' }],
      }),
      worker.exited.then((code) => {
        throw new Error(`the worker exited (${code}):\n${worker.output().slice(-1500)}`);
      }),
    ]);

  async function dayRow(day: string) {
    const result = await db.pool.query<{ status: string; last_error: string | null }>(
      'SELECT status, last_error FROM jao.delivery_day WHERE day = $1',
      [day],
    );
    return result.rows[0];
  }

  it('ends a day whose answer is 60 MB invalid, keeps only its beginning, and stays alive for the next day', async () => {
    const result = await runDay(HUGE_DAY);
    expect(result).toMatchObject({ day: HUGE_DAY, status: 'invalid', points: 0 });
    expect(worker.child.exitCode).toBeNull();
    const row = await dayRow(HUGE_DAY);
    expect(row?.status).toBe('invalid');
    expect(row?.last_error).toMatch(
      /^answer larger than JAO_MAX_BODY_BYTES \(8\.0 MiB\): reading stopped after 8\.\d MiB$/,
    );
    const raw = await db.pool.query<{ stored: number; bytes: number; truncated_reason: string }>(
      `SELECT octet_length(body) AS stored, bytes, truncated_reason FROM jao.raw_response WHERE day = $1`,
      [HUGE_DAY],
    );
    expect(raw.rows).toHaveLength(1);
    expect(raw.rows[0]!.stored).toBe(KEPT_PREFIX_BYTES);
    expect(raw.rows[0]!.bytes).toBeGreaterThan(DEFAULT_MAX_BODY_BYTES);
    expect(raw.rows[0]!.bytes).toBeLessThan(HUGE_BYTES / 4);
    expect(raw.rows[0]!.truncated_reason).toBe(row?.last_error);

    const next = await runDay(NORMAL_DAY);
    expect(next).toMatchObject({ day: NORMAL_DAY, status: 'complete', mtus: 24, points: 24 * CORE_KEYS });
    expect(worker.child.exitCode).toBeNull();
  });

  it('keeps an API key the upstream echoes out of last_error and the logs, which carry the failure message', async () => {
    const failure = await runDay(ECHO_DAY).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const row = await dayRow(ECHO_DAY);
    expect(row?.status).toBe('failed');
    expect(row?.last_error).toContain('HTTP 403');
    expect(row?.last_error).toContain('"youSent":"Bearer [redacted]"');
    expect(row?.last_error).toContain('"key":"[redacted]"');
    expect(row?.last_error).not.toContain(API_KEY);

    await worker.waitFor(`JAO refused the request for ${ECHO_DAY}`, 10_000);
    const lines = worker
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message: string; error?: { type: string; message: string } });
    const failed = lines.find(
      (line) => line.message === 'Activity failed' && line.error?.message.includes(ECHO_DAY),
    );
    expect(failed?.error).toMatchObject({
      type: 'JaoPermanentError',
      message: expect.stringMatching(new RegExp(`^JAO refused the request for ${ECHO_DAY}: HTTP 403: `)),
    });
    expect(worker.output()).not.toContain(API_KEY);
    expect(worker.output()).not.toContain('"error":{}');
  });

  it('does not load a stored answer larger than the limit when re-processing it', async () => {
    const stored = await storeRawResponse(db.pool, {
      dataset: 'maxExchanges',
      day: STORED_HUGE_DAY,
      requestWindow: dayWindow(STORED_HUGE_DAY),
      httpStatus: 200,
      body: `{"data":[${'{},'.repeat(3 * 1024 * 1024)}{}],"rejected":false,"messages":null}`,
    });
    const loaded = await loadRawResponse(
      db.pool,
      stored.id,
      storedAnswerLimit('maxExchanges', DEFAULT_MAX_BODY_BYTES),
    );
    expect(loaded).toMatchObject({
      body: null,
      refused: `stored answer of ${stored.bytes} bytes is larger than JAO_MAX_BODY_BYTES (${DEFAULT_MAX_BODY_BYTES}): not re-processed`,
    });
  });
});
