// A page of a constraint publication as JAO answers it (Core's flow-based domain, its shadow prices, Nordic's and
// coreID's domains): the paged envelope and its rows, read in the publication's spelling (publicationFields.ts)
// into typed rows of one stored form with nothing dropped. A field of an unexpected type refuses its row (never coerced); a field this build does not know
// is kept beside the row and reported, never ignored.
import { CORE_DOMAIN_FIELDS, type ConstraintFields } from '../datasets/declaration';
import { runToEnd, type Steps } from '../steps';
import { issuesOf, lazily, zod } from '../zod';
import {
  CONTINGENCY_TEXT_FIELDS,
  type ContingencyTextField,
  HUB_NAME,
  NUMERIC_FIELDS,
  type NumericField,
  TEXT_FIELDS,
  type TextField,
} from './fields';
import { type ExtraKind, FRAME_FIELDS, publishedNames } from './publicationFields';
import type { ConstraintRow, ContingencyBranch } from './rows';

export type { ConstraintRow } from './rows';

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

const envelopeSchema = lazily(() => {
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
});

const rowFrameSchema = lazily(() => {
  const z = zod();
  return z.object({
    id: z.number().int(),
    dateTimeUtc: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'expected a UTC instant'),
  });
});

const contingenciesSchema = lazily(() => {
  const z = zod();
  const text = z.string().nullable();
  return z.array(
    z
      .object({
        number: z.number().int().min(1),
        ...Object.fromEntries(CONTINGENCY_TEXT_FIELDS.map((field) => [field, text.optional()])),
      })
      .loose(),
  );
});

/** What a publication's rows are read with: its spelling, worked out once (fields → plan). */
interface ReadPlan {
  numbers: ReadonlyArray<[NumericField, string | null]>;
  texts: ReadonlyArray<[TextField, string | null]>;
  /** Every name the plan reads, besides PTDFs: anything else is unknown. */
  known: ReadonlySet<string>;
}

const plans = new WeakMap<ConstraintFields, ReadPlan>();

function planOf(fields: ConstraintFields): ReadPlan {
  let plan = plans.get(fields);
  if (plan) return plan;
  const names = new Map(publishedNames(fields));
  const numbers = NUMERIC_FIELDS.map((field): [NumericField, string | null] => [field, names.get(field)!]);
  const texts = TEXT_FIELDS.map((field): [TextField, string | null] => [field, names.get(field)!]);
  const known = new Set<string>([...FRAME_FIELDS, ...Object.keys(fields.extra)]);
  for (const [, published] of [...numbers, ...texts]) if (published !== null) known.add(published);
  if (fields.presolvedFlag !== null) known.add(fields.presolvedFlag);
  known.add(fields.contingency.form === 'list' ? 'contingencies' : fields.contingency.branchEic);
  plan = { numbers, texts, known };
  plans.set(fields, plan);
  return plan;
}

/** What a field of each kind holds. */
interface KindValue {
  number: number;
  text: string;
  flag: boolean;
}

/** A published field's value as its kind, null included; an Error naming the field when it is of another type. */
function fieldValue<Kind extends ExtraKind>(
  kind: Kind,
  name: string,
  value: unknown,
): KindValue[Kind] | null | Error {
  if (value === null) return null;
  const ok =
    kind === 'number'
      ? typeof value === 'number' && Number.isFinite(value)
      : typeof value === (kind === 'text' ? 'string' : 'boolean');
  if (ok) return value as KindValue[Kind];
  const expected = kind === 'number' ? 'a number' : kind === 'text' ? 'text' : 'true or false';
  return new Error(`${name}: expected ${expected} or null, got ${JSON.stringify(value)}`);
}

/** A field every row of the publication carries, read as its kind. */
function requiredValue<Kind extends ExtraKind>(kind: Kind, name: string, record: Record<string, unknown>) {
  const value = record[name];
  return value === undefined ? new Error(`${name}: absent`) : fieldValue(kind, name, value);
}

/** The stored fields of one kind, from their published names (null: not published, stored null). */
function storedValues<Field extends string, Kind extends ExtraKind>(
  kind: Kind,
  names: ReadonlyArray<[Field, string | null]>,
  record: Record<string, unknown>,
): Record<Field, KindValue[Kind] | null> | Error {
  const values = {} as Record<Field, KindValue[Kind] | null>;
  for (const [field, published] of names) {
    const value = published === null ? null : requiredValue(kind, published, record);
    if (value instanceof Error) return value;
    values[field] = value;
  }
  return values;
}

/**
 * Reads one row in the publication's spelling (`fields`; Core's domain spelling by default) into the stored form; a
 * string saying why when it is not a row of the publication.
 */
