export { createFetchActivities, FAILURE_TYPES, type FetchActivities, type FetchedDay } from './fetch';
export { createStoreActivities, type StoreActivities, type ValidationSummary } from './store';
