// The pipeline's health verdict from facts gathered elsewhere: one reason per problem, none when healthy.
import type { StatusReport } from './statusReport';

export interface HealthFacts {
  /** Null when reachable, else why not. */
  temporalError: string | null;
  databaseError: string | null;
  schedule: 'running' | 'paused' | 'missing' | 'unknown';
  /** The poll schedule of the configured task queue (default maxExchanges-poll). */
  scheduleId?: string;
  /** The lookback window through tomorrow; null when the database could not be read. */
  report: StatusReport | null;
}

export function healthProblems(facts: HealthFacts): string[] {
  const problems: string[] = [];
  if (facts.temporalError) problems.push(`temporal unreachable: ${facts.temporalError}`);
  if (facts.databaseError) problems.push(`database unreachable: ${facts.databaseError}`);
  const scheduleId = facts.scheduleId ?? 'maxExchanges-poll';
  if (facts.schedule === 'paused') problems.push(`schedule ${scheduleId} is paused`);
  if (facts.schedule === 'missing') problems.push(`schedule ${scheduleId} does not exist`);
  if (facts.report) {
    const { tomorrow } = facts.report;
    if (tomorrow.late) {
      problems.push(`data late: ${tomorrow.day} is ${tomorrow.status}, it was due at ${tomorrow.deadline}`);
    }
    for (const line of facts.report.days) {
      if (line.status === 'failed') {
        problems.push(`day failed: ${line.day}${line.lastError ? ` (${line.lastError})` : ''}`);
      }
    }
  }
  return problems;
}
