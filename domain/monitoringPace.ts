// How soon a region's monitoring reads JAO again (docs/monitoring.md "How often it reads"): at MONITORING_INTERVAL
// while JAO is expected to announce a day, at MONITORING_QUIET_INTERVAL the rest of the time, when only a revision
// can come. Pure: the reading activity decides on its clock, and the workflow sleeps what the reading said.
import { addDays, dayStartMs } from './calendar';
import type { DatasetDeclaration } from './datasets/declaration';
import type { MonitoringStep } from './monitoring';
import { parseWindow, windowDayOf, windowOn } from './publicationWindow';

/** `expecting`: a day is due (read at MONITORING_INTERVAL); `quiet`: none is (MONITORING_QUIET_INTERVAL). */
export type MonitoringPace = 'expecting' | 'quiet';

/**
 * `expecting` while a step that announces one of `declarations` is Pending for a day D whose publication window
 * (`windowOf`, on D-1 or on D) has opened and D has not begun (ended, for a window on D): from the window's
 * opening until JAO says Received, late steps included. A day past that and still pending is left to the quiet
 * reads (and to the status's `late`).
 */
export function monitoringPaceOf(
  steps: readonly Pick<MonitoringStep, 'day' | 'page' | 'status'>[],
  declarations: readonly DatasetDeclaration[],
  now: Date,
  windowOf: (declaration: DatasetDeclaration) => string = (declaration) => declaration.publication.window,
): MonitoringPace {
  const at = now.getTime();
  for (const step of steps) {
    if (step.status !== 'Pending') continue;
    for (const declaration of declarations) {
      if (!(declaration.monitoring?.steps.includes(step.page) ?? false)) continue;
      const window = parseWindow(windowOf(declaration));
      if (window === null) continue;
      // A window on the delivery day expects it until the day ends; one on the day before, until it begins.
      const expectedUntil = dayStartMs(window.onTheDay ? addDays(step.day, 1) : step.day);
      const opens = windowOn(windowDayOf(step.day, window), window).opens.getTime();
      if (opens <= at && at < expectedUntil) return 'expecting';
    }
  }
  return 'quiet';
}
