// Stands in for workflows/activities.ts in deliveryDay.ts only: validate and write as regular activities again,
// the command change that was once made without a patch.
import { proxyActivities } from '@temporalio/workflow';
import type { StoreActivities } from '../../../activities';

export {
  activityStore,
  failureStore,
  fetchActivities,
  type StoreSteps,
  store,
} from '../../../workflows/activities';

export const localStore = proxyActivities<StoreActivities>({ startToCloseTimeout: '2 minutes' });
