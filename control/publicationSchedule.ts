// The schedule that opens the publication window every day (docs/design.md §5): created or updated idempotently.
import { type Client, type ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';
import { MARKET_TIME_ZONE } from '../domain/calendar';
import { isInsideWindow, type PublicationWindowInput, parseWindow } from '../domain/publicationWindow';
import { PUBLICATION_WINDOW_OVERRUN_MS } from '../domain/timeBudget';
import type { Dataset } from '../domain/types';
import type { publicationWindowWorkflow } from '../workflows';
import { durationText, perQueueId, upsertSchedule } from './pollSchedule';

export interface PublicationScheduleSettings {
  scheduleId?: string;
  taskQueue: string;
  /** `HH:MM-HH:MM`, Europe/Amsterdam. */
  window: string;
  checkIntervalMs: number;
  dataset: Dataset;
}

/** Like the poll schedule (control/pollSchedule.ts), one per dataset and task queue: `<dataset>-publication`. */
export function publicationScheduleIdFor(taskQueue: string, dataset: Dataset): string {
  return perQueueId(`${dataset}-publication`, taskQueue);
}

/**
 * What the schedule does and when: its note in the Web UI's Schedules page while it runs. The UI shows the
 * calendar as the server stores it, where a zero reads as `{step:1}` ("every second"): the note says the time.
 */
export function publicationScheduleNote(settings: PublicationScheduleSettings): string {
  const window = windowOf(settings);
  return (
    `${settings.dataset}: Daily at ${window.start} ${MARKET_TIME_ZONE} (the spec's calendar: second 0, minute ${window.startMinute}, ` +
    `hour ${window.startHour}): opens the publication window ${settings.window}, which fetches ${window.onTheDay ? 'today' : 'tomorrow'} every ` +
    `${durationText(settings.checkIntervalMs)} until it is stored complete or the window closes at ${window.end}.`
  );
}

function windowOf(settings: PublicationScheduleSettings) {
  const window = parseWindow(settings.window);
  if (!window) throw new RangeError(`not a publication window: ${settings.window}`);
  return window;
}

function scheduleOptions(settings: PublicationScheduleSettings): ScheduleOptions {
  const window = windowOf(settings);
  const input: PublicationWindowInput = {
    dataset: settings.dataset,
    window: settings.window,
    checkIntervalMs: settings.checkIntervalMs,
  };
  const [endHour, endMinute] = window.end.split(':').map(Number) as [number, number];
  const windowMs = (endHour * 60 + endMinute - (window.startHour * 60 + window.startMinute)) * 60_000;
  return {
    scheduleId: settings.scheduleId ?? publicationScheduleIdFor(settings.taskQueue, settings.dataset),
    // The server applies the calendar in the market's time zone, DST changes included.
    spec: {
      calendars: [
        {
          second: 0,
          minute: window.startMinute,
          hour: window.startHour,
          comment: `publication window opens: daily at ${window.start} ${MARKET_TIME_ZONE}`,
        },
      ],
      timezone: MARKET_TIME_ZONE,
    },
    // A window missed while the server was down is caught up within the window; the workflow checks what is left.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: windowMs },
    action: {
      type: 'startWorkflow',
      workflowType: 'publicationWindowWorkflow' satisfies (typeof publicationWindowWorkflow)['name'],
      workflowId: perQueueId(`${input.dataset}/publication`, settings.taskQueue),
      taskQueue: settings.taskQueue,
      args: [input],
      staticSummary:
        `${input.dataset} publication window ${settings.window}: tomorrow every ` +
        `${settings.checkIntervalMs / 1000} s until complete`,
      workflowExecutionTimeout: windowMs + PUBLICATION_WINDOW_OVERRUN_MS,
    },
    state: { note: publicationScheduleNote(settings) },
  };
}

export interface PublicationScheduleOutcome {
  outcome: 'created' | 'updated';
  /** Started now because the window is open (a window opened before the schedule existed or was updated). */
  triggered: boolean;
}

/**
 * Creates the publication schedule, or brings an existing one to these settings (keeping its paused state). When
 * the window is open now, also starts its workflow (unless one runs already): the schedule's own action for
 * today may have been missed.
 */
export async function ensurePublicationSchedule(
  client: Client,
  settings: PublicationScheduleSettings,
  now = new Date(),
): Promise<PublicationScheduleOutcome> {
  const options = scheduleOptions(settings);
  const outcome = await upsertSchedule(client, options);
  const handle = client.schedule.getHandle(options.scheduleId);
  const open = isInsideWindow(now, parseWindow(settings.window)!);
  const triggered = open && !(await handle.describe()).state.paused;
  if (triggered) await handle.trigger(ScheduleOverlapPolicy.SKIP);
  return { outcome, triggered };
}
