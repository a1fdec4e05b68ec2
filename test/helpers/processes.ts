// Child processes of the project's own CLI (`node bin/jao.js …`), with their output kept for assertions.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_DATASET } from '../../domain/datasets';
import { recordSpawn } from './spawnLog.mts';

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * JAO_DATASETS of every CLI a test runs, unless the test names its own: Core maxExchanges alone (the default is
 * every declared dataset), so a worker or `jao start` spends no schedules, fetches or backfills on datasets the
 * test does not read, and `jao health` judges the days the test stored.
 */
/** What every CLI a test runs is given: Core maxExchanges alone, and JSON lines the tests read (whatever the shell's LOG_FORMAT). */
export const TEST_CLI_ENV = { JAO_DATASETS: DEFAULT_DATASET, LOG_FORMAT: 'json' };

export interface JaoProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when a line containing `text` has been printed (stdout or stderr). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

/** `root`: the checkout whose CLI runs (another release's, for an upgrade); this tree's by default. */
export function spawnJao(
  args: string[],
  env: NodeJS.ProcessEnv,
  root: string = REPO_ROOT,
  { ownProcessGroup = false }: { ownProcessGroup?: boolean } = {},
): JaoProcess {
  recordSpawn(args);
  const child = spawn(process.execPath, [join(root, 'bin', 'jao.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...TEST_CLI_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A group of its own can be signalled as a terminal's Ctrl-C signals: every process of the group at once.
    detached: ownProcessGroup,
  });
  let text = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      const matches = () => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
      if (matches()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${String(pattern)}; output so far:\n${text.slice(-2000)}`));
        }, timeoutMs);
        const check = () => {
          if (!matches()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        exited.then(() => {
          if (waiters.has(check)) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`process exited before printing ${String(pattern)}:\n${text.slice(-2000)}`));
          }
        });
      });
    },
  };
}

/**
 * Runs the CLI to completion. Its end is 'close', not 'exit': 'exit' can come before the last bytes it wrote
 * have been read from its pipes, and a one-line error would then read as no line at all.
 */
export async function runJao(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  root: string = REPO_ROOT,
  /** Killed (SIGKILL) past this, when given. */
  timeoutMs?: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  recordSpawn(args);
  const child = spawn(process.execPath, [join(root, 'bin', 'jao.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...TEST_CLI_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(timeoutMs ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

export async function stopProcess(process: JaoProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill(signal);
  await process.exited;
}
