// The CLI in-process: `main(argv, io)` with an io that keeps what the command writes (docs/development.md, "The
// in-process harness"). A spawned `jao` (test/helpers/processes.ts) is for what only a process shows: the compiled
// CLI's exit codes, signals, another release's checkout.
import { register } from 'tsx/cjs/api';
import { cliIo } from '../../cli/io';
import { main } from '../../cli/main';
import { TEST_CLI_ENV } from './processes';

// `main` requires a command's module when it runs (cli/main.ts), through Node's require, as bin/jao.js does with
// tsx: the same here. The command's modules are then Node's copies, not vitest's (cli/main.ts matches its errors by
// name for that reason).
register();

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  /** What the command has written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once a line containing `text` has been written (stdout or stderr), within `timeoutMs`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Asks the command to stop, as Ctrl-C does, and waits for its end. */
  stop(): Promise<CliRun>;
  done: Promise<CliRun>;
}

/** Starts `jao <args>` in this process with the test's environment over this process's and TEST_CLI_ENV. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const written = () => {
    for (const waiter of waiters) waiter();
  };
  const stop = new AbortController();
  const io = cliIo({
    env: { ...process.env, ...TEST_CLI_ENV, ...env },
    stdout: {
      write: (text: string) => {
        stdout += text;
        written();
      },
    },
    stderr: {
      write: (text: string) => {
        stderr += text;
        written();
      },
    },
    stop: stop.signal,
  });
  let finished = false;
  const done = main(args, io).then((code) => {
    finished = true;
    written();
    return { code, stdout, stderr };
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    async stop() {
      stop.abort();
      return done;
    },
    waitFor(pattern, timeoutMs = 60_000) {
      const matches = () =>
        typeof pattern === 'string'
          ? stdout.includes(pattern) || stderr.includes(pattern)
          : pattern.test(stdout) || pattern.test(stderr);
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (matches()) {
            settle();
            resolve();
          } else if (finished) {
            settle();
            reject(
              new Error(`jao ${args.join(' ')} ended before writing ${String(pattern)}:\n${stdout}${stderr}`),
            );
          }
        };
        const timer = setTimeout(() => {
          settle();
          reject(
            new Error(
              `timed out waiting for ${String(pattern)}; written so far:\n${(stdout + stderr).slice(-2000)}`,
            ),
          );
        }, timeoutMs);
        const settle = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Runs `jao <args>` in this process to its end. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(args, env).done;
}
