export { createFetchActivities, type FetchActivities, type FetchedDay } from './fetch';
export { createStoreActivities, type StoreActivities, type ValidationSummary } from './store';
