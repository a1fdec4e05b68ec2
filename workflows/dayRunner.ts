// Runs day workflows as children (or batches of days, one activity each) with a bounded number in flight, and keeps
// the tally of their outcomes.

import { type SearchAttributePair, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  type ChildWorkflowOptions,
  condition,
  executeChild,
  isCancellation,
  ParentClosePolicy,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  DATASET_ATTRIBUTE,
  DAY_RUNNING,
  DAY_STATUS_ATTRIBUTE,
  DELIVERY_DAY_ATTRIBUTE,
  NOT_COMPLETE_DAYS_ATTRIBUTE,
} from '../common/searchAttributes';
import { NOT_COMPLETE_MEMO, notCompleteLines } from '../domain/runDetails';
import { BUSY_DAY_RETRY_MS } from '../domain/timeBudget';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';
import { type DayOutcome, dayWorkflowId, type Trigger } from '../domain/workflowInputs';
import { CANCELLED_DAY_REASON, isChildOnlyCancellation } from './childCancellation';
import { deliveryDayWorkflow } from './deliveryDay';

export interface Tally {
  done: number;
  byStatus: Partial<Record<DayStatus, number>>;
  notCompleted: DayOutcome[];
}

export const emptyTally = (): Tally => ({ done: 0, byStatus: {}, notCompleted: [] });

/** A day's outcome as the tally records it: a day not complete always says why. */
export const outcomeOf = (day: DeliveryDay, result: { status: DayStatus; reason?: string }): DayOutcome =>
  result.status === 'complete'
    ? { day, status: result.status }
    : { day, status: result.status, reason: result.reason ?? `ended ${result.status}` };

/** What every day's child gets from the runner, whichever workflow it is. */
export type DayChildOptions = Pick<ChildWorkflowOptions, 'parentClosePolicy' | 'staticSummary'> & {
  typedSearchAttributes: SearchAttributePair[];
};

/** A child workflow other than the day workflow, run for each day (reprocessing). */
export interface DayChild {
  /** Names the run in the child's summary: `maxExchanges 2024-01-05 (<label>)`. */
  label: string;
  /** Runs the day's child with `options` (throws as executeChild does); resolves with its outcome. */
  run(day: DeliveryDay, options: DayChildOptions): Promise<{ status: DayStatus; reason?: string }>;
}

export interface DayRunnerOptions {
  dataset: Dataset;
  trigger: Trigger;
  /** The child run for each day; default the day workflow (deliveryDayWorkflow) with `trigger`. */
  child?: DayChild;
  concurrency: number;
  /** When another run of the day is in flight: wait for it to close and run again, or leave the day to it. */
  onBusy: 'wait' | 'skip';
  /** Called after every recorded outcome (the run refreshes its current details; the backfill its complete days). */
  onOutcome?: (outcome: DayOutcome) => void;
  /** Called after a day left to another run of it already in flight (onBusy `skip`). */
  onSkip?: () => void;
}

export class DayRunner {
  readonly running = new Set<DeliveryDay>();
  /** Days left to another run of theirs already in flight (onBusy `skip`). */
  readonly skipped: DeliveryDay[] = [];
  /** A cancellation that reached a running day: rethrown by launch() and idle() so the workflow ends with it. */
  private cancelled: unknown;
  /** Batches in flight (launchBatch): each takes one slot of `concurrency`. */
  private batchesRunning = 0;

  constructor(
    private readonly options: DayRunnerOptions,
    readonly tally: Tally = emptyTally(),
  ) {
    this.publishNotCompleteDays();
    if (this.tally.notCompleted.length > 0) this.publishMemo();
  }

  /** Starts the day as soon as a slot is free; resolves once it has started (not finished). */
  async launch(day: DeliveryDay): Promise<void> {
    await condition(() => this.running.size < this.options.concurrency || this.cancelled !== undefined);
    this.throwIfCancelled();
    this.running.add(day);
    // runDay never rejects: every outcome is recorded, a cancellation is kept for launch()/idle() to rethrow.
    void this.runDay(day)
      .catch((error: unknown) => {
        if (isCancellation(error)) this.cancelled ??= error;
        else
          this.record({
            day,
            status: 'failed',
            reason: error instanceof Error ? error.message : String(error),
          });
      })
      .finally(() => this.running.delete(day));
  }

