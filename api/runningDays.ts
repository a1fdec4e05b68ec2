// Which delivery days have a day workflow running right now. Only Temporal knows (jao.delivery_day records a run
// when it writes): its visibility store is asked, once per RUNNING_CACHE_MS however many pages ask.
import { Client, Connection } from '@temporalio/client';
import { isTemporalUnreachable } from '../common/temporal';
import { isDeliveryDay } from '../domain/calendar';

/** A day workflow (`<dataset>/day/<day>`, docs/design.md §5) that has not closed. */
export interface RunningDay {
  dataset: string;
  day: string;
  workflow_id: string;
  run_id: string;
  started_at: string;
}

export interface TemporalSettings {
  address: string;
  namespace: string;
}

/** Temporal did not answer (or is not configured): the caller answers 503, never "nothing runs". */
export class RunningDaysUnavailable extends Error {
  override name = 'RunningDaysUnavailable';
}

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
  private connection: Promise<Connection> | null = null;
  private cached: { until: number; value: Promise<RunningDay[]> } | null = null;

  constructor(private readonly settings: TemporalSettings) {}

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
    let connection: Connection;
    try {
      this.connection ??= Connection.connect({ address: this.settings.address, connectTimeout: '3 seconds' });
      connection = await this.connection;
    } catch (error) {
      this.connection = null;
      throw new RunningDaysUnavailable(
        `Temporal at ${this.settings.address} does not answer: ${messageOf(error)}`,
      );
    }
    const client = new Client({ connection, namespace: this.settings.namespace });
    const days: RunningDay[] = [];
    try {
      for await (const execution of client.workflow.list({ query: QUERY, pageSize: 500 })) {
        const match = DAY_WORKFLOW_ID.exec(execution.workflowId);
        if (!match || !isDeliveryDay(match[2]!)) continue;
        days.push({
          dataset: match[1]!,
          day: match[2]!,
          workflow_id: execution.workflowId,
          run_id: execution.runId,
          started_at: execution.startTime.toISOString(),
        });
        if (days.length >= MAX_RUNNING_DAYS) break;
      }
    } catch (error) {
      if (isTemporalUnreachable(error)) {
        this.connection = null;
        await connection.close().catch(() => {});
      }
      throw new RunningDaysUnavailable(
        `Temporal at ${this.settings.address} (namespace ${this.settings.namespace}) did not list the running days: ${messageOf(error)}`,
      );
    }
    return days.sort((a, b) =>
      a.day === b.day ? a.dataset.localeCompare(b.dataset) : a.day < b.day ? -1 : 1,
    );
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (connection) await (await connection.catch(() => null))?.close();
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
