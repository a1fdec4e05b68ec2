// `jao simulate`: the JAO simulator (simulator/), which only a source checkout holds (cli/sourceOnly.ts).
import { runSimulateCommand } from '../../simulator/command';
import { SimulatorInputError } from '../../simulator/faults';
import { UsageError } from '../errors';

export async function simulateCommand(argv: string[]): Promise<void> {
  try {
    await runSimulateCommand(argv);
  } catch (error) {
    if (error instanceof SimulatorInputError) throw new UsageError(error.message);
    throw error;
  }
}
