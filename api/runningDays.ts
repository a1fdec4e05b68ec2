// Which delivery days have a day workflow running right now. Only Temporal knows (jao.delivery_day records a run
// when it writes): its visibility store is asked, once per RUNNING_CACHE_MS however many pages ask.
import { isTemporalUnreachable } from '../common/temporal';
import type { RunningDay } from '../domain/apiAnswers';
import { isDeliveryDay } from '../domain/calendar';
import {
  firstLineOf,
  LazyTemporalClient,
  type TemporalSettings,
  TemporalUnavailable,
} from './temporalClient';

const RUNNING_CACHE_MS = 2_000;
/** More open day workflows than a backfill's widest fan-out: a list this long is cut, and says so. */
export const MAX_RUNNING_DAYS = 2_000;
const QUERY = `WorkflowType = 'deliveryDayWorkflow' AND ExecutionStatus = 'Running'`;
const DAY_WORKFLOW_ID = /^([A-Za-z0-9_-]+)\/day\/(\d{4}-\d{2}-\d{2})$/;

export interface RunningDaysSource {
  list(): Promise<RunningDay[]>;
  close(): Promise<void>;
}

/** Lists running day workflows of `settings.namespace`, connecting on first use and again after a failure. */
export class TemporalRunningDays implements RunningDaysSource {
  private readonly temporal: LazyTemporalClient;
  private cached: { until: number; value: Promise<RunningDay[]> } | null = null;

  constructor(settings: TemporalSettings) {
    this.temporal = new LazyTemporalClient(settings);
  }

  list(): Promise<RunningDay[]> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.value;
    const value = this.read();
    this.cached = { until: Date.now() + RUNNING_CACHE_MS, value };
    value.catch(() => {
      if (this.cached?.value === value) this.cached = null;
    });
    return value;
  }

  private async read(): Promise<RunningDay[]> {
    const did = 'did not list the running days';
    const days = await this.temporal.use(did, async (client) => {
      const listed: RunningDay[] = [];
      try {
        for await (const execution of client.workflow.list({ query: QUERY, pageSize: 500 })) {
          const match = DAY_WORKFLOW_ID.exec(execution.workflowId);
          if (!match || !isDeliveryDay(match[2]!)) continue;
          listed.push({
            dataset: match[1]!,
            day: match[2]!,
            workflow_id: execution.workflowId,
            run_id: execution.runId,
            started_at: execution.startTime.toISOString(),
          });
          if (listed.length >= MAX_RUNNING_DAYS) break;
        }
      } catch (error) {
        // Unreachable: `use` drops the connection and says so; anything else still means no list to give.
        if (isTemporalUnreachable(error)) throw error;
        throw new TemporalUnavailable(
          `Temporal at ${this.temporal.settings.address} (namespace ${this.temporal.settings.namespace}) ${did}: ${firstLineOf(error)}`,
        );
      }
      return listed;
    });
    return days.sort((a, b) =>
      a.day === b.day ? a.dataset.localeCompare(b.dataset) : a.day < b.day ? -1 : 1,
    );
  }

  close(): Promise<void> {
    return this.temporal.close();
  }
}
