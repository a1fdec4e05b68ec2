// One request rate for the fleet (docs/design.md §5): the fetch queue's rate limit is set on the server through its
// task queue config API, which overrides the rate each worker sends with its polls (the server would otherwise
// follow the last worker that polled). A worker whose JAO_MAX_REQUESTS_PER_MINUTE disagrees with the limit the
// running workers use refuses to start. Where Temporal refuses the worker that API (Temporal Cloud, a cluster run
// by another team), each worker keeps to its share of the limit instead (control/fetchBudget.ts).
import { hostname } from 'node:os';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ConfigError } from '../common/config';
import { fetchRatePerSecond } from '../domain/fetchRate';
import { type WorkerShare, workerShareOf } from './fetchBudget';
import { describeRefusal, type Refusal, unlessRefused } from './refusal';

/** A worker that polled within this long is running (a long poll lasts up to about a minute). */
export const POLLER_ALIVE_MS = 90_000;
/** Milliseconds since each poller (DescribeTaskQueue) last polled; one given no time counts from the epoch. */
export const pollAgesMs = (
  pollers: temporal.api.taskqueue.v1.IPollerInfo[] | null | undefined,
  now: number,
) => (pollers ?? []).map((poller) => now - Number(poller.lastAccessTime?.seconds ?? 0) * 1000);
/** The reason recorded with the limit names the setting, so another worker can quote it. */
const REASON_PATTERN = /JAO_MAX_REQUESTS_PER_MINUTE=(\d+)/;

export class FleetRateLimitConflict extends ConfigError {
  override name = 'FleetRateLimitConflict';
}

export interface StoredRateLimit {
  requestsPerSecond: number;
  /** JAO_MAX_REQUESTS_PER_MINUTE of the worker that set it, when a worker did. */
  perMinute: number | null;
  setBy: string;
  setAt: Date | null;
}

export type RateLimitDecision =
  | { action: 'agree' }
  | { action: 'set'; replacing: StoredRateLimit | null }
  | { action: 'refuse'; stored: StoredRateLimit; livePollers: number };

/** float32 on the wire: equal within a millionth. */
const sameRate = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(a, b);

/** What a starting worker does about the queue's limit. Pure. */
export function decideRateLimit(
  stored: StoredRateLimit | null,
  maxRequestsPerMinute: number,
  livePollers: number,
): RateLimitDecision {
  if (!stored) return { action: 'set', replacing: null };
  if (sameRate(stored.requestsPerSecond, fetchRatePerSecond(maxRequestsPerMinute)))
    return { action: 'agree' };
  // The same setting, turned into a rate by another build (its formula may differ): the running fleet's rate
  // stands, so a new build can join it during a rollout.
  if (stored.perMinute === maxRequestsPerMinute) return { action: 'agree' };
  // Nobody uses the old limit any more (the fleet was stopped, e.g. to change the setting): take over.
  if (livePollers === 0) return { action: 'set', replacing: stored };
  return { action: 'refuse', stored, livePollers };
}

export function describeConflict(
  decision: Extract<RateLimitDecision, { action: 'refuse' }>,
  maxRequestsPerMinute: number,
  fetchQueue: string,
): string {
  const { stored, livePollers } = decision;
  const fleet =
    stored.perMinute !== null
      ? `JAO_MAX_REQUESTS_PER_MINUTE=${stored.perMinute}`
      : `${(stored.requestsPerSecond * 60).toFixed(1)} requests/minute`;
  return (
    `JAO_MAX_REQUESTS_PER_MINUTE=${maxRequestsPerMinute} conflicts with the ${fleet} the ${livePollers} running ` +
    `worker(s) of task queue ${fetchQueue} use (set by ${stored.setBy}); start it with the same value, or stop ` +
    `every worker of the queue first`
  );
}

const ACTIVITY_QUEUE = temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY;

type WorkflowService = Pick<Connection, 'workflowService'>;

async function readQueue(connection: WorkflowService, namespace: string, fetchQueue: string, now: number) {
  const description = await connection.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: fetchQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: ACTIVITY_QUEUE,
    reportConfig: true,
  });
  const limit = description.config?.queueRateLimit;
  const rate = limit?.rateLimit?.requestsPerSecond;
  const reason = limit?.metadata?.reason ?? '';
  const seconds = limit?.metadata?.updateTime?.seconds;
  const stored: StoredRateLimit | null =
    typeof rate === 'number'
      ? {
          requestsPerSecond: rate,
          perMinute: REASON_PATTERN.test(reason) ? Number(REASON_PATTERN.exec(reason)![1]) : null,
          setBy: limit?.metadata?.updateIdentity || 'unknown',
          setAt: seconds !== undefined && seconds !== null ? new Date(Number(seconds) * 1000) : null,
        }
      : null;
  const livePollers = pollAgesMs(description.pollers, now).filter((age) => age < POLLER_ALIVE_MS).length;
  return { stored, livePollers };
}

