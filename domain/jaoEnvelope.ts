// The envelope every JAO Publication Tool answer comes in: `{"data":[…],"rejected":false,"messages":null}`.
import { z } from 'zod';
import { MAX_ROWS_PER_ANSWER } from './bodyLimit';
import { issuesOf } from './zod';

export const jaoEnvelopeSchema = z
  .object({
    data: z
      .array(z.unknown())
      .max(MAX_ROWS_PER_ANSWER, `more than ${MAX_ROWS_PER_ANSWER} rows: not one day of data`)
      .nullable(),
    rejected: z.boolean(),
    messages: z
      .union([z.array(z.unknown()), z.string()])
      .nullable()
      .optional(),
    totalRows: z.number().optional(),
    totalRowsWithFilter: z.number().optional(),
  })
  .refine((envelope) => envelope.rejected || envelope.data !== null, {
    message: 'data is null in an answer that is not rejected',
    path: ['data'],
  });

export type JaoEnvelope = z.infer<typeof jaoEnvelopeSchema>;

export type EnvelopeCheck = { ok: true; envelope: JaoEnvelope } | { ok: false; reason: string };

/** Checks the envelope only; rows are checked by the validator. */
export function parseEnvelope(payload: unknown): EnvelopeCheck {
  const parsed = jaoEnvelopeSchema.safeParse(payload);
  if (parsed.success) return { ok: true, envelope: parsed.data };
  return { ok: false, reason: `not a JAO envelope: ${issuesOf(parsed.error)}` };
}

/** JAO's messages as text, whatever shape each message has. */
export function messagesOf(envelope: JaoEnvelope): string[] {
  const messages = envelope.messages ?? [];
  if (typeof messages === 'string') return [messages];
  return messages.map((message) => (typeof message === 'string' ? message : JSON.stringify(message)));
}

/** Raw text for logs and rejection records, cut to a bounded length. */
export function truncateText(text: string, maxLength = 300): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength)}…`;
}
