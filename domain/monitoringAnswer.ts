// JAO's monitoring answer read with zod (docs/monitoring.md): by the activity that fetches it, never by workflow code.
import { z } from 'zod';
import { businessDayOf, MONITORING_STATUSES, type MonitoringStep } from './monitoring';

/** The instant forms JAO writes: `2024-09-01T00:00:00Z`, with or without fractions, or without a zone (UTC). */
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$/, 'expected an instant')
  .transform((text) => new Date(/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`).toISOString());

export const monitoringRowSchema = z.object({
  id: z.number().int(),
  businessDayUtc: instant,
  deadline: instant.nullable(),
  page: z.string().min(1).max(200),
  status: z.enum(MONITORING_STATUSES),
  lastModifiedOn: instant.nullable(),
  followUpActionInitiated: z.boolean().nullable().optional(),
});

/** The answer: envelope E1 (`data`, `rejected`, `messages`) or, as some clients read it, a bare array of rows. */
const monitoringRowsSchema = z.array(monitoringRowSchema);
const monitoringEnvelopeSchema = z.object({ data: monitoringRowsSchema });

/**
 * The steps of an answer, or the one line saying why it is unreadable. The business day is taken, as jao-py does, as
 * the Europe/Amsterdam date of `businessDayUtc` (local midnight or UTC midnight both give it).
 */
export function readMonitoringAnswer(body: unknown): { steps: MonitoringStep[] } | { problem: string } {
  const parsed = Array.isArray(body)
    ? monitoringRowsSchema.safeParse(body)
    : monitoringEnvelopeSchema.transform((answer) => answer.data).safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      problem: `unreadable monitoring answer: ${issue?.path.join('.') || '(answer)'}: ${issue?.message}`,
    };
  }
  return {
    steps: parsed.data.map((row) => ({
      day: businessDayOf(row.businessDayUtc),
      page: row.page,
      status: row.status,
      deadline: row.deadline,
      lastModifiedOn: row.lastModifiedOn,
      followUpActionInitiated: row.followUpActionInitiated ?? null,
    })),
  };
}
