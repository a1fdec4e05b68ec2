import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  continueAsNew,
  defineQuery,
  executeChild,
  isCancellation,
  ParentClosePolicy,
  patched,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { FreshnessActivities } from '../activities';
import { DATASET_ATTRIBUTE, DELIVERY_DAY_ATTRIBUTE } from '../common/searchAttributes';
import { marketToday, marketTomorrow } from '../domain/calendar';
import {
  type PublicationWindowInput,
  parsePublicationWindowInput,
  watchedDay,
  windowOn,
} from '../domain/publicationWindow';
import { countOf } from '../domain/runDetails';
import { FRESHNESS_ACTIVITY, FRESHNESS_BACKOFF } from '../domain/timeBudget';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';
import { dayWorkflowId, describeIssues, type Parsed } from '../domain/workflowInputs';
import { zod } from '../domain/zod';
import { retryPolicyOf } from './activities';
import { isChildOnlyCancellation } from './childCancellation';
import { deliveryDayWorkflow, INVALID_INPUT } from './deliveryDay';
import { POLLS_STAND_DOWN_PATCH, WINDOW_ON_THE_DAY_PATCH } from './patches';
import { askPollsStandDown } from './pollsStandDown';

export interface PublicationWindowResult {
  day: DeliveryDay;
  /** `complete`: stored complete (no more checks today); `window-closed`: not complete by the window's end. */
  outcome: 'complete' | 'window-closed' | 'outside-window';
  /** The day's status when the workflow ended (null: never run). */
  status: DayStatus | null;
  /** Checks this run and the runs it continued from started. */
  checks: number;
  /**
   * Intervals of this run in which the window made no check because JAO's monitoring of the dataset's region was
   * healthy (it fetches the day when JAO announces it; docs/monitoring.md). Absent before the patch.
   */
  stoodDown?: number;
}

export const publicationProgressQuery = defineQuery<Omit<PublicationWindowResult, 'outcome'>>('progress');

const freshness = proxyLocalActivities<Pick<FreshnessActivities, 'storedDayStatus'>>({
  startToCloseTimeout: FRESHNESS_ACTIVITY.startToCloseMs,
  retry: retryPolicyOf(FRESHNESS_BACKOFF),
});

/** Checks per run before continuing as new (a check is about a dozen events). */
export const CHECKS_PER_RUN = 500;

/**
 * The window's input, how many checks a run makes before it continues as new (fewer: tests), and an instant by
 * which the window closes if it has not yet (a window of seconds: tests; its HH:MM end is a minute's).
 */
export type PublicationWindowWorkflowInput = PublicationWindowInput & {
  checksPerRun?: number;
  closesBy?: string;
};

interface RunLimits {
  checksPerRun: number;
  closesBy?: string;
}

function parseRunLimits(input: PublicationWindowWorkflowInput | undefined): Parsed<RunLimits> {
  const z = zod();
  const parsed = z
    .object({
      checksPerRun: z.number().int().min(1).max(CHECKS_PER_RUN).default(CHECKS_PER_RUN),
      closesBy: z.iso.datetime().optional(),
    })
    .safeParse({ checksPerRun: input?.checksPerRun, closesBy: input?.closesBy });
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  return { ok: true, value: parsed.data };
}

/**
 * Started by the dataset's publication schedule when its window opens: checks tomorrow (today, for a window on the
 * delivery day) every `checkIntervalMs` until it is stored complete, then stops (no more requests for it today); gives up when the
 * window closes, the regular poll carrying on. Each check runs the day workflow as a child with live priority;
 * a check that finds the day already running elsewhere leaves it to that run.
 */
