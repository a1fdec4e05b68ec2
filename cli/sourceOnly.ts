// Commands that need code the runtime image leaves out (simulator/, devstack/, scripts/): main.ts imports them
// only when they run, so the compiled CLI starts without them (docs/deployment.md, "The image").

/** The command's code is not in this build: printed as this one line, exit code 2. */
export class NotInThisBuildError extends Error {
  override name = 'NotInThisBuildError';
}

import type { CliIo } from './io';

/** A command: its exit code, or nothing when it has no way to fail but by throwing (exit 0). */
// biome-ignore lint/suspicious/noConfusingVoidType: the commands that return nothing are `async (…): Promise<void>`
export type Command = (argv: string[], io: CliIo) => Promise<number | void>;

/** A command whose module is imported on first use; a build without that module refuses it in one line. */
export function sourceOnlyCommand(name: string, load: () => Command): Command {
  return async (argv, io) => {
    let command: Command;
    try {
      command = load();
    } catch (error) {
      if (!isModuleNotFound(error)) throw error;
      throw new NotInThisBuildError(`jao ${name} is not part of this image; run it from a source checkout`);
    }
    return command(argv, io);
  };
}

function isModuleNotFound(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_MODULE_NOT_FOUND')
  );
}
