// The days an operator picked on the calendar: one, a range (Shift-click from the last pick), some
// (Ctrl/⌘-click toggles), or every bad day in view. Pure (no DOM): test/unit/operatorPage.test.ts.
import { daysInRange } from '../../domain/calendar';

export class DaySelection {
  private readonly days = new Set<string>();
  private anchor: string | null = null;

  has(day: string): boolean {
    return this.days.has(day);
  }

  /** The picked days, in order. */
  list(): string[] {
    return [...this.days].sort();
  }

  /** First and last picked day; null when none is picked. */
  span(): [string, string] | null {
    const days = this.list();
    return days.length ? [days[0]!, days[days.length - 1]!] : null;
  }

  /** Adds or removes one day; returns the days whose mark changed. */
  toggle(day: string): string[] {
    if (this.days.has(day)) this.days.delete(day);
    else this.days.add(day);
    this.anchor = day;
    return [day];
  }

  /** Adds every day from the last picked one to `day` (just `day` without one); returns the days added. */
  extendTo(day: string): string[] {
    const from = this.anchor ?? day;
    const days = from <= day ? daysInRange(from, day) : daysInRange(day, from);
    const added = days.filter((each) => !this.days.has(each));
    for (const each of added) this.days.add(each);
    this.anchor = day;
    return added;
  }

  /** Picks exactly `days`; returns the days whose mark changed. */
  replace(days: readonly string[]): string[] {
    const next = new Set(days);
    const changed = [...new Set([...this.days, ...next])].filter(
      (day) => this.days.has(day) !== next.has(day),
    );
    this.days.clear();
    for (const day of next) this.days.add(day);
    this.anchor = days.at(-1) ?? null;
    return changed;
  }
}
