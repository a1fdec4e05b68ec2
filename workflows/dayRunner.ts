// Runs day workflows as children with a bounded number in flight, and keeps the tally of their outcomes.

import { type SearchAttributePair, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
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
        this.record(
          result.status === 'complete'
            ? { day, status: result.status }
            : { day, status: result.status, reason: result.reason ?? `ended ${result.status}` },
        );
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
