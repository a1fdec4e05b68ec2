// A page of Core's flow-based domain as JAO answers it: the paged envelope and its rows, read into typed rows with
// nothing dropped. A field of an unexpected type refuses its row (never coerced); a field this build does not know
// is kept beside the row and reported, never ignored.
import type { z } from 'zod';
import { zod } from '../zod';
import {
  CONTINGENCY_TEXT_FIELDS,
  type ContingencyTextField,
  HUB_NAME,
  NUMERIC_FIELDS,
  type NumericField,
  PTDF_PREFIX,
  ROW_FRAME_FIELDS,
  TEXT_FIELDS,
  type TextField,
} from './fields';
import type { ConstraintRow, ContingencyBranch } from './rows';

export type { ConstraintRow, ContingencyBranch } from './rows';

export interface RefusedRow {
  /** Position in the page's `data`. */
  index: number;
  reason: string;
}

export interface DomainPage {
  rows: ConstraintRow[];
  refused: RefusedRow[];
  /** Rows in the window without the filter; null where JAO does not say. */
  totalRows: number | null;
  /** Rows that match the filter, whatever the paging: what a complete answer holds. */
  totalRowsWithFilter: number;
  skip: number;
  take: number;
  /** The filter as JAO applied it (its `presolved` is true when the presolved filter took effect). */
  appliedFilter: Record<string, unknown> | null;
  /** The latest modification of this page's rows (not of the whole answer); null where JAO does not say. */
  lastModifiedOn: string | null;
}

export type DomainPageCheck =
  | { ok: true; page: DomainPage }
  | { ok: false; rejected: boolean; reason: string };

const KNOWN_FIELDS = new Set<string>([...ROW_FRAME_FIELDS, ...NUMERIC_FIELDS, ...TEXT_FIELDS]);

function buildEnvelopeSchema() {
  const z = zod();
  return z.object({
    data: z.array(z.unknown()).nullable(),
    totalRows: z.number().int().min(0).nullable().optional(),
    totalRowsWithFilter: z.number().int().min(0).nullable().optional(),
    skip: z.number().int().min(0).nullable().optional(),
    take: z.number().int().min(0).nullable().optional(),
    appliedFilter: z.record(z.string(), z.unknown()).nullable().optional(),
    lastModifiedOn: z.string().nullable().optional(),
    rejected: z.boolean(),
    messages: z
      .union([z.array(z.unknown()), z.string()])
      .nullable()
      .optional(),
  });
}

function buildRowFrameSchema() {
  const z = zod();
  const text = z.string().nullable();
  return z.object({
    id: z.number().int(),
    dateTimeUtc: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'expected a UTC instant'),
    presolved: z.boolean(),
    contingencies: z.array(
      z
        .object({
          number: z.number().int().min(1),
          ...Object.fromEntries(CONTINGENCY_TEXT_FIELDS.map((field) => [field, text.optional()])),
        })
        .loose(),
    ),
  });
}

let envelopeSchema: ReturnType<typeof buildEnvelopeSchema> | undefined;
let rowFrameSchema: ReturnType<typeof buildRowFrameSchema> | undefined;

function issuesOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Reads one row; a string saying why when it is not a row of the domain. */
export function parseConstraintRow(raw: unknown): ConstraintRow | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not an object';
  rowFrameSchema ??= buildRowFrameSchema();
  const frame = rowFrameSchema.safeParse(raw);
  if (!frame.success) return issuesOf(frame.error);
  const record = raw as Record<string, unknown>;
  const numbers = {} as Record<NumericField, number | null>;
  for (const field of NUMERIC_FIELDS) {
    const value = record[field];
    if (value === undefined) return `${field}: absent`;
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
      return `${field}: expected a number or null, got ${JSON.stringify(value)}`;
    numbers[field] = value;
  }
  const texts = {} as Record<TextField, string | null>;
  for (const field of TEXT_FIELDS) {
    const value = record[field];
    if (value === undefined) return `${field}: absent`;
    if (value !== null && typeof value !== 'string')
      return `${field}: expected text or null, got ${JSON.stringify(value)}`;
    texts[field] = value;
  }
  const ptdfs: Array<[string, number | null]> = [];
  const unknown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (KNOWN_FIELDS.has(key)) continue;
    if (key.startsWith(PTDF_PREFIX)) {
      const hub = key.slice(PTDF_PREFIX.length);
      if (!HUB_NAME.test(hub)) return `${key}: not a hub name`;
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
        return `${key}: expected a number or null, got ${JSON.stringify(value)}`;
      ptdfs.push([hub, value]);
    } else unknown[key] = value;
  }
  const contingencies = frame.data.contingencies.map(({ number, ...rest }, index) => {
    const fields: ContingencyBranch['fields'] = {};
    for (const [key, value] of Object.entries(rest)) {
      if ((CONTINGENCY_TEXT_FIELDS as readonly string[]).includes(key))
        fields[key as ContingencyTextField] = value as string | null;
      else unknown[`contingencies[${index}].${key}`] = value;
    }
    return { number, fields };
  });
  return {
    jaoId: frame.data.id,
    mtu: frame.data.dateTimeUtc,
    presolved: frame.data.presolved,
    numbers,
    texts,
    contingencies,
    ptdfs,
    unknown,
  };
}

type EnvelopeFields = ReturnType<typeof buildEnvelopeSchema>['_output'];

export type PageEnvelopeCheck =
  | { ok: true; totalRowsWithFilter: number; rows: number; envelope: EnvelopeFields & { data: unknown[] } }
  | { ok: false; rejected: boolean; reason: string };

/** Reads a page's envelope alone: what it announces and how many rows it carries, its rows unread. */
export function pageEnvelope(payload: unknown): PageEnvelopeCheck {
  envelopeSchema ??= buildEnvelopeSchema();
  const envelope = envelopeSchema.safeParse(payload);
  if (!envelope.success) {
    return { ok: false, rejected: false, reason: `not a JAO domain page: ${issuesOf(envelope.error)}` };
  }
  const e = envelope.data;
  if (e.rejected) {
    const messages = typeof e.messages === 'string' ? [e.messages] : (e.messages ?? []).map(String);
    return { ok: false, rejected: true, reason: `rejected by JAO: ${messages.join('; ') || 'no message'}` };
  }
  if (e.data === null)
    return { ok: false, rejected: false, reason: 'data is null in an answer that is not rejected' };
  if (e.totalRowsWithFilter === null || e.totalRowsWithFilter === undefined) {
    return {
      ok: false,
      rejected: false,
      reason: 'totalRowsWithFilter is missing: the page cannot be placed',
    };
  }
  return {
    ok: true,
    totalRowsWithFilter: e.totalRowsWithFilter,
    rows: e.data.length,
    envelope: { ...e, data: e.data },
  };
}

/** Reads a page: its envelope, then each row (a row that is not one is refused with its reason). */
export function parseDomainPage(payload: unknown): DomainPageCheck {
  const checked = pageEnvelope(payload);
  if (!checked.ok) return checked;
  const e = checked.envelope;
  const rows: ConstraintRow[] = [];
  const refused: RefusedRow[] = [];
  e.data.forEach((raw, index) => {
    const row = parseConstraintRow(raw);
    if (typeof row === 'string') refused.push({ index, reason: row });
    else rows.push(row);
  });
  return {
    ok: true,
    page: {
      rows,
      refused,
      totalRows: e.totalRows ?? null,
      totalRowsWithFilter: checked.totalRowsWithFilter,
      skip: e.skip ?? 0,
      take: e.take ?? e.data.length,
      appliedFilter: e.appliedFilter ?? null,
      lastModifiedOn: e.lastModifiedOn ?? null,
    },
  };
}
