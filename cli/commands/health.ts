import { ScheduleNotFoundError } from '@temporalio/client';
import { connectClient } from '../../common/temporal';
import { addDays, marketToday, marketTomorrow } from '../../domain/calendar';
import { type HealthFacts, healthProblems, healthWarnings } from '../../domain/health';
import { POLL_SCHEDULE_ID } from '../../domain/workflowInputs';
import { configFromEnv } from '../context';
import { readStatusReport } from './status';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Exit 0 when healthy; otherwise exit 1 with every reason on its own line. Warnings never change the exit code. */
export async function healthCommand(): Promise<void> {
  const config = configFromEnv();
  const now = new Date();
  const facts: HealthFacts = { temporalError: null, databaseError: null, schedule: 'unknown', report: null };

  try {
    const temporal = await connectClient(config);
    try {
      const description = await temporal.client.schedule.getHandle(POLL_SCHEDULE_ID).describe();
      facts.schedule = description.state.paused ? 'paused' : 'running';
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) facts.schedule = 'missing';
      else facts.temporalError = messageOf(error);
    } finally {
      await temporal.close();
    }
  } catch (error) {
    facts.temporalError = messageOf(error);
  }

  try {
    const from = addDays(marketToday(now), -config.POLL_LOOKBACK_DAYS);
    facts.report = await readStatusReport(config, from, marketTomorrow(now), now);
  } catch (error) {
    facts.databaseError = messageOf(error);
  }

  const problems = healthProblems(facts);
  for (const warning of healthWarnings(facts)) console.log(`warning: ${warning}`);
  if (problems.length === 0) {
    console.log('healthy');
    return;
  }
  for (const problem of problems) console.log(problem);
  process.exitCode = 1;
}
