import { stripVTControlCharacters } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiLoggerOptions } from '../../api/server';
import { ConfigError, loadConfig } from '../../common/config';
import { createLogger, type LineSink, type LogOutputOptions, logFormatFromEnv } from '../../common/logger';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SECRET = 's3cret-key-1';

type Line = Record<string, unknown>;

/** A sink keeping every line it is given; `isTTY` makes it look like a terminal. */
function memorySink(isTTY = false): LineSink & { isTTY: boolean; lines: string[] } {
  const lines: string[] = [];
  return { isTTY, lines, write: (line) => lines.push(line) };
}

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as Line);

/** An API like the real one's logging: Fastify with apiLoggerOptions, one route that logs, one that fails. */
async function apiWith(output: LogOutputOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: apiLoggerOptions('info', output) });
  app.get('/logs', async (request) => {
    request.log.info({ day: '2025-09-01' }, 'day served');
    return { ok: true };
  });
  app.get('/fails', async (request) => {
    const error = new TypeError('x is not a function', { cause: new Error('connect ECONNREFUSED') });
    request.log.error({ err: error }, 'request failed');
    throw error;
  });
  await app.ready();
  return app;
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function startApi(output: LogOutputOptions): Promise<FastifyInstance> {
  const app = await apiWith(output);
  apps.push(app);
  return app;
}

describe('one log shape for the API and the worker', () => {
  it('writes the same keys for the same entry: level label, ISO time, name, message and the fields', async () => {
    const apiSink = memorySink();
    const workerSink = memorySink();
    const api = await startApi({ sink: apiSink, format: 'json' });
    const worker = createLogger('worker', { level: 'info', format: 'json', sink: workerSink });
    api.log.info({ day: '2025-09-01' }, 'day stored');
    worker.info({ day: '2025-09-01' }, 'day stored');
    const [apiLine] = parsed(apiSink.lines);
    const [workerLine] = parsed(workerSink.lines);
    expect(Object.keys(apiLine ?? {}).sort()).toEqual(Object.keys(workerLine ?? {}).sort());
    expect(apiLine).toEqual({ ...workerLine, time: expect.stringMatching(ISO_TIME), name: 'api' });
    expect(workerLine).toEqual({
      level: 'info',
      time: expect.stringMatching(ISO_TIME),
      name: 'worker',
      day: '2025-09-01',
      message: 'day stored',
    });
  });

  it("keeps Fastify's request fields, without pid or hostname", async () => {
    const sink = memorySink();
    const api = await startApi({ sink, format: 'json' });
    expect((await api.inject({ url: '/logs' })).statusCode).toBe(200);
    const [incoming, served, completed] = parsed(sink.lines);
    const common = { level: 'info', time: expect.stringMatching(ISO_TIME), name: 'api', reqId: 'req-1' };
    expect(incoming).toEqual({
      ...common,
      req: expect.objectContaining({ method: 'GET', url: '/logs' }),
      message: 'incoming request',
    });
    expect(served).toEqual({ ...common, day: '2025-09-01', message: 'day served' });
    expect(completed).toEqual({
      ...common,
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      message: 'request completed',
    });
  });

  it('describes an error under err as the worker describes one under error', async () => {
    const sink = memorySink();
    const api = await startApi({ sink, format: 'json' });
    expect((await api.inject({ url: '/fails' })).statusCode).toBe(500);
    const failed = parsed(sink.lines).filter((line) => line.level === 'error');
    expect(failed.length).toBeGreaterThan(0);
    for (const line of failed) {
      expect(line).toMatchObject({
        name: 'api',
        err: {
          type: 'TypeError',
          message: 'x is not a function',
          stack: expect.stringContaining('TypeError: x is not a function'),
          cause: { type: 'Error', message: 'connect ECONNREFUSED' },
        },
      });
    }
    expect(failed[0]?.message).toBe('request failed');
  });

  it("masks secrets and bearer tokens, and redacts the API's key headers", async () => {
    const sink = memorySink();
    const api = await startApi({ sink, format: 'json', secrets: [SECRET] });
    api.log.info(
      { headers: { authorization: 'Basic dXNlcjpwYXNz' }, echo: `key ${SECRET}` },
      'Bearer abc.def-123',
    );
    expect(parsed(sink.lines)).toEqual([
      expect.objectContaining({
        headers: { authorization: '[redacted]' },
        echo: 'key [redacted]',
        message: 'Bearer [redacted]',
      }),
    ]);
  });
});

describe('LOG_FORMAT', () => {
  function workerLines(options: LogOutputOptions & { sink: LineSink & { lines: string[] } }): string[] {
    createLogger('worker', { level: 'info', secrets: [SECRET], ...options }).warn(
      { apiKey: SECRET },
      'JAO answered 403',
    );
    return options.sink.lines;
  }

  it('pretty: readable lines with level, name, message and fields, secrets masked before printing', () => {
    const [line = ''] = workerLines({ sink: memorySink(), format: 'pretty' });
    expect(() => JSON.parse(line)).toThrow();
    expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] WARN \(worker\): JAO answered 403 /);
    expect(line).toContain('"apiKey":"[redacted]"');
    expect(line).not.toContain(SECRET);
    expect(line.endsWith('\n')).toBe(true);
  });

  it('json: JSON lines, even on a terminal', () => {
    const [line = ''] = workerLines({ sink: memorySink(true), format: 'json' });
    expect(JSON.parse(line)).toMatchObject({ level: 'warn', name: 'worker', apiKey: '[redacted]' });
  });

  it('unset: pretty on a terminal, JSON anywhere else', () => {
    vi.stubEnv('LOG_FORMAT', undefined);
    const [piped = ''] = workerLines({ sink: memorySink(false) });
    expect(JSON.parse(piped)).toMatchObject({ message: 'JAO answered 403' });
    const [terminal = ''] = workerLines({ sink: memorySink(true) });
    // Coloured where the terminal takes colours.
    expect(stripVTControlCharacters(terminal)).toContain('WARN (worker): JAO answered 403');
  });

  it('is read from the environment; the API follows it too', async () => {
    vi.stubEnv('LOG_FORMAT', 'pretty');
    const [line = ''] = workerLines({ sink: memorySink(false) });
    expect(line).toContain('WARN (worker): JAO answered 403');
    const sink = memorySink(false);
    const api = await startApi({ sink });
    await api.inject({ url: '/logs' });
    expect(sink.lines[0]).toMatch(/^\[[\d:.]+\] INFO \(api\): incoming request /);
    vi.stubEnv('LOG_FORMAT', 'json');
    expect(JSON.parse(workerLines({ sink: memorySink(true) })[0] ?? '')).toMatchObject({ level: 'warn' });
  });

  it('is validated: the configuration refuses another value, a logger without it decides by its sink', () => {
    expect(loadConfig({}).LOG_FORMAT).toBeUndefined();
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'yaml' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_FORMAT: 'yaml' })).toThrow(/LOG_FORMAT/);
    expect(logFormatFromEnv({ LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormatFromEnv({ LOG_FORMAT: 'yaml' })).toBeUndefined();
    expect(logFormatFromEnv({})).toBeUndefined();
  });
});
