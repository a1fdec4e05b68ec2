// The runs of a day workflow as GET /v1/days/{day}/runs answers them: the API builds them, the status page reads them.

/** Who started a run, as its memo says; null for runs started otherwise (schedule, backfill, Web UI). */
export interface RunStarter {
  via: string;
  key_id: number | null;
  key_name: string | null;
}

/** One run of a day workflow. */
export interface DayRun {
  workflow_id: string;
  run_id: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, TERMINATED, TIMED_OUT, CANCELLED, CONTINUED_AS_NEW. */
  execution_status: string;
  /** The day's status the run ended with (search attribute DayStatus); `running` while it runs; null if unset. */
  day_status: string | null;
  started_at: string;
  closed_at: string | null;
  /** The worker build that last completed a task of the run; null when Temporal did not record one. */
  build_id: string | null;
  /** The run that started it: a backfill or poll, or null for a top-level run. */
  parent_workflow_id: string | null;
  started_by: RunStarter | null;
}
