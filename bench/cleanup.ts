// Everything a benchmark started, undone in reverse order at the end, on error and on SIGINT/SIGTERM.

export class Cleanup {
  private readonly steps: { label: string; run: () => Promise<unknown> | unknown }[] = [];

  /** `who`: how a failed step's line names the run (a benchmark, `test:upgrade`). */
  constructor(private readonly who = 'benchmark') {}

  /** Adds a step; the returned function runs it now (once) and takes it off the list. */
  add(label: string, run: () => Promise<unknown> | unknown): () => Promise<void> {
    const step = { label, run };
    this.steps.push(step);
    return async () => {
      const index = this.steps.indexOf(step);
      if (index < 0) return;
      this.steps.splice(index, 1);
      await run();
    };
  }

  async runAll(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`${this.who} cleanup of ${step.label} failed: ${String(error)}`);
      }
    }
  }
}
