// Every workflow the worker registers (the bundle's entry point).

export { archiveWorkflow, restoreProgressQuery, restoreWorkflow } from './archive';
export { backfillWorkflow, progressQuery } from './backfill';
export {
  badDayMarkersWorkflow,
  badDaysSyncWorkflow,
  badDayWorkflow,
  dayNoLongerBadSignal,
  dayOutcomeChangedSignal,
} from './badDays';
export { dayStageQuery, deliveryDayWorkflow } from './deliveryDay';
export { monitoringWorkflow } from './monitoring';
export { pollWorkflow } from './poll';
export { publicationProgressQuery, publicationWindowWorkflow } from './publicationWindow';
export { reprocessDayWorkflow, reprocessProgressQuery, reprocessWorkflow } from './reprocess';
