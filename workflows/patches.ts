// Every patch id the workflows use, in one place. Each id is listed in the patch register
// (docs/workflow-changes.md) with the date it was added, what it guards and when it can be retired;
// test/unit/patchRegister.test.ts keeps code and register in step.

/** Started days are checked against tomorrow and their id; every day ends with its DayStatus. */
export const DAY_OUTCOME_PATCH = 'day-outcome-visible';

/**
 * A failed local activity (validate, write) reaches the workflow as an ApplicationFailure, not an
 * ActivityFailure; such failures are recorded too, by an activity that outlasts database outages.
 */
export const RECORD_EVERY_FAILURE_PATCH = 'record-every-day-failure';

/** A day whose failure could not be recorded still ends with DayStatus `failed`. */
export const UNRECORDED_FAILURE_PATCH = 'day-status-when-unrecorded';

/** Children carry a summary naming their day; runs keep NotCompleteDays up to date. */
export const RUN_OUTCOME_PATCH = 'run-outcome-visible';

/** A day's fetch carries a task priority: live work before a backfill's queued fetches. */
export const FETCH_PRIORITY_PATCH = 'fetch-priority';

/** A cancelled child no longer ends its parent as failed: the parent records the day and goes on. */
export const CHILD_CANCELLATION_PATCH = 'child-cancellation-is-the-childs';

/** A poll starts a day only while the day's worst case ends before the poll's timeout. */
export const POLL_DAY_BUDGET_PATCH = 'poll-day-budget';

/**
 * Before it ends, a backfill re-plans against the database. A day it counts complete that the database
 * does not hold complete (a worker that ran part of the backfill against another database, rows removed) is run
 * again, once; in mode `missing` so is every other day of the range not reported otherwise. A day still not
 * complete in the database after its re-run is reported `failed` with the reason.
 */
export const RECHECK_DAYS_PATCH = 'backfill-rechecks-days-in-database';

/**
 * Every day run says DayStatus `running` from its start, whatever attributes it was started with (the Web UI's
 * "Start Workflow Like This One" copies the old run's DayStatus).
 */
export const DAY_RUNNING_PATCH = 'day-status-running-at-start';

/**
 * A day started from outside (no parent) is an operator's re-run: live priority and the trigger `manual` (or
 * `cli`), whatever trigger its input copied from a backfill's or poll's child.
 */
export const OPERATOR_RERUN_PATCH = 'top-level-day-is-operators';

/** Runs keep their not-complete days in their memo too, readable in the Web UI with no worker up. */
export const RUN_MEMO_PATCH = 'run-not-complete-memo';

/**
 * DayRunner (backfill, poll) starts each day `running`: its start carries Dataset, DeliveryDay and DayStatus
 * `running`. A day started so (and itself past this patch) knows its parent takes every earlier patch of the day
 * workflow: it checks none of them and upserts nothing at its start (workflows/deliveryDay.ts,
 * startedRunningByParent).
 */
export const CHILD_STARTS_RUNNING_PATCH = 'child-starts-running';
