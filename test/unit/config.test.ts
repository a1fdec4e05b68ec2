// Configuration bounds: every value a worker or workflow would refuse later is refused at start-up, in one line.
import { describe, expect, it } from 'vitest';
import { ConfigError, durationMs, loadConfig } from '../../common/config';
import { DEFAULT_MAX_BODY_BYTES } from '../../domain/bodyLimit';
import { initialBackfillRange, MAX_POLL_LOOKBACK_DAYS, parsePollInput } from '../../domain/workflowInputs';

function problem(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('configuration', () => {
  it('has safe defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      JAO_BASE_URL: 'https://publicationtool.jao.eu',
      JAO_REQUEST_TIMEOUT: 30_000,
      JAO_MAX_BODY_BYTES: DEFAULT_MAX_BODY_BYTES,
      POLL_INTERVAL: 600_000,
      METRICS_PORT: 9464,
      JAO_MAX_REQUESTS_PER_MINUTE: 90,
    });
  });

  it('takes the Web UI URL of the status page, with a path prefix, without a trailing slash', () => {
    expect(loadConfig({}).TEMPORAL_UI_URL).toBe('http://127.0.0.1:8233');
    expect(loadConfig({ TEMPORAL_UI_URL: 'https://ops.example/temporal/' }).TEMPORAL_UI_URL).toBe(
      'https://ops.example/temporal',
    );
    for (const bad of [
      'javascript:alert(1)',
      'http://u:p@ui.example',
      'http://ui.example/?a=1',
      'ui.example',
    ]) {
      expect(() => loadConfig({ TEMPORAL_UI_URL: bad }), bad).toThrow(
        /TEMPORAL_UI_URL: expected an http or https URL/,
      );
    }
  });

  it('accepts an http(s) origin, with or without a trailing slash', () => {
    expect(loadConfig({ JAO_BASE_URL: 'http://127.0.0.1:8090/' }).JAO_BASE_URL).toBe('http://127.0.0.1:8090');
    expect(loadConfig({ JAO_BASE_URL: 'https://publicationtool.jao.eu' }).JAO_BASE_URL).toBe(
      'https://publicationtool.jao.eu',
    );
  });

  it.each([
    [
      { JAO_BASE_URL: 'file:///etc/passwd' },
      /^invalid configuration: JAO_BASE_URL: expected an http or https origin/,
    ],
    [{ JAO_BASE_URL: 'javascript:alert(1)' }, /JAO_BASE_URL: expected an http or https origin/],
    [
      { JAO_BASE_URL: 'https://publicationtool.jao.eu/core/api' },
      /JAO_BASE_URL: expected an http or https origin/,
    ],
    [
      { JAO_BASE_URL: 'https://user:pw@publicationtool.jao.eu' },
      /JAO_BASE_URL: expected an http or https origin/,
    ],
    [{ JAO_REQUEST_TIMEOUT: '0s' }, /JAO_REQUEST_TIMEOUT: expected a duration from 1s to 1m/],
    [{ JAO_REQUEST_TIMEOUT: '600h' }, /JAO_REQUEST_TIMEOUT: expected a duration from 1s to 1m/],
    [{ POLL_INTERVAL: '0s' }, /POLL_INTERVAL: expected a duration from 10s to 24h/],
    [{ POLL_INTERVAL: '99999999999h' }, /POLL_INTERVAL: expected a duration like/],
    [{ METRICS_PORT: '99999' }, /METRICS_PORT: expected a number from 0 to 65535/],
    [{ METRICS_PORT: '-1' }, /METRICS_PORT: expected a whole number in decimal digits/],
    [
      { JAO_MAX_REQUESTS_PER_MINUTE: '0x10' },
      /JAO_MAX_REQUESTS_PER_MINUTE: expected a whole number in decimal digits/,
    ],
    [
      { JAO_MAX_REQUESTS_PER_MINUTE: '1e1' },
      /JAO_MAX_REQUESTS_PER_MINUTE: expected a whole number in decimal digits/,
    ],
    [{ JAO_MAX_REQUESTS_PER_MINUTE: '0' }, /JAO_MAX_REQUESTS_PER_MINUTE: expected a number from 1 to 6000/],
    [{ POLL_LOOKBACK_DAYS: '63' }, /POLL_LOOKBACK_DAYS: expected a number from 0 to 62/],
    [{ JAO_MAX_BODY_BYTES: '1000' }, /JAO_MAX_BODY_BYTES: expected a number from 65536 to 16777216/],
    [{ JAO_MAX_BODY_BYTES: '4MB' }, /JAO_MAX_BODY_BYTES: expected a whole number in decimal digits/],
    [{ DATABASE_URL: 'file:///tmp/db' }, /DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/],
  ])('refuses %o in one line', (env, message) => {
    const text = problem(env);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1.5m', 90_000],
    ['2 minutes', 120_000],
  ])('reads the duration %s as %i ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
    if (ms >= 1_000)
      expect(loadConfig({ HEALTH_POLLER_STALE_AFTER: text }).HEALTH_POLLER_STALE_AFTER).toBe(ms);
  });

  it.each(['45', '-30s', '1.5ms', '30 s s', 'soon', ' 30s', '1e3s', '99999999999h', 'Infinityms'])(
    'refuses %o as a duration in the same one line',
    (text) => {
      expect(problem({ HEALTH_POLLER_STALE_AFTER: text })).toBe(
        'invalid configuration: HEALTH_POLLER_STALE_AFTER: expected a duration like 500ms, 30s, 10m or 1h',
      );
    },
  );

  it('names every problem at once, on one line', () => {
    expect(problem({ METRICS_PORT: '99999', JAO_REQUEST_TIMEOUT: '0s' })).toBe(
      'invalid configuration: JAO_REQUEST_TIMEOUT: expected a duration from 1s to 1m; METRICS_PORT: expected a number from 0 to 65535',
    );
  });
});

