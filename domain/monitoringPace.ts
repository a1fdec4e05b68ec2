// How soon a region's monitoring reads JAO again (docs/monitoring.md "How often it reads"): at MONITORING_INTERVAL
// while JAO is expected to announce a day, at MONITORING_QUIET_INTERVAL the rest of the time, when only a revision
// can come. Pure: the reading activity decides on its clock, and the workflow sleeps what the reading said.
import { addDays, dayStartMs } from './calendar';
import type { DatasetDeclaration } from './datasets/declaration';
import type { MonitoringStep } from './monitoring';
import { parseWindow, windowOn } from './publicationWindow';

/** `expecting`: a day is due (read at MONITORING_INTERVAL); `quiet`: none is (MONITORING_QUIET_INTERVAL). */
export type MonitoringPace = 'expecting' | 'quiet';

/**
 * `expecting` while a step that announces one of `declarations` is Pending for a day D whose publication window
 * (`windowOf`, on D-1) has opened and D has not begun: from the window's opening until JAO says Received, late steps
 * included. A day already begun and still pending is left to the quiet reads (and to the status's `late`).
 */
export function monitoringPaceOf(
  steps: readonly Pick<MonitoringStep, 'day' | 'page' | 'status'>[],
  declarations: readonly DatasetDeclaration[],
  now: Date,
  windowOf: (declaration: DatasetDeclaration) => string = (declaration) => declaration.publication.window,
): MonitoringPace {
  const at = now.getTime();
  for (const step of steps) {
    if (step.status !== 'Pending' || at >= dayStartMs(step.day)) continue;
    for (const declaration of declarations) {
      if (!(declaration.monitoring?.steps.includes(step.page) ?? false)) continue;
      const window = parseWindow(windowOf(declaration));
      if (window === null) continue;
      if (windowOn(addDays(step.day, -1), window).opens.getTime() <= at) return 'expecting';
    }
  }
  return 'quiet';
}
