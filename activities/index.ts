import type { PlanActivities } from './plan';
import type { DayStoreActivities } from './store';

export { createFetchActivities, type FetchActivities, type FetchedDay } from './fetch';
export { createFreshnessActivities, type FreshnessActivities } from './freshness';
export { createPlanActivities, type PlanActivities } from './plan';
export { createReprocessActivities, type ReprocessActivities } from './reprocess';
export { createStoreActivities, type DayStoreActivities } from './store';

/**
 * The store side's activities as the workflows call them (workflows/activities.ts): a day's store steps and a
 * backfill's planning, registered together on the main worker (workers/pipelineWorker.ts).
 */
export type StoreActivities = DayStoreActivities & PlanActivities;
