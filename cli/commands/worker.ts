import { runWorkerProcess } from '../../workers/main';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';

export async function workerCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs('worker', argv, { 'no-schedule': { type: 'boolean' } });
  await runWorkerProcess(configFromEnv(), { ensureSchedule: !values['no-schedule'] });
}