export async function publicationWindowWorkflow(
  input: PublicationWindowWorkflowInput,
  checksBefore = 0,
): Promise<PublicationWindowResult> {
  const invalid = (message: string) =>
    ApplicationFailure.nonRetryable(`invalid publication window input: ${message}`, INVALID_INPUT);
  const parsed = parsePublicationWindowInput(input);
  if (!parsed.ok) throw invalid(parsed.message);
  const limits = parseRunLimits(input);
  if (!limits.ok) throw invalid(limits.message);
  const { checksPerRun, closesBy } = limits.value;
  const { dataset, local, checkIntervalMs } = parsed.value;

  const started = new Date();
  const day =
    local.onTheDay && patched(WINDOW_ON_THE_DAY_PATCH) ? watchedDay(started, local) : marketTomorrow(started);
  const todays = windowOn(marketToday(started), local);
  const { opens } = todays;
  const closes =
    closesBy !== undefined && Date.parse(closesBy) < todays.closes.getTime()
      ? new Date(closesBy)
      : todays.closes;
  let checks = checksBefore;
  let status: DayStatus | null = null;
  /** Intervals of this run left to JAO's monitoring, and why (the last time). */
  let stoodDown = 0;
  let standDownReason: string | null = null;
  const counts = () => ({ day, status, checks, ...(stoodDown > 0 ? { stoodDown } : {}) });
  setHandler(publicationProgressQuery, counts);
  // Details (Web UI, markdown): what the window watches and what it found so far, or how it ended.
  const showDetails = (ended?: PublicationWindowResult['outcome']) =>
    setCurrentDetails(
      [
        `**publication window ${parsed.value.window} Europe/Amsterdam**`,
        '',
        `${ended ? 'Finished' : 'Running'}: ${day}, ${countOf(checks, 'check')}, stored ${status ?? 'nothing yet'}.`,
        ...(standDownReason
          ? ['', `Stood down for ${countOf(stoodDown, 'interval')}: ${standDownReason}; no check then.`]
          : []),
        ...(ended ? ['', `Outcome: ${ended}.`] : []),
      ].join('\n'),
    );
  const end = (outcome: PublicationWindowResult['outcome']) => {
    showDetails(outcome);
    return { ...counts(), outcome };
  };
  showDetails();

  if (started < opens || started >= closes) return end('outside-window');
  status = await freshness.storedDayStatus({ dataset, day });
  let checksThisRun = 0;
  while (status !== 'complete') {
    if (Date.now() >= closes.getTime()) return end('window-closed');
    if (checksThisRun + stoodDown >= checksPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof publicationWindowWorkflow>(input, checks);
    }
    // While JAO's monitoring of the region is healthy it fetches tomorrow when announced: no check, the stored
    // status is watched instead; when it is not, the next interval checks again (the polls take over).
    if (patched(POLLS_STAND_DOWN_PATCH)) {
      const mode = await askPollsStandDown({ dataset });
      if (mode.standDown) {
        stoodDown += 1;
        standDownReason = mode.reason;
        status = await freshness.storedDayStatus({ dataset, day });
        showDetails();
        if (status === 'complete') break;
        const untilClose = closes.getTime() - Date.now();
        if (untilClose <= 0) return end('window-closed');
        await sleep(Math.min(checkIntervalMs, untilClose));
        continue;
      }
    }
    const checked = await checkDay(dataset, day);
    checks += 1;
    checksThisRun += 1;
    status = checked ?? (await freshness.storedDayStatus({ dataset, day }));
    showDetails();
    if (status === 'complete') break;
    const untilClose = closes.getTime() - Date.now();
    if (untilClose <= 0) return end('window-closed');
    await sleep(Math.min(checkIntervalMs, untilClose));
  }
  return end('complete');
}

/**
 * One run of the day workflow, as a child with live priority; null when another run of the day was in flight
 * (the poll, an operator) and the check left the day to it, or when that run alone was cancelled. Not a
 * DayRunner: this workflow keeps no tally of days and publishes no NotCompleteDays.
 */
async function checkDay(dataset: Dataset, day: DeliveryDay): Promise<DayStatus | null> {
  try {
    const result = await executeChild(deliveryDayWorkflow, {
      workflowId: dayWorkflowId(dataset, day),
      args: [{ dataset, day, trigger: 'poll' }],
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      typedSearchAttributes: [
        { key: DATASET_ATTRIBUTE, value: dataset },
        { key: DELIVERY_DAY_ATTRIBUTE, value: day },
      ],
      staticSummary: `${dataset} ${day} (publication window)`,
    });
    return result.status;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError || isChildOnlyCancellation(error)) return null;
    if (error instanceof ChildWorkflowFailure && !isCancellation(error)) return 'failed';
    throw error;
  }
}
