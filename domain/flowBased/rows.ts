// A row of the flow-based domain as read (domain/flowBased/answer.ts reads it): types only, so that modules without
// the parser (domain/types.ts, the page's bundle) can name it.
import type { ContingencyTextField, NumericField, TextField } from './fields';

/** One outaged branch of a row's contingency; `number` 1..k. A field absent from the answer is undefined. */
export interface ContingencyBranch {
  number: number;
  fields: Partial<Record<ContingencyTextField, string | null>>;
}

export interface ConstraintRow {
  /** JAO's row id: kept, but not an identity (it changes when JAO republishes). */
  jaoId: number;
  /** The MTU's start, as JAO wrote it (`2024-12-31T23:00:00Z`). */
  mtu: string;
  presolved: boolean;
  numbers: Record<NumericField, number | null>;
  texts: Record<TextField, string | null>;
  contingencies: ContingencyBranch[];
  /** The publication names one outaged branch in the row (`contingency: flat`): its contName is part of the identity. */
  flatContingency: boolean;
  /** PTDF per hub, in the order JAO published the columns; null where the hub does not apply. */
  ptdfs: Array<[hub: string, ptdf: number | null]>;
  /** The publication's declared extra fields (publicationFields.ts), as published: kept. */
  extra: Record<string, string | number | boolean | null>;
  /** Fields this build does not know, as published: kept, and reported as drift. */
  unknown: Record<string, unknown>;
}

/** A row with the identity of its constraint across versions (constraintKey.ts). */
export interface KeyedConstraintRow {
  key: string;
  row: ConstraintRow;
}
