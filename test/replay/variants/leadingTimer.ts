// A deliberately incompatible build: every workflow starts with a timer its stored histories never had.
import { sleep } from '@temporalio/workflow';
import * as current from '../../../workflows';

export {
  dayStageQuery,
  progressQuery,
  publicationProgressQuery,
  reprocessProgressQuery,
  restoreProgressQuery,
} from '../../../workflows';

export async function deliveryDayWorkflow(...args: Parameters<typeof current.deliveryDayWorkflow>) {
  await sleep(1);
  return current.deliveryDayWorkflow(...args);
}

export async function backfillWorkflow(...args: Parameters<typeof current.backfillWorkflow>) {
  await sleep(1);
  return current.backfillWorkflow(...args);
}

export async function pollWorkflow(...args: Parameters<typeof current.pollWorkflow>) {
  await sleep(1);
  return current.pollWorkflow(...args);
}

export async function publicationWindowWorkflow(
  ...args: Parameters<typeof current.publicationWindowWorkflow>
) {
  await sleep(1);
  return current.publicationWindowWorkflow(...args);
}

export async function reprocessWorkflow(...args: Parameters<typeof current.reprocessWorkflow>) {
  await sleep(1);
  return current.reprocessWorkflow(...args);
}

export async function reprocessDayWorkflow(...args: Parameters<typeof current.reprocessDayWorkflow>) {
  await sleep(1);
  return current.reprocessDayWorkflow(...args);
}

export async function archiveWorkflow(...args: Parameters<typeof current.archiveWorkflow>) {
  await sleep(1);
  return current.archiveWorkflow(...args);
}

export async function restoreWorkflow(...args: Parameters<typeof current.restoreWorkflow>) {
  await sleep(1);
  return current.restoreWorkflow(...args);
}

export async function badDaysSyncWorkflow(...args: Parameters<typeof current.badDaysSyncWorkflow>) {
  await sleep(1);
  return current.badDaysSyncWorkflow(...args);
}

export async function badDayWorkflow(...args: Parameters<typeof current.badDayWorkflow>) {
  await sleep(1);
  return current.badDayWorkflow(...args);
}

/**
 * A run of the keeper handed nothing to sync starts with a timer of its own, which one new timer would pass for (the
 * duration of a timer is not replayed): two.
 */
export async function badDayMarkersWorkflow(...args: Parameters<typeof current.badDayMarkersWorkflow>) {
  await sleep(1);
  await sleep(1);
  return current.badDayMarkersWorkflow(...args);
}

export async function monitoringWorkflow(...args: Parameters<typeof current.monitoringWorkflow>) {
  await sleep(1);
  return current.monitoringWorkflow(...args);
}
