import {
  ApplicationFailure,
  condition,
  patched,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import { renderRunDetails } from '../domain/runDetails';
import { POLL_LAST_DAY_START_MS } from '../domain/timeBudget';
import type { DayStatus, DeliveryDay } from '../domain/types';
import { type DayOutcome, type PollInput, parsePollInput, pollDays } from '../domain/workflowInputs';
import { DayRunner } from './dayRunner';
import { INVALID_INPUT } from './deliveryDay';
import { POLLS_STAND_DOWN_PATCH } from './patches';
import { askPollsStandDown } from './pollsStandDown';

export interface PollResult {
  days: DeliveryDay[];
  byStatus: Partial<Record<DayStatus, number>>;
  notCompleted: DayOutcome[];
  /** Days not started because the poll had run too long for them to end within its timeout (next poll's). */
  notStarted?: DeliveryDay[];
  /** Why the poll stood down without asking JAO: its region's monitoring fetches the days (docs/monitoring.md). */
  stoodDown?: string;
}

/**
 * Started by the schedule: runs the day workflow for tomorrow and the last `lookbackDays` days, so new
 * publications, late publications and revisions are all picked up. A day already running elsewhere is left to it.
 */
export async function pollWorkflow(input: PollInput = {}): Promise<PollResult> {
  const parsed = parsePollInput(input);
  if (!parsed.ok)
    throw ApplicationFailure.nonRetryable(`invalid poll input: ${parsed.message}`, INVALID_INPUT);
  const { dataset, lookbackDays, lookaheadDays, concurrency } = parsed.value;

  // While JAO's monitoring of the dataset's region is healthy, it fetches the announced days: no request here.
  if (patched(POLLS_STAND_DOWN_PATCH)) {
    const mode = await askPollsStandDown({ dataset });
    if (mode.standDown) {
      setCurrentDetails(`**poll ${dataset}: stood down**\n\n${mode.reason}; no request to JAO.`);
      return { days: [], byStatus: {}, notCompleted: [], stoodDown: mode.reason };
    }
  }

  const days = pollDays(new Date(), lookbackDays, lookaheadDays, dataset);
  const showDetails = () =>
    setCurrentDetails(
      renderRunDetails({
        title: `poll ${days[0]}..${days.at(-1)}`,
        total: days.length,
        done: runner.tally.done,
        running: runner.running.size,
        skipped: runner.skipped.length,
        byStatus: runner.tally.byStatus,
        notCompleted: runner.tally.notCompleted,
      }),
    );
  const runner: DayRunner = new DayRunner({
    dataset,
    trigger: 'poll',
    concurrency,
    onBusy: 'skip',
    onOutcome: showDetails,
    onSkip: showDetails,
  });
  const lastStartMs = workflowInfo().runStartTime.getTime() + POLL_LAST_DAY_START_MS;
  const notStarted: DeliveryDay[] = [];
  for (const day of days) {
    await condition(() => runner.running.size < concurrency);
    if (Date.now() > lastStartMs) {
      notStarted.push(day);
      continue;
    }
    await runner.launch(day);
  }
  await runner.idle();
  return {
    days,
    byStatus: runner.tally.byStatus,
    notCompleted: runner.tally.notCompleted,
    ...(notStarted.length > 0 ? { notStarted } : {}),
  };
}
