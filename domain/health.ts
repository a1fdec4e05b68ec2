// The pipeline's health verdict from facts gathered elsewhere: one reason per problem, none when healthy; and
// warnings, which name what deserves a look without making the pipeline unhealthy.
import { describeDrift } from './drift';
import type { StatusReport } from './statusReport';

export interface HealthFacts {
  /** Null when reachable, else why not. */
  temporalError: string | null;
  databaseError: string | null;
  schedule: 'running' | 'paused' | 'missing' | 'unknown';
  /** The lookback window through tomorrow; null when the database could not be read. */
  report: StatusReport | null;
}

export function healthProblems(facts: HealthFacts): string[] {
  const problems: string[] = [];
  if (facts.temporalError) problems.push(`temporal unreachable: ${facts.temporalError}`);
  if (facts.databaseError) problems.push(`database unreachable: ${facts.databaseError}`);
  if (facts.schedule === 'paused') problems.push('schedule maxExchanges-poll is paused');
  if (facts.schedule === 'missing') problems.push('schedule maxExchanges-poll does not exist');
  if (facts.report) {
    const { tomorrow } = facts.report;
    if (tomorrow.late) {
      problems.push(`data late: ${tomorrow.day} is ${tomorrow.status}, it was due at ${tomorrow.deadline}`);
    }
    for (const line of facts.report.days) {
      if (line.status === 'failed') {
        problems.push(`day failed: ${line.day}${line.lastError ? ` (${line.lastError})` : ''}`);
      }
      if (line.status === 'partial' || line.status === 'invalid') {
        problems.push(`day ${line.status}: ${line.day}${line.reason ? ` (${line.reason})` : ''}`);
      }
    }
  }
  return problems;
}

/** Lines that deserve a look but do not make the pipeline unhealthy: schema drift, one line per day. */
export function healthWarnings(facts: HealthFacts): string[] {
  const warnings: string[] = [];
  for (const line of facts.report?.days ?? []) {
    if (line.drift) warnings.push(`schema drift: ${line.day} (${describeDrift(line.drift)})`);
  }
  return warnings;
}
