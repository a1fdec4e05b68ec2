// Every workflow the worker registers (the bundle's entry point).

export { archiveWorkflow, restoreProgressQuery, restoreWorkflow } from './archive';
export { backfillWorkflow, progressQuery } from './backfill';
export { badDaysSyncWorkflow, badDayWorkflow, dayNoLongerBadSignal } from './badDays';
export { dayStageQuery, deliveryDayWorkflow } from './deliveryDay';
export { pollWorkflow } from './poll';
export { publicationProgressQuery, publicationWindowWorkflow } from './publicationWindow';
export { reprocessDayWorkflow, reprocessProgressQuery, reprocessWorkflow } from './reprocess';
