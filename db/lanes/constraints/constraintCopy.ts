// A day's versions as one COPY into jao.constraint_value's shape: the whole day when it was never stored (the merge
// of db/lanes/constraints/constraintMerge.ts has nothing to compare it with), or the versions a revision merges. Every
// version is stamped revision 1, first seen and updated at the write's transaction time. The same text serves
// bench:write's baseline (bench/constraintCopy.ts).
import type pg from 'pg';
import type { DeliveryDay } from '../../../domain/types';
import { copyFrom } from '../../copy';
import { CONTENT_COLUMNS, type ConstraintVersion } from './constraintContent';
import { copyEscape, copyScalar } from './copyText';

/** A version's own columns in jao.constraint_value: its row id, its content and the content's hash. */
export const VERSION_COLUMNS = ['jao_id', ...CONTENT_COLUMNS, 'content_sha256'] as const;

/** jao.constraint_value's columns in the order of a line. */
export const COPY_COLUMNS = [
  'constraint_id',
  'mtu',
  'dataset',
  'delivery_day',
  ...VERSION_COLUMNS,
  'revision',
  'first_seen_at',
  'updated_at',
  'derivation_id',
] as const;

export interface CopyStamp {
  dataset: string;
  day: DeliveryDay;
  revision: number;
  /** first_seen_at and updated_at. */
  at: Date;
  derivationId: number | null;
}

/** The versions as COPY text lines in COPY_COLUMNS order, each with the constraint id `idOf` gives its key. */
export function constraintCopyText(
  versions: readonly ConstraintVersion[],
  idOf: (key: string) => number,
  stamp: CopyStamp,
): string {
  const at = stamp.at.toISOString();
  const head = `\t${copyEscape(stamp.dataset)}\t${stamp.day}\t`;
  const tail = `\t${stamp.revision}\t${at}\t${at}\t${copyScalar(stamp.derivationId)}\n`;
  const lines: string[] = [];
  for (const version of versions)
    lines.push(
      `${idOf(version.key)}\t${version.mtu}${head}${version.jaoId}\t${version.text}\t${version.sha256}${tail}`,
    );
  return lines.join('');
}

/** COPYs the versions into `table` (jao.constraint_value's shape); returns the rows written. */
export function copyConstraintVersions(
  client: pg.ClientBase,
  table: string,
  versions: readonly ConstraintVersion[],
  idOf: (key: string) => number,
  stamp: CopyStamp,
): Promise<number> {
  return copyFrom(client, `COPY ${table} (${COPY_COLUMNS.join(', ')}) FROM STDIN`, [
    constraintCopyText(versions, idOf, stamp),
  ]);
}
