import { describe, expect, it } from 'vitest';
import { describeFreshness } from '../../cli/commands/status';
import { ConfigError, durationMs, loadConfig } from '../../common/config';
import { decideRateLimit, describeConflict, type StoredRateLimit } from '../../control/fetchRateLimit';
import { BURST_SECONDS, fetchRatePerSecond, TASK_QUEUE_PARTITIONS } from '../../domain/fetchRate';
import { freshnessOf } from '../../domain/freshness';
import {
  isInsideWindow,
  parsePublicationWindowInput,
  parseWindow,
  watchedDay,
  windowDayOf,
  windowInWords,
  windowOn,
} from '../../domain/publicationWindow';
import { buildStatusReport } from '../../domain/statusReport';

describe('publication window', () => {
  const window = parseWindow('08:00-11:00')!;

  it('reads HH:MM-HH:MM with the end after the start', () => {
    expect(window).toEqual({ start: '08:00', end: '11:00', startHour: 8, startMinute: 0, onTheDay: false });
    const refused = ['11:00-08:00', '08:00-08:00', '8:00-11:00', '24:00-24:00', '08:00-24:01', '08:00-25:00'];
    for (const text of [...refused, '08:00', '08:00-11:00 ']) {
      expect(parseWindow(text)).toBeNull();
    }
  });

  it('reads D HH:MM-HH:MM as a window on the delivery day, watching today', () => {
    const onTheDay = parseWindow('D 16:00-20:00')!;
    expect(onTheDay).toEqual({ start: '16:00', end: '20:00', startHour: 16, startMinute: 0, onTheDay: true });
    for (const text of ['D16:00-20:00', 'd 16:00-20:00', 'D 20:00-16:00', 'D-1 16:00-20:00']) {
      expect(parseWindow(text)).toBeNull();
    }
    expect(windowDayOf('2026-11-27', onTheDay)).toBe('2026-11-27');
    expect(windowDayOf('2026-11-27', window)).toBe('2026-11-26');
    // 2026-11-27 16:30 CET: the window on the day watches that day, one on the day before watches the next.
    const now = new Date('2026-11-27T15:30:00Z');
    expect(isInsideWindow(now, onTheDay)).toBe(true);
    expect(watchedDay(now, onTheDay)).toBe('2026-11-27');
    expect(watchedDay(now, window)).toBe('2026-11-28');
    expect(windowInWords('D 16:00-20:00')).toBe('16:00-20:00 Europe/Amsterdam on D');
    expect(windowInWords('08:00-11:00')).toBe('08:00-11:00 Europe/Amsterdam on D-1');
  });

  it('may last to the end of its day: 24:00 is the next local midnight', () => {
    const toMidnight = parseWindow('23:30-24:00')!;
    expect(toMidnight).toEqual({
      start: '23:30',
      end: '24:00',
      startHour: 23,
      startMinute: 30,
      onTheDay: false,
    });
    expect(parseWindow('00:00-24:00')).toMatchObject({ start: '00:00', end: '24:00' });
    const at = (day: string) => {
      const { opens, closes } = windowOn(day, toMidnight);
      return [opens.toISOString(), closes.toISOString()];
    };
    expect(at('2026-01-15')).toEqual(['2026-01-15T22:30:00.000Z', '2026-01-15T23:00:00.000Z']);
    // The night DST ends: the day has 25 hours, its window still ends at the next local midnight.
    expect(at('2026-10-25')).toEqual(['2026-10-25T22:30:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(at('2026-03-28')).toEqual(['2026-03-28T22:30:00.000Z', '2026-03-28T23:00:00.000Z']);
    expect(isInsideWindow(new Date('2026-01-15T22:59:59Z'), toMidnight)).toBe(true);
    expect(isInsideWindow(new Date('2026-01-15T23:00:00Z'), toMidnight)).toBe(false);
    expect(parsePublicationWindowInput({ window: '08:00-24:00' })).toMatchObject({
      ok: true,
      value: { window: '08:00-24:00', local: { start: '08:00', end: '24:00' } },
    });
    expect(parsePublicationWindowInput({ window: '08:00-24:30' })).toMatchObject({ ok: false });
  });

  it('opens and closes at local times, across both DST changes', () => {
    const at = (day: string) => {
      const { opens, closes } = windowOn(day, window);
      return [opens.toISOString(), closes.toISOString()];
    };
    expect(at('2026-01-15')).toEqual(['2026-01-15T07:00:00.000Z', '2026-01-15T10:00:00.000Z']);
    expect(at('2026-03-29')).toEqual(['2026-03-29T06:00:00.000Z', '2026-03-29T09:00:00.000Z']);
    expect(at('2026-10-25')).toEqual(['2026-10-25T07:00:00.000Z', '2026-10-25T10:00:00.000Z']);
  });

  it('is open from its start (included) to its end (excluded)', () => {
    const inside = (iso: string) => isInsideWindow(new Date(iso), window);
    expect(inside('2026-07-01T05:59:59Z')).toBe(false);
    expect(inside('2026-07-01T06:00:00Z')).toBe(true);
    expect(inside('2026-07-01T08:59:59Z')).toBe(true);
    expect(inside('2026-07-01T09:00:00Z')).toBe(false);
  });

  it('validates the workflow input, with defaults', () => {
    expect(parsePublicationWindowInput({})).toMatchObject({
      ok: true,
      value: { dataset: 'maxExchanges', window: '08:00-11:00', checkIntervalMs: 30_000 },
    });
    expect(parsePublicationWindowInput({ checkIntervalMs: 999 })).toEqual({
      ok: false,
      message: 'checkIntervalMs: the check interval must be at least 1 s',
    });
    expect(parsePublicationWindowInput({ window: '10:00-09:00' })).toMatchObject({ ok: false });
  });
});

describe('configuration bounds agree with the workflow inputs', () => {
  const refusal = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
  };

  it('takes the defaults', () => {
    const config = loadConfig({});
    expect([config.PUBLICATION_WINDOW, config.PUBLICATION_POLL_INTERVAL]).toEqual([undefined, 30_000]);
  });

  it('refuses what a workflow would refuse, in one line naming the variable', () => {
    expect(refusal({ PUBLICATION_WINDOW: '11:00-08:00' })).toBe(
      'invalid configuration: PUBLICATION_WINDOW: expected HH:MM-HH:MM on the day before delivery, or D HH:MM-HH:MM ' +
        'on the delivery day (Europe/Amsterdam, the end up to 24:00), the end after the start',
    );
    expect(refusal({ PUBLICATION_POLL_INTERVAL: '500ms' })).toBe(
      'invalid configuration: PUBLICATION_POLL_INTERVAL: expected a duration from 1s to 1h',
    );
    for (const interval of ['999ms', '1s', '30s', '1h', '3600001ms']) {
      const workflowTakes = parsePublicationWindowInput({ checkIntervalMs: durationMs(interval)! }).ok;
      expect(refusal({ PUBLICATION_POLL_INTERVAL: interval }) === null, interval).toBe(workflowTakes);
    }
    const windows = ['08:00-11:00', '00:00-23:59', '11:00-08:00', '08:00-08:00', '8:00-11:00'];
    for (const window of [...windows, '00:00-24:00', '08:00-24:01', '24:00-24:00']) {
      const workflowTakes = parsePublicationWindowInput({ window }).ok;
      expect(refusal({ PUBLICATION_WINDOW: window }) === null, window).toBe(workflowTakes);
    }
  });
});

describe('fetch rate', () => {
  it('keeps every minute under the limit, burst included, and uses at least 90 % of it', () => {
    for (const limit of [30, 60, 90, 100, 600, 6_000]) {
      const perSecond = fetchRatePerSecond(limit);
      const busiestMinute = perSecond * (60 + BURST_SECONDS) + TASK_QUEUE_PARTITIONS;
      expect(busiestMinute).toBeLessThanOrEqual(limit);
      if (limit >= 60) expect(perSecond * 60).toBeGreaterThanOrEqual(0.9 * limit);
    }
  });
});

describe('fleet rate limit', () => {
  const stored = (perMinute: number): StoredRateLimit => ({
    requestsPerSecond: Math.fround(fetchRatePerSecond(perMinute)),
    perMinute,
    setBy: '42@host',
    setAt: null,
  });

  it('sets the limit on a queue without one, agrees with an equal one (float32 on the wire)', () => {
    expect(decideRateLimit(null, 90, 3)).toEqual({ action: 'set', replacing: null });
    expect(decideRateLimit(stored(90), 90, 3)).toEqual({ action: 'agree' });
  });

  it('agrees with the same setting whose rate another build computed differently (a rollout)', () => {
    const otherBuild = { ...stored(90), requestsPerSecond: 1.4 };
    expect(decideRateLimit(otherBuild, 90, 3)).toEqual({ action: 'agree' });
    expect(decideRateLimit({ ...otherBuild, perMinute: null }, 90, 3)).toMatchObject({ action: 'refuse' });
  });

  it('refuses another limit while workers use the stored one, takes over once none does', () => {
    const decision = decideRateLimit(stored(90), 600, 2);
    expect(decision).toEqual({ action: 'refuse', stored: stored(90), livePollers: 2 });
    expect(describeConflict(decision as Extract<typeof decision, { action: 'refuse' }>, 600, 'q-fetch')).toBe(
      'JAO_MAX_REQUESTS_PER_MINUTE=600 conflicts with the JAO_MAX_REQUESTS_PER_MINUTE=90 the 2 running worker(s) ' +
        'of task queue q-fetch use (set by 42@host); start it with the same value, or stop every worker of the queue first',
    );
    expect(decideRateLimit(stored(90), 60, 1)).toMatchObject({ action: 'refuse' });
    expect(decideRateLimit(stored(90), 600, 0)).toEqual({ action: 'set', replacing: stored(90) });
  });
});

describe('freshness', () => {
  const times = {
    day: '2026-11-23',
    publishedAfter: new Date('2026-11-22T08:31:00Z'),
    seenAt: new Date('2026-11-22T08:31:30Z'),
    storedAt: new Date('2026-11-22T08:31:30.400Z'),
  };

  it('measures publication → stored from the last empty answer, seen → stored from the first with data', () => {
    expect(freshnessOf(times)).toEqual({
      publishedAfter: '2026-11-22T08:31:00.000Z',
      seenAt: '2026-11-22T08:31:30.000Z',
      storedAt: '2026-11-22T08:31:30.400Z',
      seenToStoredSeconds: 0.4,
      publicationToStoredSeconds: 30.4,
    });
    expect(freshnessOf({ ...times, publishedAfter: null }).publicationToStoredSeconds).toBeNull();
  });

  it('shows on the status lines of the days the pipeline saw with data', () => {
    const report = buildStatusReport({
      from: '2026-11-22',
      to: '2026-11-23',
      now: new Date('2026-11-22T09:00:00Z'),
      deadline: '12:00',
      records: [],
      publications: [times, { day: '2026-11-22', publishedAfter: null, seenAt: null, storedAt: null }],
    });
    expect(report.days.map((line) => line.freshness?.publicationToStoredSeconds ?? null)).toEqual([
      null,
      30.4,
    ]);
    expect(describeFreshness(report.days[1]!.freshness)).toBe(
      'published after 2026-11-22 09:31:00 CET, seen 2026-11-22 09:31:30 CET, stored 2026-11-22 09:31:30 CET; ' +
        'publication → stored ≤ 30 s; seen → stored 0.4 s',
    );
    expect(describeFreshness(null)).toBe('no answer with data yet');
  });
});
