// zod, loaded on first use. Workflow code evaluates every module it imports afresh for each workflow execution
// (the SDK's reusable V8 context keeps module state per workflow): evaluating zod made up nine tenths of a day
// workflow's memory and most of its start-up, and a day started by its backfill or poll never parses its input
// (its parent did), so only the code that parses loads it. `require`, not `import()`: parsing stays synchronous.
import type { z } from 'zod';
import { deliveryDayProblem, isDeliveryDay } from './calendar';

export function zod(): typeof z {
  return (require('zod') as typeof import('zod')).z;
}

/** What `build` returns, built on its first call: schemas are built only where something is parsed. */
export function lazily<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/** A delivery day `YYYY-MM-DD`, refused with what is wrong with it. */
export function deliveryDaySchema() {
  return zod()
    .string()
    .refine(isDeliveryDay, { error: (issue) => deliveryDayProblem(issue.input) ?? undefined });
}

/** A zod error's issues in one line: `path: message; …`, `(root)` for the value itself. */
export function issuesOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
