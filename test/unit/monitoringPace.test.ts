// When the monitoring reads soon (domain/monitoringPace.ts): from the publication window's opening on D-1 until the
// step announcing D is Received or D begins; quiet otherwise.
import { describe, expect, it } from 'vitest';
import { localTimeOnDay } from '../../domain/calendar';
import { type DatasetDeclaration, DECLARATIONS } from '../../domain/datasets';
import type { DeliveryDay } from '../../domain/deliveryDay';
import { monitoringPaceOf } from '../../domain/monitoringPace';

const core: DatasetDeclaration[] = DECLARATIONS.filter((declaration) => declaration.region === 'core');
const announced = core.find((declaration) => declaration.id === 'maxExchanges')!;
const step = announced.monitoring!.steps[0]!;
const tomorrow = '2026-11-27' as DeliveryDay;
const at = (day: string, hhmm: string) => localTimeOnDay(day as DeliveryDay, hhmm);
const pending = (day: DeliveryDay, page = step) => ({ day, page, status: 'Pending' as const });

describe('monitoringPaceOf', () => {
  it('expects a day from its window opening on the day before', () => {
    const opens = announced.publication.window.split('-')[0]!;
    const [hour, minute] = opens.split(':').map(Number) as [number, number];
    const before = `${String(hour - 1).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    expect(monitoringPaceOf([pending(tomorrow)], core, at('2026-11-26', before))).toBe('quiet');
    expect(monitoringPaceOf([pending(tomorrow)], core, at('2026-11-26', opens))).toBe('expecting');
  });

  it('keeps expecting a late step until its day begins, then leaves it to the quiet reads', () => {
    expect(monitoringPaceOf([pending(tomorrow)], core, at('2026-11-26', '23:59'))).toBe('expecting');
    expect(monitoringPaceOf([pending(tomorrow)], core, at('2026-11-27', '00:00'))).toBe('quiet');
  });

  it('is quiet once the step is Received, and for a step no declaration names', () => {
    const received = { day: tomorrow, page: step, status: 'Received' as const };
    expect(monitoringPaceOf([received], core, at('2026-11-26', '12:00'))).toBe('quiet');
    expect(monitoringPaceOf([pending(tomorrow, 'No Such Step')], core, at('2026-11-26', '12:00'))).toBe(
      'quiet',
    );
  });

  it('follows a window moved by PUBLICATION_WINDOWS', () => {
    const late = () => '20:00-22:00';
    expect(monitoringPaceOf([pending(tomorrow)], core, at('2026-11-26', '12:00'), late)).toBe('quiet');
    expect(monitoringPaceOf([pending(tomorrow)], core, at('2026-11-26', '20:00'), late)).toBe('expecting');
  });

  it('expects a day whose window runs on the day itself from its opening on D until D ends', () => {
    const onTheDay = () => 'D 08:00-12:00';
    const pace = (day: string, hhmm: string) =>
      monitoringPaceOf([pending(tomorrow)], core, at(day, hhmm), onTheDay);
    expect(pace('2026-11-26', '20:00')).toBe('quiet');
    expect(pace('2026-11-27', '07:59')).toBe('quiet');
    expect(pace('2026-11-27', '08:00')).toBe('expecting');
    expect(pace('2026-11-27', '23:59')).toBe('expecting');
    expect(pace('2026-11-28', '00:00')).toBe('quiet');
  });
});