export function parseConstraintRow(
  raw: unknown,
  fields: ConstraintFields = CORE_DOMAIN_FIELDS,
): ConstraintRow | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not an object';
  const frame = rowFrameSchema().safeParse(raw);
  if (!frame.success) return issuesOf(frame.error);
  const plan = planOf(fields);
  const record = raw as Record<string, unknown>;
  let presolved = true;
  if (fields.presolvedFlag !== null) {
    const flag = record[fields.presolvedFlag];
    if (typeof flag !== 'boolean')
      return `${fields.presolvedFlag}: expected true or false, got ${JSON.stringify(flag)}`;
    presolved = flag;
  }
  const numbers = storedValues('number', plan.numbers, record);
  if (numbers instanceof Error) return numbers.message;
  const texts = storedValues('text', plan.texts, record);
  if (texts instanceof Error) return texts.message;
  const extra: ConstraintRow['extra'] = {};
  for (const [name, kind] of Object.entries(fields.extra)) {
    if (!(name in record)) continue;
    const value = fieldValue(kind, name, record[name]);
    if (value instanceof Error) return value.message;
    extra[name] = value;
  }
  const ptdfs: Array<[string, number | null]> = [];
  const unknown: Record<string, unknown> = {};
  const prefix = fields.ptdfPrefix;
  for (const [key, value] of Object.entries(record)) {
    if (plan.known.has(key)) continue;
    if (key.startsWith(prefix)) {
      const hub = key.slice(prefix.length);
      if (!HUB_NAME.test(hub)) return `${key}: not a hub name`;
      const ptdf = fieldValue('number', key, value);
      if (ptdf instanceof Error) return ptdf.message;
      ptdfs.push([hub, ptdf]);
    } else unknown[key] = value;
  }
  let contingencies: ContingencyBranch[];
  if (fields.contingency.form === 'flat') {
    const eic = requiredValue('text', fields.contingency.branchEic, record);
    if (eic instanceof Error) return eic.message;
    contingencies = [{ number: 1, fields: { branchEic: eic } }];
  } else {
    const list = contingenciesSchema().safeParse(record.contingencies);
    if (!list.success) return `contingencies: ${issuesOf(list.error)}`;
    contingencies = list.data.map(({ number, ...rest }, index) => {
      const branch: ContingencyBranch['fields'] = {};
      for (const [key, value] of Object.entries(rest)) {
        if ((CONTINGENCY_TEXT_FIELDS as readonly string[]).includes(key))
          branch[key as ContingencyTextField] = value as string | null;
        else unknown[`contingencies[${index}].${key}`] = value;
      }
      return { number, fields: branch };
    });
  }
  return {
    jaoId: frame.data.id,
    mtu: frame.data.dateTimeUtc,
    presolved,
    numbers,
    texts,
    contingencies,
    flatContingency: fields.contingency.form === 'flat',
    ptdfs,
    extra,
    unknown,
  };
}

type EnvelopeFields = ReturnType<typeof envelopeSchema>['_output'];

export type PageEnvelopeCheck =
  | { ok: true; totalRowsWithFilter: number; rows: number; envelope: EnvelopeFields & { data: unknown[] } }
  | { ok: false; rejected: boolean; reason: string };

/** Reads a page's envelope alone: what it announces and how many rows it carries, its rows unread. */
export function pageEnvelope(payload: unknown): PageEnvelopeCheck {
  const unreadable = (reason: string): PageEnvelopeCheck => ({ ok: false, rejected: false, reason });
  const envelope = envelopeSchema().safeParse(payload);
  if (!envelope.success) return unreadable(`not a JAO domain page: ${issuesOf(envelope.error)}`);
  const e = envelope.data;
  if (e.rejected) {
    const messages = typeof e.messages === 'string' ? [e.messages] : (e.messages ?? []).map(String);
    return { ok: false, rejected: true, reason: `rejected by JAO: ${messages.join('; ') || 'no message'}` };
  }
  if (e.data === null) return unreadable('data is null in an answer that is not rejected');
  if (e.totalRowsWithFilter === null || e.totalRowsWithFilter === undefined)
    return unreadable('totalRowsWithFilter is missing: the page cannot be placed');
  return {
    ok: true,
    totalRowsWithFilter: e.totalRowsWithFilter,
    rows: e.data.length,
    envelope: { ...e, data: e.data },
  };
}

/**
 * Reads a page: its envelope, then each row in the publication's spelling (a row that is not one is refused with
 * its reason), one step a row.
 */
export function* domainPageSteps(
  payload: unknown,
  fields: ConstraintFields = CORE_DOMAIN_FIELDS,
): Steps<DomainPageCheck> {
  const checked = pageEnvelope(payload);
  if (!checked.ok) return checked;
  const e = checked.envelope;
  const rows: ConstraintRow[] = [];
  const refused: RefusedRow[] = [];
  for (const [index, raw] of e.data.entries()) {
    const row = parseConstraintRow(raw, fields);
    if (typeof row === 'string') refused.push({ index, reason: row });
    else rows.push(row);
    yield;
  }
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

/** domainPageSteps run at once. */
export function parseDomainPage(
  payload: unknown,
  fields: ConstraintFields = CORE_DOMAIN_FIELDS,
): DomainPageCheck {
  return runToEnd(domainPageSteps(payload, fields));
}
