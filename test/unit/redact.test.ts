import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createLogger, describeError } from '../../common/logger';
import { redactSecrets } from '../../common/redact';

describe('redactSecrets', () => {
  it('masks the configured key, its URL-encoded form and any bearer token', () => {
    const key = 'k3y/with+chars==';
    const text = `HTTP 403: {"echo":"Bearer ${key}","q":"${encodeURIComponent(key)}","raw":"${key}","other":"Bearer abc.def-123"}`;
    expect(redactSecrets(text, [key])).toBe(
      'HTTP 403: {"echo":"Bearer [redacted]","q":"[redacted]","raw":"[redacted]","other":"Bearer [redacted]"}',
    );
  });

  it('leaves text without secrets alone, and ignores absent or tiny secrets', () => {
    expect(redactSecrets('HTTP 503: try later', [undefined, 'a'])).toBe('HTTP 503: try later');
  });
});

describe('log lines', () => {
  it('describe errors by type, message, causes and, for unexpected ones, stack', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const unexpected = new TypeError('x is not a function', { cause });
    const described = describeError(unexpected);
    expect(described).toMatchObject({
      type: 'TypeError',
      message: 'x is not a function',
      cause: { type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' },
    });
    expect(described.stack).toContain('TypeError: x is not a function');

    const expected = ApplicationFailure.nonRetryable('JAO refused the request', 'JaoPermanentError');
    expect(describeError(expected)).toEqual({
      type: 'JaoPermanentError',
      message: 'JAO refused the request',
      nonRetryable: true,
    });
  });

  /** The lines a logger writes, parsed. */
  function capture(options: { secrets?: string[]; level?: 'debug' | 'info' | 'warn' | 'error' } = {}) {
    const lines: string[] = [];
    const logger = createLogger('worker', { ...options, sink: { write: (line) => lines.push(line) } });
    return { logger, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  }

  it('are JSON lines with time, level, name and message, at LOG_LEVEL and above', () => {
    const { logger, lines } = capture({ level: 'info' });
    logger.debug('not shown');
    logger.child({ workflowId: 'maxExchanges/day/2025-09-01' }).info({ attempt: 2 }, 'day written');
    expect(lines()).toEqual([
      {
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        level: 'info',
        name: 'worker',
        workflowId: 'maxExchanges/day/2025-09-01',
        attempt: 2,
        message: 'day written',
      },
    ]);
  });

  it('serialize an error field instead of writing {} and mask secrets in the whole line', () => {
    const { logger, lines } = capture({ secrets: ['s3cret-key-1'] });
    logger.warn(
      {
        error: ApplicationFailure.nonRetryable('HTTP 403: Bearer s3cret-key-1', 'JaoPermanentError'),
        apiKey: 's3cret-key-1',
      },
      'Activity failed',
    );
    expect(lines()).toEqual([
      {
        time: expect.any(String),
        level: 'warn',
        name: 'worker',
        message: 'Activity failed',
        error: { type: 'JaoPermanentError', message: 'HTTP 403: Bearer [redacted]', nonRetryable: true },
        apiKey: '[redacted]',
      },
    ]);
  });

  it('describe errors nested in fields, and an error given as the entry itself', () => {
    const { logger, lines } = capture();
    logger.error(new TypeError('x is not a function'), 'unexpected');
    logger.info({ failures: [new RangeError('out of range')] }, 'nested');
    const [unexpected, nested] = lines();
    expect(unexpected?.error).toMatchObject({ type: 'TypeError', message: 'x is not a function' });
    expect(nested?.failures).toEqual([
      { type: 'RangeError', message: 'out of range', stack: expect.stringContaining('RangeError') },
    ]);
  });

  it('never throw on fields that cannot be serialized', () => {
    const { logger, lines } = capture();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    logger.info({ circular, big: 10n }, 'm');
    expect(lines()).toMatchObject([{ message: 'm', circular: { self: '[Circular]' }, big: 10 }]);
  });
});
