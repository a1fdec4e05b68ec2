// Faults the simulator can inject, as set at start-up and changed while it runs.
import { z } from 'zod';
import { isDeliveryDay } from '../domain/calendar';

const deliveryDaySchema = z.string().refine(isDeliveryDay, { message: 'expected a delivery day YYYY-MM-DD' });

export const simulatorFaultsSchema = z.strictObject({
  /** Added to every answer of the data path. */
  latencyMs: z.number().int().min(0).max(600_000),
  /** Share of answers that are 5xx (seeded PRNG: reproducible). */
  errorRate: z.number().min(0).max(1),
  /** 429 above this many answered requests in a sliding 60 s window. */
  maxRequestsPerMinute: z.number().int().positive().nullable(),
  retryAfterSeconds: z.number().int().min(0).nullable(),
  /** Body cut in the middle. */
  truncatedDays: z.array(deliveryDaySchema),
  /** HTML error page with status 200. */
  malformedDays: z.array(deliveryDaySchema),
  /** `rejected:true` with messages. */
  rejectedDays: z.array(deliveryDaySchema),
  /** The third MTU row of the day left out. */
  missingMtuDays: z.array(deliveryDaySchema),
  /** 400 for a window covering a whole DST-change day (a real JAO quirk); smaller windows succeed. */
  dstSplitRefusal: z.boolean(),
});

export type SimulatorFaults = z.infer<typeof simulatorFaultsSchema>;

export const partialSimulatorFaultsSchema = simulatorFaultsSchema.partial();

export const NO_FAULTS: SimulatorFaults = {
  latencyMs: 0,
  errorRate: 0,
  maxRequestsPerMinute: null,
  retryAfterSeconds: null,
  truncatedDays: [],
  malformedDays: [],
  rejectedDays: [],
  missingMtuDays: [],
  dstSplitRefusal: false,
};

export class SimulatorInputError extends Error {
  override name = 'SimulatorInputError';
}

/** Current faults with the given ones replaced; throws SimulatorInputError on an invalid field. */
export function mergeFaults(current: SimulatorFaults, changes: unknown): SimulatorFaults {
  const parsed = partialSimulatorFaultsSchema.safeParse(changes);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new SimulatorInputError(`invalid faults: ${problems.join('; ')}`);
  }
  const merged: SimulatorFaults = { ...current };
  for (const [name, value] of Object.entries(parsed.data)) {
    if (value !== undefined) Object.assign(merged, { [name]: value });
  }
  return merged;
}
