// `jao simulate`: the JAO simulator (simulator/), which only a source checkout holds (cli/sourceOnly.ts).
import { runSimulateCommand } from '../../simulator/command';
import { SimulatorInputError } from '../../simulator/faults';
import { UsageError } from '../errors';
import type { CliIo } from '../io';

export async function simulateCommand(argv: string[], io: CliIo): Promise<void> {
  try {
    await runSimulateCommand(argv, { out: io.out, err: io.err, stop: io.gracefulStop() });
  } catch (error) {
    if (error instanceof SimulatorInputError) throw new UsageError(error.message);
    throw error;
  }
}
