// A keyed (unpaged) delivery day run as the day workflow's three activities (workflows/deliveryDay.ts: fetch,
// validate, write), created as workers/pipelineWorker.ts creates them and run in a mocked activity context: what a
// dataset's declaration changes of a day, without a Temporal workflow per dataset. The files that use it run the
// day workflow itself for some datasets too, and check that every dataset they run here is read in one answer
// (the workflow's path is then the same for all of them).
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type pg from 'pg';
import { createFetchActivities, createStoreActivities } from '../../activities';
import type { Dataset, DeliveryDay } from '../../domain/types';
import type { DayResult } from '../../domain/workflowInputs';
import { runBundle } from './pipeline';

const quiet = { logger: new DefaultLogger('ERROR') };
const inActivity = <T>(work: () => Promise<T>): Promise<T> =>
  new MockActivityEnvironment({}, quiet).run(work) as Promise<T>;

export type DayActivitiesRunner = (day: DeliveryDay, dataset: Dataset) => Promise<DayResult>;

/** The day's steps against `jaoBaseUrl`, storing in `pool`, as the run's build (the harness workers' build). */
export function dayActivitiesRunner(pool: pg.Pool, jaoBaseUrl: string): DayActivitiesRunner {
  const fetch = createFetchActivities({ pool, jao: { baseUrl: jaoBaseUrl, timeoutMs: 10_000 } });
  const store = createStoreActivities({ pool, buildId: runBundle().info.buildId });
  return async (day, dataset) => {
    const horizonStartMs = Date.now();
    const { rawResponseId } = await inActivity(() => fetch.fetchDayFromJao({ dataset, day, horizonStartMs }));
    const ref = { dataset, day, rawResponseId, horizonStartMs };
    await inActivity(() => store.validateStoredDay(ref));
    return inActivity(() => store.writeStoredDay(ref));
  };
}
