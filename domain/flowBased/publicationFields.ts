// How one constraint publication's fields map to the one stored form of a constraint (docs/constraints.md): JAO
// publishes one row per constraint and MTU under several spellings (Core's domains `cneName`/`ptdf_*`, Core's
// shadowPrices `cnecName`/`hub_*`/`f0core`, Nordic's `biddingZoneFrom`/`nonRedundant`, coreID's `uva`). A
// declaration names its spelling here; the reader (answer.ts) turns every spelling into the same ConstraintRow.
// Pure data and types: declarations import it.
import { NUMERIC_FIELDS, type NumericField, PTDF_PREFIX, TEXT_FIELDS, type TextField } from './fields';

/** A field of the stored form (a column of jao.constraint_value or of jao.flow_constraint). */
export type StoredField = NumericField | TextField;
export const STORED_FIELDS: readonly StoredField[] = [...NUMERIC_FIELDS, ...TEXT_FIELDS];

/** The stored fields that make a constraint's identity, with the outaged branches' EICs (constraintKey.ts). */
export const IDENTITY_FIELDS = [
  'tso',
  'cneEic',
  'cneName',
  'direction',
] as const satisfies readonly TextField[];

/** How a row names the PTDF of a hub: `ptdf_<hub>` (the domains) or `hub_<hub>` (Core's shadowPrices). */
export const PTDF_PREFIXES = [PTDF_PREFIX, 'hub_'] as const;
export type PtdfPrefix = (typeof PTDF_PREFIXES)[number];

/**
 * How a row names its contingency's outaged branches: `list`, a `contingencies[]` array of branches (the domains);
 * `flat`, one branch's EIC in a field of the row (Core's shadowPrices `branchEic`), stored as a list of one.
 */
export type ContingencyForm = { form: 'list' } | { form: 'flat'; branchEic: string };

/** Which extra field kinds a publication may keep, and how each reads. */
export const EXTRA_KINDS = ['number', 'text', 'flag'] as const;
export type ExtraKind = (typeof EXTRA_KINDS)[number];

export interface ConstraintFields {
  /**
   * The `Filter` every request sends, as JSON (`{"Presolved":true}`; Nordic `{"NonRedundant":true}`); null: no
   * Filter parameter at all (JAO misanswers `{}`).
   */
  filter: Readonly<Record<string, boolean>> | null;
  /**
   * The published flag that says a row is in the presolved (non-redundant) domain, stored as `presolved`: Core's
   * `presolved`, Nordic's `nonRedundant`. null: the rows carry none, and each is stored presolved (`presolvedWhy`).
   */
  presolvedFlag: string | null;
  /** Why a publication without the flag stores its rows as presolved (required then, for the data dictionary). */
  presolvedWhy?: string;
  ptdfPrefix: PtdfPrefix;
  contingency: ContingencyForm;
  /** Published name → stored field, where the publication spells a stored field otherwise (`cnecName` → `cneName`). */
  renames: Readonly<Record<string, StoredField>>;
  /** Stored fields the publication does not send: stored null. Every other stored field a row must carry. */
  absent: readonly StoredField[];
  /**
   * Fields beyond the stored form the publication sends (`shadowPrice`, `aac`, `significant`…), kept as published in
   * the version's `extra` (jsonb), each read as its kind; a row without one is stored without it.
   */
  extra: Readonly<Record<string, ExtraKind>>;
  /**
   * Whether every MTU of a complete day carries a row: true for a domain (every MTU has presolved constraints),
   * false for a publication of active constraints only (an MTU where nothing binds has none).
   */
  everyMtuHasRows: boolean;
  /**
   * The most rows an MTU is seen to hold (after the filter): what `jao backfill --dry-run` plans a day's pages by.
   * Core's presolved domain: about 152 an hour at most.
   */
  rowsPerMtu: number;
}

/** Core's domain spelling (finalComputation and its stages): a declaration that names no constraintFields has it. */
export const CORE_DOMAIN_FIELDS: ConstraintFields = {
  filter: { Presolved: true },
  presolvedFlag: 'presolved',
  ptdfPrefix: PTDF_PREFIX,
  contingency: { form: 'list' },
  renames: {},
  absent: [],
  extra: {},
  everyMtuHasRows: true,
  rowsPerMtu: 160,
};

/** Fields of a row that are neither stored fields, PTDFs nor extras: read by the reader itself. */
export const FRAME_FIELDS = ['id', 'dateTimeUtc'] as const;

/** The published name of each stored field, or null where the publication does not send it. */
export function publishedNames(fields: ConstraintFields): ReadonlyArray<[StoredField, string | null]> {
  const publishedOf = new Map<StoredField, string>();
  for (const [published, stored] of Object.entries(fields.renames)) publishedOf.set(stored, published);
  return STORED_FIELDS.map((stored): [StoredField, string | null] => [
    stored,
    fields.absent.includes(stored) ? null : (publishedOf.get(stored) ?? stored),
  ]);
}
