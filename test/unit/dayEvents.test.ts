import { describe, expect, it } from 'vitest';
import { dayEventTypeOf, EVENT_ERROR_LENGTH, eventErrorText, parseDayEventPayload } from '../../db/dayEvents';

describe('dayEventTypeOf', () => {
  it('tells new content as stored (the first version) or revised', () => {
    expect(
      dayEventTypeOf({ contentChanged: true, revision: 1, status: 'complete', recheckError: null }),
    ).toBe('day.stored');
    expect(dayEventTypeOf({ contentChanged: true, revision: 2, status: 'partial', recheckError: null })).toBe(
      'day.revised',
    );
  });

  it('tells a failed re-check of a stored day, which keeps its stored status', () => {
    for (const status of ['complete', 'partial'] as const) {
      expect(
        dayEventTypeOf({
          contentChanged: false,
          revision: 1,
          status,
          recheckError: 'JAO rejected the request',
        }),
      ).toBe('day.recheck_failed');
    }
  });

  it('tells a day without stored values that failed, or was answered invalid, as failed', () => {
    expect(dayEventTypeOf({ contentChanged: false, revision: 0, status: 'failed', recheckError: null })).toBe(
      'day.failed',
    );
    expect(
      dayEventTypeOf({ contentChanged: false, revision: 0, status: 'invalid', recheckError: null }),
    ).toBe('day.failed');
  });

  it('tells nothing of a re-check that changed nothing and met nothing', () => {
    expect(
      dayEventTypeOf({ contentChanged: false, revision: 3, status: 'complete', recheckError: null }),
    ).toBe(null);
    expect(
      dayEventTypeOf({ contentChanged: false, revision: 0, status: 'not_published', recheckError: null }),
    ).toBe(null);
  });

  it('tells a revision as revised even when the re-check also recorded a finding', () => {
    expect(
      dayEventTypeOf({ contentChanged: true, revision: 2, status: 'complete', recheckError: 'worse answer' }),
    ).toBe('day.revised');
  });
});

describe("an event's error", () => {
  it('is kept whole up to its length, and cut with an ellipsis beyond, by code points', () => {
    expect(eventErrorText('JAO unavailable')).toBe('JAO unavailable');
    const long = '😀'.repeat(EVENT_ERROR_LENGTH + 1);
    const cut = eventErrorText(long);
    expect([...cut]).toHaveLength(EVENT_ERROR_LENGTH);
    expect(cut.endsWith('…')).toBe(true);
    // No pair cut in half: the last character before the ellipsis is whole.
    expect([...cut].at(-2)).toBe('😀');
    // The whole event stays a valid NOTIFY payload (PostgreSQL refuses 8000 bytes and more).
    const worst = eventErrorText('\u0001'.repeat(EVENT_ERROR_LENGTH * 2));
    expect(Buffer.byteLength(JSON.stringify({ error: worst }))).toBeLessThan(7_000);
  });
});

describe('parseDayEventPayload', () => {
  const event = {
    id: 7,
    type: 'day.recheck_failed',
    dataset: 'maxExchanges',
    day: '2024-03-02',
    status: 'complete',
    revision: 1,
    build: 'b1',
    raisedAt: '2024-03-03T10:00:00.000Z',
    error: 'JAO rejected the request',
  };

  it('reads a failed re-check with its error', () => {
    expect(parseDayEventPayload(JSON.stringify(event))).toEqual(event);
  });

  it('reads a payload without an error as one whose error is null, and refuses unknown types', () => {
    const { error: _error, ...older } = { ...event, type: 'day.stored' };
    expect(parseDayEventPayload(JSON.stringify(older))).toEqual({ ...older, error: null });
    expect(parseDayEventPayload(JSON.stringify({ ...event, type: 'day.other' }))).toBeNull();
    const { status: _status, ...statusless } = event;
    expect(parseDayEventPayload(JSON.stringify(statusless))).toBeNull();
    expect(parseDayEventPayload('not json')).toBeNull();
  });
});