  /**
   * Starts a batch of days that `run` re-derives together (one activity for them all) as soon as one of the
   * `concurrency` slots is free, whatever the batch's size; resolves once it has started. Its days count as running
   * until the batch ends with their outcomes.
   */
  async launchBatch(days: DeliveryDay[], run: (days: DeliveryDay[]) => Promise<DayOutcome[]>): Promise<void> {
    try {
      await condition(() => this.batchesRunning < this.options.concurrency || this.cancelled !== undefined);
      this.throwIfCancelled();
    } catch (error) {
      await this.batchesStopped();
      throw error;
    }
    this.batchesRunning += 1;
    for (const day of days) this.running.add(day);
    // Never rejects, like launch(): a failure of the whole batch is each of its days' outcome.
    void run(days)
      .then((outcomes) => {
        for (const outcome of outcomes) this.record(outcome);
      })
      .catch((error: unknown) => {
        if (isCancellation(error)) {
          this.cancelled ??= error;
          return;
        }
        const cause = error instanceof ActivityFailure ? (error.cause ?? error) : error;
        const reason = cause instanceof Error ? cause.message : String(cause);
        for (const day of days) this.record({ day, status: 'failed', reason });
      })
      .finally(() => {
        this.batchesRunning -= 1;
        for (const day of days) this.running.delete(day);
      });
  }

  /** Like idle(), for batches: a cancelled run ends once each batch in flight has stopped. */
  async idleBatches(): Promise<void> {
    await this.batchesStopped();
    await this.idle();
  }

  /**
   * Every batch in flight ended. Waited for even once the run is cancelled: a batch sees the cancellation between
   * two days and stops there, so no day is written after its run closed.
   */
  private batchesStopped(): Promise<void> {
    return CancellationScope.nonCancellable(() => condition(() => this.batchesRunning === 0));
  }

  async idle(): Promise<void> {
    await condition(() => this.running.size === 0);
    this.throwIfCancelled();
  }

  private throwIfCancelled(): void {
    if (this.cancelled !== undefined) throw this.cancelled;
  }

  /** Counts an outcome; the backfill also records here a day it finds not complete in the database. */
  record(outcome: DayOutcome): void {
    // The day leaves the running set with its outcome, so details drawn now count what the progress query counts.
    this.running.delete(outcome.day);
    this.tally.done += 1;
    this.tally.byStatus[outcome.status] = (this.tally.byStatus[outcome.status] ?? 0) + 1;
    if (outcome.status !== 'complete') {
      this.tally.notCompleted.push(outcome);
      this.publishNotCompleteDays();
      this.publishMemo();
    }
    this.options.onOutcome?.(outcome);
  }

  private skip(day: DeliveryDay): void {
    this.running.delete(day);
    this.skipped.push(day);
    this.options.onSkip?.();
  }

  private publishNotCompleteDays(): void {
    upsertSearchAttributes([{ key: NOT_COMPLETE_DAYS_ATTRIBUTE, value: this.tally.notCompleted.length }]);
  }

  private publishMemo(): void {
    upsertMemo({ [NOT_COMPLETE_MEMO]: notCompleteLines(this.tally.notCompleted) });
  }

  private async runDay(day: DeliveryDay): Promise<void> {
    const { dataset, trigger, child } = this.options;
    const options: DayChildOptions = {
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      typedSearchAttributes: [
        { key: DATASET_ATTRIBUTE, value: dataset },
        { key: DELIVERY_DAY_ATTRIBUTE, value: day },
      ],
      staticSummary: `${dataset} ${day} (${child?.label ?? trigger})`,
    };
    for (;;) {
      try {
        const result = child
          ? await child.run(day, options)
          : await executeChild(deliveryDayWorkflow, {
              workflowId: dayWorkflowId(dataset, day),
              args: [{ dataset, day, trigger }],
              ...options,
              // The day starts `running` (workflows/deliveryDay.ts): no upsert of its own at its start.
              typedSearchAttributes: [
                ...options.typedSearchAttributes,
                { key: DAY_STATUS_ATTRIBUTE, value: DAY_RUNNING },
              ],
            });
        this.record(outcomeOf(day, result));
        return;
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          if (this.options.onBusy === 'skip') {
            this.skip(day);
            return;
          }
          await sleep(BUSY_DAY_RETRY_MS);
          continue;
        }
        if (isChildOnlyCancellation(error)) {
          this.record({ day, status: 'failed', reason: CANCELLED_DAY_REASON });
          return;
        }
        if (error instanceof ChildWorkflowFailure && !isCancellation(error)) {
          const cause = error.cause;
          const message = cause instanceof ApplicationFailure || cause ? cause.message : error.message;
          this.record({ day, status: 'failed', reason: message });
          return;
        }
        throw error;
      }
    }
  }
}
