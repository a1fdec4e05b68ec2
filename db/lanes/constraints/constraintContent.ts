// A day of the flow-based domain made ready for its write: one version per (constraint, MTU), its content already
// as the COPY text of jao.constraint_value's columns (migration 019) with the sha256 of that text, and the day's
// content hash.
import { hash } from 'node:crypto';
import type { ConstraintRow } from '../../../domain/flowBased/answer';
import { type ConstraintIdentity, constraintIdentityOf } from '../../../domain/flowBased/constraintKey';
import {
  NUMERIC_FIELDS,
  type NumericField,
  TEXT_FIELDS,
  type TextField,
} from '../../../domain/flowBased/fields';
import { identityBreaks } from '../../../domain/flowBased/identities';
import type { KeyedConstraintRow } from '../../../domain/flowBased/validateDomain';
import type { Steps } from '../../../domain/steps';
import { copyArray, copyJson, copyScalar } from './copyText';

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

/**
 * jao.constraint_value's columns that hold a version's content, in the order of a COPY line: every field but JAO's
 * row id and the identity fields (those are the constraint's, on jao.flow_constraint).
 */
export const CONTENT_COLUMNS = [
  'presolved',
  ...NUMERIC_COLUMNS,
  ...VERSION_TEXT_COLUMNS,
  'contingencies',
  'ptdf_hubs',
  'ptdf_values',
  'extra',
  'identity_breaks',
] as const;

/** One version of the day, its content already as COPY text. */
export interface ConstraintVersion {
  key: string;
  /** The MTU's start in UTC, as toISOString writes it. */
  mtu: string;
  jaoId: number;
  /** The CONTENT_COLUMNS as COPY text, tab-separated. */
  text: string;
  /** sha256 of `text`: a revision pairs stored and incoming versions by it. */
  sha256: string;
}

export interface ConstraintDayContent {
  kind: 'constraints';
  /** Each of the day's constraints once: its key and its identity (jao.flow_constraint's columns). */
  identities: Array<ConstraintIdentity & { key: string }>;
  versions: ConstraintVersion[];
  /** (key, MTU) slots a refused row names: their stored versions are kept, not taken as vanished. */
  protectedSlots: Array<{ key: string; mtu: string }>;
  /** A row was refused before its constraint or MTU could be read: nothing stored is taken as vanished. */
  protectAll: boolean;
  contentHash: string;
  minMtuMs: number | null;
  maxMtuMs: number | null;
}

/** The version's content as COPY text, in CONTENT_COLUMNS order. */
export function versionContentText(row: ConstraintRow): string {
  const cells: string[] = [copyScalar(row.presolved)];
  for (const field of NUMERIC_FIELDS) cells.push(copyScalar(row.numbers[field]));
  for (const field of VERSION_TEXT_FIELDS) cells.push(copyScalar(row.texts[field]));
  cells.push(copyJson(row.contingencies.map((branch) => ({ number: branch.number, ...branch.fields }))));
  cells.push(copyArray(row.ptdfs.map(([hub]) => hub)));
  cells.push(copyArray(row.ptdfs.map(([, ptdf]) => ptdf)));
  // `extra`: the publication's declared extra fields and any field this build does not know, as published.
  const extra = { ...row.extra, ...row.unknown };
  cells.push(Object.keys(extra).length > 0 ? copyJson(extra) : '\\N');
  const breaks = identityBreaks(row);
  cells.push(breaks.length > 0 ? copyJson(breaks) : '\\N');
  return cells.join('\t');
}

export interface ConstraintDayRows {
  accepted: readonly KeyedConstraintRow[];
  rejections: ReadonlyArray<{ key: string | null; mtu: string | null }>;
}

/** The accepted rows of a day, with the slots its refusals protect; one step a version. */
export function* constraintDayContentSteps(input: ConstraintDayRows): Steps<ConstraintDayContent> {
  const identities = new Map<string, ConstraintDayContent['identities'][number]>();
  const versions: ConstraintVersion[] = [];
  // A day has 23 to 100 MTUs and thousands of rows: each MTU is read once.
  const mtus = new Map<string, string>();
  let minMtuMs: number | null = null;
  let maxMtuMs: number | null = null;
  for (const { key, row } of input.accepted) {
    if (!identities.has(key)) identities.set(key, { key, ...constraintIdentityOf(row) });
    let mtu = mtus.get(row.mtu);
    if (mtu === undefined) {
      const ms = Date.parse(row.mtu);
      mtu = new Date(ms).toISOString();
      mtus.set(row.mtu, mtu);
      minMtuMs = minMtuMs === null ? ms : Math.min(minMtuMs, ms);
      maxMtuMs = maxMtuMs === null ? ms : Math.max(maxMtuMs, ms);
    }
    const text = versionContentText(row);
    versions.push({ key, mtu, jaoId: row.jaoId, text, sha256: hash('sha256', text) });
    yield;
  }
  const protectedSlots: ConstraintDayContent['protectedSlots'] = [];
  let protectAll = false;
  for (const rejection of input.rejections) {
    if (rejection.key === null || rejection.mtu === null || Number.isNaN(Date.parse(rejection.mtu)))
      protectAll = true;
    else protectedSlots.push({ key: rejection.key, mtu: new Date(Date.parse(rejection.mtu)).toISOString() });
  }
  // In the answer's order: the same answer hashes the same; one JAO reordered only costs a merge that finds nothing.
  const lines = versions.map((v) => `${v.key}\t${v.mtu}\t${v.sha256}\n`);
  lines.push(`protected ${protectAll}\n`);
  for (const slot of protectedSlots.map((s) => `${s.key}\t${s.mtu}`).sort()) lines.push(`${slot}\n`);
  return {
    kind: 'constraints',
    identities: [...identities.values()],
    versions,
    protectedSlots,
    protectAll,
    contentHash: `constraints:${hash('sha256', lines.join(''))}`,
    minMtuMs,
    maxMtuMs,
  };
}
