export { createFetchActivities, type FetchActivities, type FetchedDay } from './fetch';
export { createFreshnessActivities, type FreshnessActivities } from './freshness';
export { createReprocessActivities, type ReprocessActivities } from './reprocess';
export { createStoreActivities, type StoreActivities, type ValidationSummary } from './store';
