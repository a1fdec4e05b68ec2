// Workers that only make sense together (the pipeline's workflow and fetch workers) run as one: when one of
// them fails, the others are shut down, and the failure ends the whole.

export interface Sibling {
  /** Names the sibling in the failure (e.g. its task queue). */
  name: string;
  /** Resolves when the sibling stops, rejects when it fails. */
  run(): Promise<void>;
  /** Asks the sibling to stop; it then drains and its run() settles. */
  shutdown(): void;
}

/** A sibling's run() rejected: the other siblings were shut down and have stopped. */
export class SiblingFailed extends Error {
  override name = 'SiblingFailed';
}

/**
 * Runs every sibling until all have stopped. The first to fail has the others shut down; once they have all
 * settled, that failure is thrown (as SiblingFailed, naming the sibling, the original as its cause). A sibling
 * that stops without failing leaves the others running: stopping is the caller's decision (shutdown of all).
 */
export async function runTogether(siblings: readonly Sibling[]): Promise<void> {
  let failure: SiblingFailed | undefined;
  await Promise.all(
    siblings.map(async (sibling) => {
      try {
        await sibling.run();
      } catch (error) {
        if (failure) return;
        const message = error instanceof Error ? error.message : String(error);
        failure = new SiblingFailed(`${sibling.name} failed: ${message}`, { cause: error });
        for (const other of siblings) {
          if (other !== sibling) other.shutdown();
        }
      }
    }),
  );
  if (failure) throw failure;
}
