import { ScheduleNotFoundError } from '@temporalio/client';
import { connectClient } from '../../common/temporal';
import { addDays, marketToday, marketTomorrow } from '../../domain/calendar';
import { type HealthFacts, healthProblems } from '../../domain/health';
import { pollScheduleIdFor } from '../../workers/schedule';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import { readStatusReport } from './status';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Exit 0 when healthy; otherwise exit 1 with every reason on its own line. */
export async function healthCommand(argv: string[]): Promise<void> {
  parseCommandArgs('health', argv, {}, 0);
  const config = configFromEnv();
  const now = new Date();
  const scheduleId = pollScheduleIdFor(config.TEMPORAL_TASK_QUEUE);
  const facts: HealthFacts = {
    temporalError: null,
    databaseError: null,
    schedule: 'unknown',
    scheduleId,
    report: null,
  };

  try {
    const temporal = await connectClient(config);
    try {
      const description = await temporal.client.schedule.getHandle(scheduleId).describe();
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
  if (problems.length === 0) {
    console.log('healthy');
    return;
  }
  for (const problem of problems) console.log(problem);
  process.exitCode = 1;
}
