// Faults the simulator can inject, as set at start-up and changed while it runs.
import { z } from 'zod';
import { deliveryDayProblem, isDeliveryDay } from '../domain/calendar';

const deliveryDaySchema = z
  .string()
  .refine(isDeliveryDay, { error: (issue) => deliveryDayProblem(issue.input) ?? undefined });

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
  // Anomalies of the content (issue 10): each served on the days listed.
  /** The first `nullValueCells` values of the day (row by row, in key order) sent as null. */
  nullValueDays: z.array(deliveryDaySchema),
  nullValueCells: z.number().int().min(1).max(1_000_000),
  /** The fourth MTU's row sent twice, identically. */
  duplicateRowDays: z.array(deliveryDaySchema),
  /** The fourth MTU's row sent twice, the second time with its first value 1 MW higher. */
  conflictingDuplicateDays: z.array(deliveryDaySchema),
  /** Every value sent as a JSON string ("4346.0000000000"). */
  stringValueDays: z.array(deliveryDaySchema),
  /** Rows carry two fields that are neither timestamp nor border: `lastModifiedOn` and `comment`. */
  extraFieldDays: z.array(deliveryDaySchema),
  /** An hourly dataset's rows every 15 minutes (each hour's values repeated four times for Core). */
  quarterHourDays: z.array(deliveryDaySchema),
  /** A 15-minute dataset's rows every hour (Nordic maxExchanges at Core's resolution). */
  hourlyDays: z.array(deliveryDaySchema),
  /** Rows carry two bad keys with values: one with a NUL byte, one of 3,000 characters. */
  badKeyDays: z.array(deliveryDaySchema),
  /** Rows carry `manyKeysCount` distinct well-formed keys Core does not have (border_X1_Y1 …). */
  manyKeysDays: z.array(deliveryDaySchema),
  manyKeysCount: z.number().int().min(1).max(100_000),
  // The monitoring path alone (simulator/monitoring.ts); the data paths answer as before.
  /** Every monitoring answer is a 503. */
  monitoringOutage: z.boolean(),
  /** Every monitoring answer is an HTML page with status 200 (unreadable). */
  monitoringUnreadable: z.boolean(),
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
  nullValueDays: [],
  nullValueCells: 25,
  duplicateRowDays: [],
  conflictingDuplicateDays: [],
  stringValueDays: [],
  extraFieldDays: [],
  quarterHourDays: [],
  hourlyDays: [],
  badKeyDays: [],
  manyKeysDays: [],
  manyKeysCount: 10_000,
  monitoringOutage: false,
  monitoringUnreadable: false,
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
