import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayLengthHours,
  dayOfInstant,
  daysInRange,
  dayWindow,
  deliveryDayProblem,
  expectedMtuCount,
  isDeliveryDay,
  isDstChangeDay,
  localTimeOnDay,
  marketToday,
  marketTomorrow,
  utcOffsetMinutesAt,
} from '../../domain/calendar';

/** Last Sunday of a month, computed independently of the module under test (EU rule since 1996). */
function lastSunday(year: number, monthIndex: number): string {
  const last = new Date(Date.UTC(year, monthIndex + 1, 0));
  last.setUTCDate(last.getUTCDate() - last.getUTCDay());
  return last.toISOString().slice(0, 10);
}

describe('delivery-day calendar', () => {
  it('gives the three windows of docs/design.md §3', () => {
    expect(dayWindow('2022-10-23')).toEqual({
      from: '2022-10-22T22:00:00.000Z',
      to: '2022-10-23T22:00:00.000Z',
    });
    expect(dayLengthHours('2022-10-23')).toBe(24);
    expect(dayWindow('2022-10-30')).toEqual({
      from: '2022-10-29T22:00:00.000Z',
      to: '2022-10-30T23:00:00.000Z',
    });
    expect(dayLengthHours('2022-10-30')).toBe(25);
    expect(dayWindow('2023-03-26')).toEqual({
      from: '2023-03-25T23:00:00.000Z',
      to: '2023-03-26T22:00:00.000Z',
    });
    expect(dayLengthHours('2023-03-26')).toBe(23);
  });

  it('gives winter and summer windows of ordinary days', () => {
    expect(dayWindow('2024-01-15')).toEqual({
      from: '2024-01-14T23:00:00.000Z',
      to: '2024-01-15T23:00:00.000Z',
    });
    expect(dayWindow('2026-04-20')).toEqual({
      from: '2026-04-19T22:00:00.000Z',
      to: '2026-04-20T22:00:00.000Z',
    });
  });

  const years = [2022, 2023, 2024, 2025, 2026, 2027];
  for (const year of years) {
    const springDay = lastSunday(year, 2);
    const autumnDay = lastSunday(year, 9);
    it(`handles the DST changes of ${year} (${springDay}, ${autumnDay})`, () => {
      expect(dayLengthHours(springDay)).toBe(23);
      expect(dayWindow(springDay)).toEqual({
        from: `${addDays(springDay, -1)}T23:00:00.000Z`,
        to: `${springDay}T22:00:00.000Z`,
      });
      expect(dayLengthHours(autumnDay)).toBe(25);
      expect(dayWindow(autumnDay)).toEqual({
        from: `${addDays(autumnDay, -1)}T22:00:00.000Z`,
        to: `${autumnDay}T23:00:00.000Z`,
      });
      for (const neighbour of [
        addDays(springDay, -1),
        addDays(springDay, 1),
        addDays(autumnDay, -1),
        addDays(autumnDay, 1),
      ]) {
        expect(dayLengthHours(neighbour)).toBe(24);
      }
      expect(expectedMtuCount(springDay, 60)).toBe(23);
      expect(expectedMtuCount(springDay, 15)).toBe(92);
      expect(expectedMtuCount(autumnDay, 60)).toBe(25);
      expect(expectedMtuCount(autumnDay, 15)).toBe(100);
    });
  }

  it('has exactly two days that are not 24 hours long in each year 2022–2027, and windows that tile time', () => {
    const days = daysInRange('2022-01-01', '2027-12-31');
    expect(days).toHaveLength(365 * 6 + 1);
    const odd = days.filter(isDstChangeDay);
    expect(odd).toEqual(years.flatMap((year) => [lastSunday(year, 2), lastSunday(year, 9)]));
    for (let i = 1; i < days.length; i++) {
      expect(dayWindow(days[i]!).from).toBe(dayWindow(days[i - 1]!).to);
    }
  });

  it('gives the offset Intl gives on both sides of every change of it from 1970 to 2100', () => {
    // Read off the local wall clock, not off the zone's name as the module does.
    const wallClock = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Europe/Amsterdam',
      hourCycle: 'h23',
      ...({ year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' } as const),
    });
    const intlOffset = (epochMs: number) => {
      const part = Object.fromEntries(
        wallClock.formatToParts(epochMs).map(({ type, value }) => [type, value]),
      );
      const local = Date.UTC(+part.year!, +part.month! - 1, +part.day!, +part.hour!, +part.minute!);
      return (local - Math.floor(epochMs / 60_000) * 60_000) / 60_000;
    };
    const HOUR = 3_600_000;
    const WEEK = 7 * 24 * HOUR;
    let changes = 0;
    for (let week = Date.UTC(1970, 0, 1); week < Date.UTC(2100, 0, 1); week += WEEK) {
      if (intlOffset(week) === intlOffset(week + WEEK)) continue;
      // The first second of the week with the new offset.
      let [before, after] = [week, week + WEEK];
      while (after - before > 1000) {
        const middle = before + Math.floor((after - before) / 2000) * 1000;
        if (intlOffset(middle) === intlOffset(week)) before = middle;
        else after = middle;
      }
      changes++;
      expect(new Date(after).toISOString()).toMatch(/:00:00\.000Z$/);
      for (const instant of [after - HOUR, after - 1000, after, after + HOUR - 1000])
        expect([new Date(instant).toISOString(), utcOffsetMinutesAt(instant)]).toEqual([
          new Date(instant).toISOString(),
          intlOffset(instant),
        ]);
    }
    expect(changes).toBeGreaterThan(2 * 120);
  });

  it('maps instants to the delivery day that contains them, edges included', () => {
    expect(dayOfInstant('2022-10-29T21:59:59.999Z')).toBe('2022-10-29');
    expect(dayOfInstant('2022-10-29T22:00:00Z')).toBe('2022-10-30');
    expect(dayOfInstant('2022-10-30T22:59:59Z')).toBe('2022-10-30');
    expect(dayOfInstant(new Date('2022-10-30T23:00:00Z'))).toBe('2022-10-31');
    expect(dayOfInstant('2023-03-25T23:00:00Z')).toBe('2023-03-26');
    // The API takes any instant: the last MTU of year 9999 lies in Amsterdam's 10000-01-01, a date PostgreSQL reads.
    expect(dayOfInstant('9999-12-31T23:30:00Z')).toBe('10000-01-01');
    expect(() => dayOfInstant('yesterday')).toThrow(RangeError);
  });

  it('tells today and tomorrow in market time', () => {
    expect(marketToday(new Date('2026-04-19T21:59:00Z'))).toBe('2026-04-19');
    expect(marketToday(new Date('2026-04-19T22:00:00Z'))).toBe('2026-04-20');
    expect(marketTomorrow(new Date('2026-04-19T22:00:00Z'))).toBe('2026-04-21');
    expect(marketToday(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
    expect(marketTomorrow(new Date('2025-12-31T12:00:00Z'))).toBe('2026-01-01');
  });

  it('places a local time on a day', () => {
    expect(localTimeOnDay('2026-04-19', '08:00').toISOString()).toBe('2026-04-19T06:00:00.000Z');
    expect(localTimeOnDay('2026-01-19', '08:00').toISOString()).toBe('2026-01-19T07:00:00.000Z');
    expect(localTimeOnDay('2022-10-30', '12:00').toISOString()).toBe('2022-10-30T11:00:00.000Z');
    expect(localTimeOnDay('2023-03-26', '12:00').toISOString()).toBe('2023-03-26T10:00:00.000Z');
    expect(localTimeOnDay('2026-04-19', '00:00').toISOString()).toBe(dayWindow('2026-04-19').from);
    expect(() => localTimeOnDay('2026-04-19', '8:00')).toThrow(RangeError);
  });

  it('accepts only strict, real dates', () => {
    expect(isDeliveryDay('2024-02-29')).toBe(true);
    expect(isDeliveryDay('2022-06-09')).toBe(true);
    for (const text of [
      '2023-02-29',
      '2022-13-01',
      '2022-00-10',
      '2022-06-31',
      '2022-6-9',
      '20220609',
      '2022-06-09T00:00:00Z',
      ' 2022-06-09',
      '',
    ]) {
      expect(isDeliveryDay(text), text).toBe(false);
    }
  });

  it('says why a text is no delivery day: not in the form, or no day of the calendar', () => {
    expect(deliveryDayProblem('2024-02-29')).toBeNull();
    expect(deliveryDayProblem('2026-02-30')).toBe('2026-02-30 is not a day of the calendar');
    expect(deliveryDayProblem('2022-13-01')).toBe('2022-13-01 is not a day of the calendar');
    expect(deliveryDayProblem('2022-6-9')).toBe('"2022-6-9" is not a date in the form YYYY-MM-DD');
    expect(deliveryDayProblem(20220609)).toBe('20220609 is not a date in the form YYYY-MM-DD');
    expect(deliveryDayProblem('1969-12-31')).toBe('1969-12-31 is before 1970: not a delivery day');
  });

  it('adds days and enumerates inclusive ranges', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2022-12-31', 1)).toBe('2023-01-01');
    expect(addDays('2022-10-30', 1)).toBe('2022-10-31');
    expect(daysInRange('2022-10-29', '2022-11-01')).toEqual([
      '2022-10-29',
      '2022-10-30',
      '2022-10-31',
      '2022-11-01',
    ]);
    expect(daysInRange('2022-10-29', '2022-10-29')).toEqual(['2022-10-29']);
    expect(daysInRange('2022-10-30', '2022-10-29')).toEqual([]);
    expect(() => addDays('2022-02-30', 1)).toThrow(RangeError);
  });

  it('refuses a resolution that does not divide an hour', () => {
    expect(expectedMtuCount('2026-04-20', 60)).toBe(24);
    expect(expectedMtuCount('2026-04-20', 30)).toBe(48);
    expect(() => expectedMtuCount('2026-04-20', 7)).toThrow(RangeError);
    expect(() => expectedMtuCount('2026-04-20', 0)).toThrow(RangeError);
  });
});