describe('configuration bounds', () => {
  it('refuses a poll lookback the poll workflow would refuse, and takes the largest it accepts', () => {
    expect(parsePollInput({ lookbackDays: MAX_POLL_LOOKBACK_DAYS }).ok).toBe(true);
    expect(parsePollInput({ lookbackDays: MAX_POLL_LOOKBACK_DAYS + 1 }).ok).toBe(false);
    expect(loadConfig({ POLL_LOOKBACK_DAYS: String(MAX_POLL_LOOKBACK_DAYS) }).POLL_LOOKBACK_DAYS).toBe(
      MAX_POLL_LOOKBACK_DAYS,
    );
    expect(problem({ POLL_LOOKBACK_DAYS: String(MAX_POLL_LOOKBACK_DAYS + 1) })).toBe(
      `invalid configuration: POLL_LOOKBACK_DAYS: expected a number from 0 to ${MAX_POLL_LOOKBACK_DAYS}`,
    );
  });

  it('bounds the health window, the poller staleness and the database retry horizon', () => {
    expect(problem({ HEALTH_WINDOW_DAYS: '0' })).toBe(
      'invalid configuration: HEALTH_WINDOW_DAYS: expected a number from 1 to 3660',
    );
    expect(problem({ HEALTH_POLLER_STALE_AFTER: '2h' })).toBe(
      'invalid configuration: HEALTH_POLLER_STALE_AFTER: expected a duration from 1s to 1h',
    );
    expect(problem({ DATABASE_RETRY_HORIZON: '0s' })).toBe(
      'invalid configuration: DATABASE_RETRY_HORIZON: expected a duration from 1s to 45m',
    );
    expect(loadConfig({})).toMatchObject({
      HEALTH_WINDOW_DAYS: 31,
      HEALTH_POLLER_STALE_AFTER: 45_000,
      DATABASE_RETRY_HORIZON: 1_800_000,
    });
  });
});

describe('initial backfill of jao start', () => {
  const now = new Date('2022-07-01T10:00:00Z');

  it('covers the last days through tomorrow', () => {
    expect(initialBackfillRange(now, 10, 'maxExchanges')).toEqual({
      from: '2022-06-21',
      to: '2022-07-02',
      clamped: false,
    });
  });

  it('starts at go-live when the setting reaches before it, and says so', () => {
    expect(initialBackfillRange(now, 31, 'maxExchanges')).toEqual({
      from: '2022-06-09',
      to: '2022-07-02',
      clamped: true,
    });
  });
});

describe('RAW_RETENTION_DAYS (docs/archive.md "Retention")', () => {
  it('keeps every body when unset or empty', () => {
    expect(loadConfig({}).RAW_RETENTION_DAYS).toBeUndefined();
    expect(loadConfig({ RAW_RETENTION_DAYS: '' }).RAW_RETENTION_DAYS).toBeUndefined();
  });

  it('takes a whole number of days, 0 included', () => {
    expect(loadConfig({ RAW_RETENTION_DAYS: '0' }).RAW_RETENTION_DAYS).toBe(0);
    expect(loadConfig({ RAW_RETENTION_DAYS: '90' }).RAW_RETENTION_DAYS).toBe(90);
  });

  it('refuses anything else in one line naming the variable', () => {
    for (const bad of ['-1', '1.5', '7d', 'forever', ' 3', '1e3', '999999']) {
      const message = problem({ RAW_RETENTION_DAYS: bad });
      expect(message, bad).toBe(
        'invalid configuration: RAW_RETENTION_DAYS: expected a whole number of days (0 or more); leave it unset to keep every raw body',
      );
    }
  });
});
