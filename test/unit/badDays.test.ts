import { describe, expect, it } from 'vitest';
import {
  type BadDay,
  badDayMarkersIdOf,
  badStatusOf,
  deadlineAheadOf,
  markerChanges,
  markerIdOf,
  outcomeChanged,
  outcomeKindOf,
  parseBadDay,
  type RunningMarker,
} from '../../domain/badDays';

const facts = (
  status: 'not_published' | 'complete' | 'partial' | 'invalid' | 'failed',
  lastError = null as string | null,
) => ({
  dataset: 'maxExchanges' as const,
  day: '2026-11-24',
  status,
  lastError,
});

const marker = (bad: BadDay): RunningMarker => ({ ...bad, workflowId: markerIdOf(bad, 'jao-scraper') });

describe('which days are bad now', () => {
  // The deadline of 2026-11-24 is 2026-11-23 12:00 Europe/Amsterdam (11:00 UTC).
  const beforeDeadline = new Date('2026-11-23T10:59:00Z');
  const atDeadline = new Date('2026-11-23T11:00:00Z');

  it('takes failed, invalid and partial as they are stored', () => {
    for (const status of ['failed', 'invalid', 'partial'] as const)
      expect(badStatusOf(facts(status), '12:00', beforeDeadline)).toBe(status);
  });

  it('calls a complete day bad only when its last re-check failed', () => {
    expect(badStatusOf(facts('complete'), '12:00', atDeadline)).toBeNull();
    expect(badStatusOf(facts('complete', 'HTTP 503'), '12:00', atDeadline)).toBe('recheck_failed');
  });

  it('calls a day not published late from its deadline on, and fine before it', () => {
    expect(badStatusOf(facts('not_published'), '12:00', beforeDeadline)).toBeNull();
    expect(badStatusOf(facts('not_published'), '12:00', atDeadline)).toBe('late');
    expect(badStatusOf(facts('not_published'), '13:00', atDeadline)).toBeNull();
  });
});

describe('a marker id', () => {
  const bad: BadDay = { dataset: 'maxExchanges', day: '2026-11-24', status: 'partial' };

  it('names the dataset, the day and the status; another task queue is appended', () => {
    expect(markerIdOf(bad, 'jao-scraper')).toBe('maxExchanges/bad-day/2026-11-24/partial');
    expect(markerIdOf(bad, 'blue')).toBe('maxExchanges/bad-day/2026-11-24/partial/blue');
  });

  it('is started only with a known dataset, a delivery day and a bad status', () => {
    expect(parseBadDay(bad)).toEqual({ ok: true, value: bad });
    expect(parseBadDay({ ...bad, status: 'complete' }).ok).toBe(false);
    expect(parseBadDay({ ...bad, day: '2026-13-01' }).ok).toBe(false);
    expect(parseBadDay({ ...bad, extra: 1 }).ok).toBe(false);
  });
});

describe('the markers to start and to complete', () => {
  const partial: BadDay = { dataset: 'maxExchanges', day: '2026-11-20', status: 'partial' };
  const failed: BadDay = { dataset: 'maxExchanges', day: '2026-11-21', status: 'failed' };
  const nordic: BadDay = { dataset: 'nordicMaxExchanges', day: '2026-11-20', status: 'partial' };

  it('starts a marker for each bad day without one, and keeps those in place', () => {
    expect(markerChanges([partial, failed, nordic], [marker(failed)])).toEqual({
      start: [partial, nordic],
      complete: [],
    });
  });

  it('completes the marker of a healed day', () => {
    expect(markerChanges([failed], [marker(partial), marker(failed)])).toEqual({
      start: [],
      complete: [marker(partial)],
    });
  });

  it('replaces the marker of a day whose bad status changed', () => {
    const invalid: BadDay = { ...partial, status: 'invalid' };
    expect(markerChanges([invalid], [marker(partial)])).toEqual({
      start: [invalid],
      complete: [marker(partial)],
    });
  });

  it('changes nothing when the markers match the bad days', () => {
    expect(markerChanges([partial, nordic], [marker(nordic), marker(partial)])).toEqual({
      start: [],
      complete: [],
    });
  });
});

describe('what the keeper of the markers is told and when it wakes', () => {
  const record = (
    status: 'not_published' | 'complete' | 'partial' | 'invalid' | 'failed',
    lastError = false,
  ) => ({
    status,
    lastError,
  });

  it('tells apart the outcomes a marker shows: a day that cannot be bad is null', () => {
    expect(outcomeKindOf(null)).toBeNull();
    expect(outcomeKindOf(record('complete'))).toBeNull();
    expect(outcomeKindOf(record('complete', true))).toBe('recheck_failed');
    expect(outcomeKindOf(record('partial', true))).toBe('partial');
    expect(outcomeKindOf(record('not_published'))).toBe('not_published');
  });

  it('calls for a sync only when a write moved the day between them', () => {
    // A backfill storing days complete, a poll checking them again, the window checking tomorrow: no word.
    expect(outcomeChanged(null, record('complete'))).toBe(false);
    expect(outcomeChanged(record('complete'), record('complete'))).toBe(false);
    expect(outcomeChanged(record('not_published'), record('not_published'))).toBe(false);
    expect(outcomeChanged(record('partial'), record('partial', true))).toBe(false);
    // A day turning bad, healing, failing its re-check or turning bad another way: one.
    expect(outcomeChanged(null, record('partial'))).toBe(true);
    expect(outcomeChanged(null, record('not_published'))).toBe(true);
    expect(outcomeChanged(record('partial'), record('complete'))).toBe(true);
    expect(outcomeChanged(record('complete'), record('complete', true))).toBe(true);
    expect(outcomeChanged(record('complete', true), record('complete'))).toBe(true);
    expect(outcomeChanged(record('partial'), record('failed'))).toBe(true);
  });

  it("wakes at a day's deadline while it is stored not published and the deadline is ahead", () => {
    // 2026-11-24's deadline: 2026-11-23 12:00 Europe/Amsterdam (11:00 UTC).
    const before = new Date('2026-11-23T10:59:00Z');
    expect(deadlineAheadOf(facts('not_published'), '12:00', before)?.toISOString()).toBe(
      '2026-11-23T11:00:00.000Z',
    );
    expect(deadlineAheadOf(facts('not_published'), '12:00', new Date('2026-11-23T11:00:00Z'))).toBeNull();
    expect(deadlineAheadOf(facts('partial'), '12:00', before)).toBeNull();
    expect(deadlineAheadOf(facts('complete'), '12:00', before)).toBeNull();
  });

  it('names its workflow after the task queue as schedules are named', () => {
    expect(badDayMarkersIdOf('jao-scraper')).toBe('bad-days/markers');
    expect(badDayMarkersIdOf('blue')).toBe('bad-days/markers/blue');
  });
});
