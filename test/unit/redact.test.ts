import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../common/redact';
import { describeError, formatLogLine } from '../../workers/logFormat';

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

  it('serialize an error field instead of writing {} and mask secrets in the whole line', () => {
    const line = formatLogLine(
      {
        time: '2025-09-01T00:00:00.000Z',
        level: 'warn',
        message: 'Activity failed',
        error: ApplicationFailure.nonRetryable('HTTP 403: Bearer s3cret-key-1', 'JaoPermanentError'),
        apiKey: 's3cret-key-1',
      },
      ['s3cret-key-1'],
    );
    expect(JSON.parse(line)).toEqual({
      time: '2025-09-01T00:00:00.000Z',
      level: 'warn',
      message: 'Activity failed',
      error: { type: 'JaoPermanentError', message: 'HTTP 403: Bearer [redacted]', nonRetryable: true },
      apiKey: '[redacted]',
    });
  });

  it('never throws on fields that cannot be serialized', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const line = JSON.parse(formatLogLine({ time: 't', level: 'info', message: 'm', circular }));
    expect(line).toMatchObject({ message: 'm', logError: expect.stringMatching(/^fields not serializable/) });
  });
});
