// A day of the flow-based domain made ready for its write: one record per (constraint, MTU) in the columns of
// jao.constraint_value (migration 019), each with the hash of its content, and the day's content hash.
import { createHash } from 'node:crypto';
import type { ConstraintRow } from '../domain/flowBased/answer';
import { constraintIdentityOf } from '../domain/flowBased/constraintKey';
import { NUMERIC_FIELDS, type NumericField, TEXT_FIELDS, type TextField } from '../domain/flowBased/fields';
import { identityBreaks } from '../domain/flowBased/identities';
import type { KeyedConstraintRow } from '../domain/flowBased/validateDomain';

/** The identity fields live on jao.flow_constraint; every other text field on each version. */
const IDENTITY_TEXT_FIELDS = [
  'tso',
  'cneEic',
  'cneName',
  'direction',
] as const satisfies readonly TextField[];
export const VERSION_TEXT_FIELDS = TEXT_FIELDS.filter(
  (field) => !(IDENTITY_TEXT_FIELDS as readonly string[]).includes(field),
);

/** `minRamTarget` → `min_ram_target`: a field's column in jao.constraint_value. */
export function columnOf(field: NumericField | TextField): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export const NUMERIC_COLUMNS = NUMERIC_FIELDS.map(columnOf);
export const VERSION_TEXT_COLUMNS = VERSION_TEXT_FIELDS.map(columnOf);
const NUMERIC_PAIRS = NUMERIC_FIELDS.map((field, i) => [field, NUMERIC_COLUMNS[i]!] as const);
const VERSION_TEXT_PAIRS = VERSION_TEXT_FIELDS.map((field, i) => [field, VERSION_TEXT_COLUMNS[i]!] as const);

/** One version as jsonb_to_recordset reads it: keys are the columns. */
export type ConstraintRecord = Record<string, string | number | boolean | null | unknown[] | object>;

export interface ConstraintIdentityRecord {
  constraint_key: string;
  tso: string | null;
  cne_eic: string | null;
  cne_name: string | null;
  direction: string | null;
  contingency_eics: Array<string | null>;
}

export interface ConstraintDayContent {
  kind: 'constraints';
  identities: ConstraintIdentityRecord[];
  records: ConstraintRecord[];
  /** (key, MTU) slots a refused row names: their stored versions are kept, not taken as vanished. */
  protectedSlots: Array<{ key: string; mtu: string }>;
  /** A row was refused before its constraint or MTU could be read: nothing stored is taken as vanished. */
  protectAll: boolean;
  contentHash: string;
  minMtuMs: number | null;
  maxMtuMs: number | null;
}

function normalizedMtu(mtu: string): string {
  return new Date(Date.parse(mtu)).toISOString();
}

/** What a version holds, in a fixed order, without JAO's row id (not content). */
function contentOf(row: ConstraintRow): unknown[] {
  return [
    normalizedMtu(row.mtu),
    row.presolved,
    NUMERIC_FIELDS.map((field) => row.numbers[field]),
    TEXT_FIELDS.map((field) => row.texts[field]),
    row.contingencies,
    row.ptdfs,
    row.unknown,
  ];
}

export function versionHashOf(row: ConstraintRow): string {
  return createHash('sha256')
    .update(JSON.stringify(contentOf(row)))
    .digest('hex');
}

function recordOf({ key, row }: KeyedConstraintRow): ConstraintRecord {
  const record: ConstraintRecord = {
    constraint_key: key,
    mtu: normalizedMtu(row.mtu),
    jao_id: row.jaoId,
    presolved: row.presolved,
  };
  for (const [field, column] of NUMERIC_PAIRS) record[column] = row.numbers[field];
  for (const [field, column] of VERSION_TEXT_PAIRS) record[column] = row.texts[field];
  record.contingencies = row.contingencies.map((branch) => ({ number: branch.number, ...branch.fields }));
  record.ptdf_hubs = row.ptdfs.map(([hub]) => hub);
  record.ptdf_values = row.ptdfs.map(([, ptdf]) => ptdf);
  record.extra = Object.keys(row.unknown).length > 0 ? row.unknown : null;
  const breaks = identityBreaks(row);
  record.identity_breaks = breaks.length > 0 ? breaks : null;
  record.content_sha256 = versionHashOf(row);
  return record;
}

/** The accepted rows of a day, with the slots its refusals protect. */
export function constraintDayContent(input: {
  accepted: readonly KeyedConstraintRow[];
  rejections: ReadonlyArray<{ key: string | null; mtu: string | null }>;
}): ConstraintDayContent {
  const identities = new Map<string, ConstraintIdentityRecord>();
  const records: ConstraintRecord[] = [];
  let minMtuMs: number | null = null;
  let maxMtuMs: number | null = null;
  for (const keyed of input.accepted) {
    if (!identities.has(keyed.key)) {
      const identity = constraintIdentityOf(keyed.row);
      identities.set(keyed.key, {
        constraint_key: keyed.key,
        tso: identity.tso,
        cne_eic: identity.cneEic,
        cne_name: identity.cneName,
        direction: identity.direction,
        contingency_eics: identity.contingencyEics,
      });
    }
    const at = Date.parse(keyed.row.mtu);
    minMtuMs = minMtuMs === null ? at : Math.min(minMtuMs, at);
    maxMtuMs = maxMtuMs === null ? at : Math.max(maxMtuMs, at);
    records.push(recordOf(keyed));
  }
  const protectedSlots: ConstraintDayContent['protectedSlots'] = [];
  let protectAll = false;
  for (const rejection of input.rejections) {
    if (rejection.key === null || rejection.mtu === null || Number.isNaN(Date.parse(rejection.mtu)))
      protectAll = true;
    else protectedSlots.push({ key: rejection.key, mtu: normalizedMtu(rejection.mtu) });
  }
  const hash = createHash('sha256');
  const lines = records.map((r) => `${r.constraint_key}\t${r.mtu}\t${r.content_sha256}`).sort();
  for (const line of lines) hash.update(`${line}\n`);
  hash.update(`protected ${protectAll}\n`);
  for (const slot of protectedSlots.map((s) => `${s.key}\t${s.mtu}`).sort()) hash.update(`${slot}\n`);
  return {
    kind: 'constraints',
    identities: [...identities.values()],
    records,
    protectedSlots,
    protectAll,
    contentHash: `constraints:${hash.digest('hex')}`,
    minMtuMs,
    maxMtuMs,
  };
}
