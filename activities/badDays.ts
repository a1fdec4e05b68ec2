// Brings the bad-day markers (domain/badDays.ts) in line with jao.delivery_day: reads the days bad now a page at a
// time, lists the running markers of this task queue through Temporal's visibility, starts the missing markers and
// completes the stale ones. Safe to run twice at once: a marker already running under its id is left as it is, and
// a marker already over needs nothing more.
import { Context } from '@temporalio/activity';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowExecutionInfo,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type pg from 'pg';
import { inLanes } from '../common/lanes';
import { DATASET_ATTRIBUTE, DAY_STATUS_ATTRIBUTE, DELIVERY_DAY_ATTRIBUTE } from '../common/searchAttributes';
import { type DayCursor, readBadDayCandidates } from '../db/badDays';
import {
  BAD_DAY_MARKERS_WORKFLOW_TYPE,
  BAD_DAY_OVER_SIGNAL,
  BAD_DAY_STATUSES,
  BAD_DAY_WORKFLOW_TYPE,
  BAD_DAYS_PAGE_SIZE,
  BAD_DAYS_SYNC_CONCURRENCY,
  type BadDay,
  type BadDayStatus,
  badDayMarkersIdOf,
  badStatusOf,
  DAY_OUTCOME_CHANGED_SIGNAL,
  deadlineAheadOf,
  markerChanges,
  markerIdOf,
  type RunningMarker,
} from '../domain/badDays';
import { isDeliveryDay, marketTomorrow } from '../domain/calendar';
import { declarationOf, isDataset } from '../domain/datasets';
import type { Dataset } from '../domain/types';

export interface BadDayDeps {
  pool: pg.Pool;
  /** The freshness deadline per dataset (domain/freshnessDeadline.ts); default: the declaration's. */
  deadlines?: Partial<Record<Dataset, string>>;
}

export interface BadDaysSyncResult {
  badDays: number;
  started: number;
  completed: number;
  /**
   * The earliest deadline still ahead of a day stored not published (ISO instant): that day turns late then, with
   * no write to say so. Absent when no such day waits.
   */
  nextDeadline?: string;
}

/** A running marker: the day and status its search attributes name, or null when they name none (a stray start). */
interface ListedMarker {
  workflowId: string;
  runId: string;
  marker: RunningMarker | null;
}

/** A quoted string literal of Temporal's list filter. */
const literal = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

function listedMarkerOf(execution: WorkflowExecutionInfo): ListedMarker {
  const attributes = execution.typedSearchAttributes;
  const dataset = attributes.get(DATASET_ATTRIBUTE);
  const day = attributes.get(DELIVERY_DAY_ATTRIBUTE);
  const status = attributes.get(DAY_STATUS_ATTRIBUTE);
  const known =
    dataset !== undefined &&
    isDataset(dataset) &&
    day !== undefined &&
    isDeliveryDay(day) &&
    (BAD_DAY_STATUSES as readonly string[]).includes(status ?? '');
  return {
    workflowId: execution.workflowId,
    runId: execution.runId,
    marker: known ? { dataset, day, status: status as BadDayStatus, workflowId: execution.workflowId } : null,
  };
}

/**
 * Asks the keeper of `taskQueue`'s bad-day markers to sync (workflows/badDays.ts): signal-with-start, so a keeper not
 * running yet, or ended by hand, is started. Idempotent: the worker calls it at start, writes that change a day's
 * outcome call it through tellBadDayMarkers.
 */
export async function signalBadDayMarkers(client: Client, taskQueue: string): Promise<void> {
  await client.workflow.signalWithStart(BAD_DAY_MARKERS_WORKFLOW_TYPE, {
    workflowId: badDayMarkersIdOf(taskQueue),
    taskQueue,
    args: [{}],
    signal: DAY_OUTCOME_CHANGED_SIGNAL,
    signalArgs: [],
    staticSummary: 'bad days: keeps one running marker per day bad now',
  });
}

/**
 * Inside an activity whose write changed a day's outcome (domain/badDays.ts, outcomeChanged): tells the keeper of its
 * task queue. Best effort: a write never fails for it, and a signal lost (Temporal unreachable) is made up by the
 * keeper's sweep within BAD_DAYS_SWEEP_INTERVAL_MS.
 */
