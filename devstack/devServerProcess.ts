// Runs `temporal server start-dev` as a child of this process and waits for its frontend to answer.
// The SDK's own launcher gives a dev server 5 s to listen, a fixed figure: a new SQLite state on a loaded machine
// took longer (`jao start` failed with "did not start within 5s"). Here the wait is ours to choose.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { portAnswers } from '../common/ports';

export interface DevServerProcessOptions {
  cliPath: string;
  args: string[];
  host: string;
  port: number;
  /** How long the frontend may take to answer after the spawn. */
  startupTimeoutMs: number;
  log: (line: string) => void;
}

export interface DevServerProcess {
  stop(): Promise<void>;
}

/** Lines the server printed last, for the message when it exits or never answers. */
const KEPT_LINES = 20;
const STOP_GRACE_MS = 10_000;

async function answers(address: string, port: number, host: string): Promise<boolean> {
  // A refused port is told at once; the gRPC client would retry it for its whole connect timeout.
  if (!(await portAnswers(port, 1_000, host))) return false;
  const connection = Connection.lazy({ address, connectTimeout: 1_000 });
  try {
    await connection.ensureConnected();
    return true;
  } catch {
    return false;
  } finally {
    await connection.close();
  }
}

export async function spawnDevServer(options: DevServerProcessOptions): Promise<DevServerProcess> {
  // Its own process group: a Ctrl-C at the terminal reaches the stack, which stops the server after the worker has
  // drained (in the terminal's group, it stopped at once, and the draining worker's calls failed).
  const child = spawn(options.cliPath, options.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lastLines: string[] = [];
  const keep = (line: string) => {
    if (line.trim() === '') return;
    options.log(line);
    lastLines.push(line);
    if (lastLines.length > KEPT_LINES) lastLines.shift();
  };
  // Whole lines, however the output is cut into chunks.
  for (const output of [child.stdout, child.stderr]) {
    if (output) createInterface({ input: output, crlfDelay: Number.POSITIVE_INFINITY }).on('line', keep);
  }
  let spawnError: Error | null = null;
  child.once('error', (error) => {
    spawnError = error;
  });
  // 'close' rather than 'exit': by then everything the server printed has been read.
  let ended: string | null = null;
  const closed = new Promise<void>((resolve) =>
    child.once('close', (code, signal) => {
      ended = String(code ?? signal);
      resolve();
    }),
  );
  // A parent that exits without stopping the server (an uncaught error) takes it along.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (ended !== null || spawnError !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await closed;
    clearTimeout(timer);
  };
  const failure = (what: string) => {
    const printed = lastLines.length > 0 ? `; it printed last:\n${lastLines.join('\n')}` : '';
    return new Error(`the Temporal dev server (${options.cliPath}) ${what}${printed}`);
  };

  const address = `${options.host}:${options.port}`;
  const deadline = Date.now() + options.startupTimeoutMs;
  for (;;) {
    const error = spawnError as Error | null;
    if (error !== null || ended !== null) {
      process.removeListener('exit', killOnExit);
      throw failure(error ? `could not be started: ${error.message}` : `exited at start-up (${ended})`);
    }
    if (await answers(address, options.port, options.host)) return { stop };
    if (Date.now() >= deadline) {
      await stop();
      throw failure(`did not answer at ${address} within ${options.startupTimeoutMs / 1000} s`);
    }
    await sleep(200);
  }
}
