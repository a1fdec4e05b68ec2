import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../common/config';
import { initialBackfillRange, MAX_LOOKBACK_DAYS, parsePollInput } from '../../domain/workflowInputs';

const refusal = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
};

describe('configuration bounds', () => {
  it('refuses a poll lookback the poll workflow would refuse, and takes the largest it accepts', () => {
    expect(parsePollInput({ lookbackDays: MAX_LOOKBACK_DAYS }).ok).toBe(true);
    expect(parsePollInput({ lookbackDays: MAX_LOOKBACK_DAYS + 1 }).ok).toBe(false);
    expect(loadConfig({ POLL_LOOKBACK_DAYS: String(MAX_LOOKBACK_DAYS) }).POLL_LOOKBACK_DAYS).toBe(
      MAX_LOOKBACK_DAYS,
    );
    expect(refusal({ POLL_LOOKBACK_DAYS: String(MAX_LOOKBACK_DAYS + 1) })).toBe(
      `invalid configuration: POLL_LOOKBACK_DAYS: must be at most ${MAX_LOOKBACK_DAYS}`,
    );
  });

  it('bounds the health window, the poller staleness and the database retry horizon', () => {
    expect(refusal({ HEALTH_WINDOW_DAYS: '0' })).toBe(
      'invalid configuration: HEALTH_WINDOW_DAYS: must be at least 1',
    );
    expect(refusal({ HEALTH_POLLER_STALE_AFTER: '2h' })).toBe(
      'invalid configuration: HEALTH_POLLER_STALE_AFTER: must be at most 1h',
    );
    expect(refusal({ DATABASE_RETRY_HORIZON: '0s' })).toBe(
      'invalid configuration: DATABASE_RETRY_HORIZON: must be at least 1s',
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
    expect(initialBackfillRange(now, 10)).toEqual({ from: '2022-06-21', to: '2022-07-02', clamped: false });
  });

  it('starts at go-live when the setting reaches before it, and says so', () => {
    expect(initialBackfillRange(now, 31)).toEqual({ from: '2022-06-09', to: '2022-07-02', clamped: true });
  });
});