export async function tellBadDayMarkers(): Promise<void> {
  const context = Context.current();
  try {
    await signalBadDayMarkers(context.client, context.info.taskQueue);
  } catch (error) {
    context.log.warn(
      `the keeper of the bad-day markers was not told of a changed day (its next sweep sees it): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function createBadDayActivities({ pool, deadlines = {} }: BadDayDeps) {
  const deadlineOf = (dataset: Dataset) => deadlines[dataset] ?? declarationOf(dataset).publication.deadline;

  async function readBadDays(now: Date): Promise<{ bad: BadDay[]; nextDeadline: Date | null }> {
    const bad: BadDay[] = [];
    let nextDeadline: Date | null = null;
    let after: DayCursor | null = null;
    for (;;) {
      const page = await readBadDayCandidates(pool, {
        after,
        limit: BAD_DAYS_PAGE_SIZE,
        notPublishedThrough: marketTomorrow(now),
      });
      for (const facts of page) {
        const deadline = deadlineOf(facts.dataset);
        const status = badStatusOf(facts, deadline, now);
        if (status) bad.push({ dataset: facts.dataset, day: facts.day, status });
        const due = deadlineAheadOf(facts, deadline, now);
        if (due && (nextDeadline === null || due < nextDeadline)) nextDeadline = due;
      }
      Context.current().heartbeat();
      if (page.length < BAD_DAYS_PAGE_SIZE) return { bad, nextDeadline };
      const last = page.at(-1)!;
      after = { dataset: last.dataset, day: last.day };
    }
  }

  async function listMarkers(client: Client, taskQueue: string): Promise<ListedMarker[]> {
    const query =
      `WorkflowType = ${literal(BAD_DAY_WORKFLOW_TYPE)} AND ExecutionStatus = 'Running' ` +
      `AND TaskQueue = ${literal(taskQueue)}`;
    const listed: ListedMarker[] = [];
    for await (const execution of client.workflow.list({ query, pageSize: BAD_DAYS_PAGE_SIZE })) {
      listed.push(listedMarkerOf(execution));
      if (listed.length % BAD_DAYS_PAGE_SIZE === 0) Context.current().heartbeat();
    }
    return listed;
  }

  async function startMarker(client: Client, taskQueue: string, bad: BadDay): Promise<boolean> {
    try {
      await client.workflow.start(BAD_DAY_WORKFLOW_TYPE, {
        workflowId: markerIdOf(bad, taskQueue),
        taskQueue,
        args: [bad],
        typedSearchAttributes: [
          { key: DATASET_ATTRIBUTE, value: bad.dataset },
          { key: DELIVERY_DAY_ATTRIBUTE, value: bad.day },
          { key: DAY_STATUS_ATTRIBUTE, value: bad.status },
        ],
        staticSummary: `${bad.dataset} ${bad.day} is ${bad.status.replace('_', ' ')}`,
      });
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  }

  /** Signals the very run listed: a later run under the same id (its day bad that way again) is not concerned. */
  async function completeMarker(
    client: Client,
    run: { workflowId: string; runId: string },
  ): Promise<boolean> {
    try {
      await client.workflow.getHandle(run.workflowId, run.runId).signal(BAD_DAY_OVER_SIGNAL);
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  return {
    /** One pass: every bad day gets its running marker, every other running marker of this queue is completed. */
    async syncBadDayMarkers(): Promise<BadDaysSyncResult> {
      const context = Context.current();
      const { client } = context;
      const { taskQueue } = context.info;
      const { bad: badDays, nextDeadline } = await readBadDays(new Date());
      const listed = await listMarkers(client, taskQueue);
      const known = listed.flatMap((entry) => (entry.marker ? [entry.marker] : []));
      const changes = markerChanges(badDays, known);
      const staleIds = new Set(changes.complete.map((marker) => marker.workflowId));
      const stale = listed.filter((entry) => entry.marker === null || staleIds.has(entry.workflowId));
      let started = 0;
      let completed = 0;
      await inLanes(stale, BAD_DAYS_SYNC_CONCURRENCY, async (run) => {
        if (await completeMarker(client, run)) completed += 1;
        context.heartbeat();
      });
      await inLanes(changes.start, BAD_DAYS_SYNC_CONCURRENCY, async (bad) => {
        if (await startMarker(client, taskQueue, bad)) started += 1;
        context.heartbeat();
      });
      return {
        badDays: badDays.length,
        started,
        completed,
        ...(nextDeadline ? { nextDeadline: nextDeadline.toISOString() } : {}),
      };
    },
  };
}

export type BadDayActivities = ReturnType<typeof createBadDayActivities>;
