// zod, loaded on first use. Workflow code evaluates every module it imports afresh for each workflow execution
// (the SDK's reusable V8 context keeps module state per workflow): evaluating zod made up nine tenths of a day
// workflow's memory and most of its start-up, and a day started by its backfill or poll never parses its input
// (its parent did), so only the code that parses loads it. `require`, not `import()`: parsing stays synchronous.
import type { z } from 'zod';

export function zod(): typeof z {
  return (require('zod') as typeof import('zod')).z;
}