export type FetchRateLimitOutcome =
  | { mode: 'fleet'; decision: 'agreed' | 'set' | 'replaced'; previous: StoredRateLimit | null }
  | {
      mode: 'worker-share';
      share: WorkerShare;
      /** The call Temporal refused. */
      refusal: Refusal;
      /** A limit set on the queue through the API, which the server keeps applying (null: none, or unread). */
      serverLimit: StoredRateLimit | null;
      /** Other workers that polled the queue within POLLER_ALIVE_MS (null: the queue could not be read). */
      livePollers: number | null;
    };

/**
 * Makes the fetch queue's server-side rate limit this worker's, or checks that it already is; throws
 * FleetRateLimitConflict when running workers use another one. Where Temporal refuses reading or setting it
 * (PERMISSION_DENIED, UNIMPLEMENTED), the outcome is this worker's share of the limit. Called before the worker polls.
 */
export async function agreeOnFetchRateLimit(
  connection: WorkflowService,
  options: {
    namespace: string;
    fetchQueue: string;
    maxRequestsPerMinute: number;
    /** JAO_FETCH_WORKERS: what the share divides the limit by. */
    fetchWorkers: number;
    identity?: string;
  },
): Promise<FetchRateLimitOutcome> {
  const { namespace, fetchQueue, maxRequestsPerMinute } = options;
  const identity = options.identity ?? `${process.pid}@${hostname()}`;
  const share = (refusal: Refusal, serverLimit: StoredRateLimit | null, livePollers: number | null) => ({
    mode: 'worker-share' as const,
    share: workerShareOf(maxRequestsPerMinute, options.fetchWorkers),
    refusal,
    serverLimit,
    livePollers,
  });
  const read = await unlessRefused('DescribeTaskQueue', () =>
    readQueue(connection, namespace, fetchQueue, Date.now()),
  );
  if (read.refusal) return share(read.refusal, null, null);
  const { stored, livePollers } = read.value;
  const decision = decideRateLimit(stored, maxRequestsPerMinute, livePollers);
  if (decision.action === 'refuse') {
    throw new FleetRateLimitConflict(describeConflict(decision, maxRequestsPerMinute, fetchQueue));
  }
  if (decision.action === 'agree') return { mode: 'fleet', decision: 'agreed', previous: stored };

  const update = await unlessRefused('UpdateTaskQueueConfig', () =>
    connection.workflowService.updateTaskQueueConfig({
      namespace,
      identity,
      taskQueue: fetchQueue,
      taskQueueType: ACTIVITY_QUEUE,
      updateQueueRateLimit: {
        rateLimit: { requestsPerSecond: fetchRatePerSecond(maxRequestsPerMinute) },
        reason: `jao-scraper worker: JAO_MAX_REQUESTS_PER_MINUTE=${maxRequestsPerMinute}`,
      },
    }),
  );
  if (update.refusal) return share(update.refusal, stored, livePollers);
  // Two workers setting different limits at the same moment: the last write wins, the other one finds out here.
  const after = await readQueue(connection, namespace, fetchQueue, Date.now());
  if (after.stored && !sameRate(after.stored.requestsPerSecond, fetchRatePerSecond(maxRequestsPerMinute))) {
    throw new FleetRateLimitConflict(
      describeConflict(
        { action: 'refuse', stored: after.stored, livePollers: Math.max(1, after.livePollers) },
        maxRequestsPerMinute,
        fetchQueue,
      ),
    );
  }
  return { mode: 'fleet', decision: decision.replacing ? 'replaced' : 'set', previous: decision.replacing };
}

const perMinuteText = (perMinute: number) => `${Number(perMinute.toFixed(1))}`;

/** The start-up line that says which mode the budget runs in, and for a share, what share and why. */
export function describeFetchRateLimit(
  outcome: FetchRateLimitOutcome,
  fetchQueue: string,
  maxRequestsPerMinute: number,
): string {
  if (outcome.mode === 'fleet') {
    const was =
      outcome.decision === 'replaced' && outcome.previous?.perMinute
        ? ` (was ${outcome.previous.perMinute})`
        : '';
    return (
      `rate limit of ${fetchQueue}: ${maxRequestsPerMinute} requests/minute for the fleet, ${outcome.decision}${was}; ` +
      'fleet-wide, held by the server'
    );
  }
  const { share, refusal, serverLimit, livePollers } = outcome;
  const others =
    livePollers === null
      ? ''
      : `; ${livePollers} other worker(s) polled the queue in the last ${POLLER_ALIVE_MS / 1000} s`;
  const kept = serverLimit
    ? `; the server keeps the limit of ${perMinuteText(serverLimit.requestsPerSecond * 60)} requests/minute set by ${serverLimit.setBy}`
    : '';
  return (
    `rate limit of ${fetchQueue}: ${perMinuteText(share.perMinute)} requests/minute for this worker, its share of ` +
    `JAO_MAX_REQUESTS_PER_MINUTE=${maxRequestsPerMinute} over JAO_FETCH_WORKERS=${share.fetchWorkers}; per-worker ` +
    `share, as Temporal refuses this worker the fleet-wide limit (${describeRefusal(refusal)})${others}${kept}`
  );
}
