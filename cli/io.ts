// What a command reads and writes besides its arguments. bin/jao.js gives a command the process's own (its
// environment, stdout, stderr and signals); a test gives it its own and calls `main` in-process
// (docs/development.md, "The in-process harness").
import { secretsOfEnvironment } from '../common/config';
import { createLogger, type Logger, logFormatFromEnv, logLevelFromEnv } from '../common/logger';

/** Where a command's text goes: a stream (the process's stdout) or anything that keeps what it is given. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  out(line: string): void;
  err(line: string): void;
  /**
   * The signal aborted when the user asks the command to stop (Ctrl-C, SIGTERM). A command that calls this stops
   * itself, cleanly; a command that does not is ended by the signal as any process is.
   */
  gracefulStop(): AbortSignal;
  /** Whether the command took the stop request on itself (gracefulStop was called). */
  readonly stopsGracefully: boolean;
}

/** An io of the caller's environment and streams; `stop` is aborted by the caller to stop the command. */
export function cliIo(parts: Pick<CliIo, 'env' | 'stdout' | 'stderr'> & { stop: AbortSignal }): CliIo {
  let graceful = false;
  return {
    env: parts.env,
    stdout: parts.stdout,
    stderr: parts.stderr,
    out: (line) => {
      parts.stdout.write(`${line}\n`);
    },
    err: (line) => {
      parts.stderr.write(`${line}\n`);
    },
    gracefulStop: () => {
      graceful = true;
      return parts.stop;
    },
    get stopsGracefully() {
      return graceful;
    },
  };
}

/** A logger whose lines go to the command's stdout, with the level, format and secrets of its environment. */
export function commandLogger(io: CliIo, name: string): Logger {
  return createLogger(name, {
    sink: io.stdout,
    level: logLevelFromEnv(io.env),
    secrets: secretsOfEnvironment(io.env),
    format: logFormatFromEnv(io.env),
  });
}
