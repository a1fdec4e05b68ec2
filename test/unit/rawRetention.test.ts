// Which raw answers may lose their body once their archive object was read back (RAW_RETENTION_DAYS,
// docs/archive.md "Retention"; the setting itself: config.test.ts).
import { describe, expect, it } from 'vitest';
import { type BodyCandidate, mayDropBody, retentionCutoff } from '../../domain/retention';

describe('which raw answers may lose their body', () => {
  const now = new Date('2026-11-23T12:00:00.000Z');
  const cutoff = retentionCutoff(now, 30);
  const old = new Date('2026-10-01T00:00:00.000Z');
  const archivedOld: BodyCandidate = {
    archiveKey: `answers/${'a'.repeat(64)}`,
    lastFetchedAt: old,
    newestOfDay: false,
  };

  it('counts the retention in whole days back from now', () => {
    expect(cutoff.toISOString()).toBe('2026-10-24T12:00:00.000Z');
    expect(retentionCutoff(now, 0)).toEqual(now);
  });

  it('drops an archived answer last fetched before the cutoff that is not its day’s newest', () => {
    expect(mayDropBody(archivedOld, cutoff)).toBe(true);
  });

  it('keeps an answer no archived write names', () => {
    expect(mayDropBody({ ...archivedOld, archiveKey: null }, cutoff)).toBe(false);
  });

  it('keeps the newest answer of each day, however old', () => {
    expect(mayDropBody({ ...archivedOld, newestOfDay: true }, cutoff)).toBe(false);
  });

  it('keeps an answer fetched at or after the cutoff (a re-fetch makes an answer young again)', () => {
    expect(mayDropBody({ ...archivedOld, lastFetchedAt: cutoff }, cutoff)).toBe(false);
    expect(mayDropBody({ ...archivedOld, lastFetchedAt: new Date(cutoff.getTime() - 1) }, cutoff)).toBe(true);
    expect(mayDropBody({ ...archivedOld, lastFetchedAt: now }, retentionCutoff(now, 0))).toBe(false);
  });
});
