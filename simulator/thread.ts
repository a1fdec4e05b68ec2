// `jao start --simulate` runs the JAO simulator in a worker thread: in the worker's own thread its generated
// answers (a flow-based day is megabytes of JSON) held up every workflow task, and the SDK warned TMPRL1104 for
// hundreds of them in the first ten minutes on two cores. The thread ends with the stack.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SimulatorOptions } from './server';
import type { SimulatorThreadMessage } from './threadMain';

export interface SimulatorThread {
  origin: string;
  close(): Promise<void>;
}

/** The thread loads the simulator's TypeScript sources through tsx, as bin/jao.js does in a source checkout. */
const ENTRY = join(__dirname, 'threadMain.ts');
const BOOTSTRAP = `require('tsx/cjs'); require(${JSON.stringify(ENTRY)});`;

export function startSimulatorThread(
  options: Pick<SimulatorOptions, 'port' | 'publicationTime' | 'flowBasedDomainShare'>,
  onStopped: (reason: string) => void,
): Promise<SimulatorThread> {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: options });
  let closing = false;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let started = false;
    worker.once('message', (message: SimulatorThreadMessage) => {
      if ('error' in message) return reject(new Error(`the simulator did not start: ${message.error}`));
      started = true;
      resolve({
        origin: message.origin,
        async close() {
          closing = true;
          worker.postMessage('close');
          await exited;
        },
      });
    });
    worker.once('error', (error) => {
      if (!started) reject(new Error(`the simulator did not start: ${error.message}`));
      else if (!closing) onStopped(error.message);
    });
    void exited.then((code) => {
      if (!started) reject(new Error(`the simulator did not start (its thread exited with code ${code})`));
      else if (!closing) onStopped(`its thread exited with code ${code}`);
    });
  });
}
