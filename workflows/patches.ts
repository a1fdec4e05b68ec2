// Every patch id the workflows use, in one place: `export const <NAME>_PATCH = '<id>';` with a line on what its
// new branch does. 1.0.0 starts with none. Each id has a row in the patch register (docs/workflow-changes.md)
// with the date it was added; test/unit/patchRegister.test.ts keeps code and register in step.
/**
 * reprocessWorkflow re-derives its days in batches, one activity per batch (reprocessStoredDays), instead of a
 * reprocessDayWorkflow child per day.
 */
export const REPROCESS_BATCHES_PATCH = 'reprocess-batches';
/**
 * deliveryDayWorkflow fetches a paged dataset's day (rowKind `constraints`: the flow-based domain) page by page, one
 * fetchDomainPage activity per request after a count probe, then assembles the pages (workflows/pagedDay.ts).
 */
export const PAGED_DAY_PATCH = 'paged-day';
/**
 * deliveryDayWorkflow runs its store steps (assemblePagedDay, validateStoredDay, writeStoredDay) as regular
 * activities instead of local ones.
 */
export const STORE_ACTIVITY_TASKS_PATCH = 'store-activity-tasks';
/**
 * pollWorkflow and publicationWindowWorkflow ask first whether their dataset's region is fetched by JAO's monitoring
 * (pollsStandDown, a local activity: no request to JAO) and stand down while it is: the poll ends without a day, the
 * window waits its interval without a check and watches the stored day.
 */
export const POLLS_STAND_DOWN_PATCH = 'polls-stand-down';
/**
 * monitoringWorkflow sleeps what its reading says: MONITORING_INTERVAL while a day is expected (a step Pending in its
 * publication window) or the reading failed, MONITORING_QUIET_INTERVAL otherwise.
 */
export const MONITORING_QUIET_INTERVAL_PATCH = 'monitoring-quiet-interval';
/**
 * pollWorkflow and publicationWindowWorkflow ask pollsStandDown as a regular activity instead of a local one: every
 * dataset's poll starts on the same schedule tick, and each first workflow task stayed open while its local activity
 * waited for the worker's thread and a database connection (TMPRL1104).
 */
export const POLLS_STAND_DOWN_ACTIVITY_PATCH = 'polls-stand-down-activity';
/**
 * publicationWindowWorkflow watches today, not tomorrow, when its window runs on the delivery day itself
 * (`D HH:MM-HH:MM`: the intraday windows computed on D).
 */
export const WINDOW_ON_THE_DAY_PATCH = 'window-on-the-day';
