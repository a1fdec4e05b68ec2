// The simulator in a thread of its own (simulator/thread.ts starts it): its answers, megabytes of generated
// JSON for a flow-based day, are built off the thread that runs the worker's activities and workflow tasks.
import { parentPort, workerData } from 'node:worker_threads';
import { type SimulatorOptions, startSimulator } from './server';

export type SimulatorThreadMessage = { origin: string } | { error: string };

async function main(port: NonNullable<typeof parentPort>): Promise<void> {
  const simulator = await startSimulator(workerData as SimulatorOptions);
  port.on('message', (message: unknown) => {
    if (message !== 'close') return;
    void simulator.close().finally(() => port.close());
  });
  port.postMessage({ origin: simulator.origin } satisfies SimulatorThreadMessage);
}

if (parentPort) {
  const port = parentPort;
  main(port).catch((error: unknown) => {
    port.postMessage({
      error: error instanceof Error ? error.message : String(error),
    } satisfies SimulatorThreadMessage);
    port.close();
  });
}
