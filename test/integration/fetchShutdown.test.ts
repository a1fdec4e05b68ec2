// A worker stopping while its fetch waits on JAO: the request is abandoned at once, not waited for until
// JAO_REQUEST_TIMEOUT to end as "JAO unavailable"; the next attempt, on a worker that runs again, fetches the day.
// In a namespace of the file's own.
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { untilRead, untilTrue } from '../helpers/until';

const DAY = '2024-08-14';
/** JAO answers after this, and the workers wait as long for it: a stop that waited for the request would time out the test. */
const SLOW_MS = 300_000;
const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

let h: PipelineHarness;

beforeAll(async () => {
  const namespace = await createTestNamespace('fetch-shutdown');
  h = await createPipelineHarness('fetch-shutdown', { faults: { latencyMs: SLOW_MS } }, { namespace });
});
afterAll(async () => {
  await h?.close();
});

describe('a worker that stops while a fetch waits on JAO', () => {
  it('abandons the request at once, and the next worker fetches the day', async () => {
    const workers = await h.startWorkers({ jaoTimeoutMs: SLOW_MS });
    const handle = await h.startDay(DAY);
    const fetchOf = async () =>
      (await handle.describe()).raw.pendingActivities?.find(
        (activity) => activity.activityType?.name === 'fetchDayFromJao',
      );
    await untilRead('the fetch started', fetchOf, (fetch) => fetch?.state === STARTED);
    // Started for the server once a worker polled it; waiting on JAO once its request reached JAO. A worker stopped
    // in between has not run the attempt, and nothing reports it before the heartbeat timeout.
    await untilTrue('the fetch waiting on JAO', () => h.simulator.waitingRequests() > 0);

    await workers.stop();
    // The abandoned attempt reaches the workflow's description a moment after the worker stopped.
    const stopped = await untilRead(
      'the fetch at its second attempt',
      fetchOf,
      (fetch) => (fetch?.attempt ?? 0) >= 2,
      { timeoutMs: 10_000 },
    );
    expect(stopped?.attempt).toBe(2);
    expect(stopped?.lastFailure?.message).not.toMatch(/JAO unavailable/);

    h.simulator.setFaults({ latencyMs: 0 });
    await h.startWorkers();
    expect((await handle.result()).status).toBe('complete');
  }, 60_000);
});
