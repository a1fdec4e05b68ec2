// How one constraint publication's fields map to the one stored form of a constraint (docs/constraints.md): JAO
// publishes one row per constraint and MTU under several spellings (Core's domains `cneName`/`ptdf_*`, Core's
// shadowPrices `cnecName`/`hub_*`/`f0core`, Nordic's `biddingZoneFrom`/`nonRedundant`, coreID's `uva`). A
// declaration names its spelling (publicationFieldsSchema.ts says each part); the reader (answer.ts) turns every
// spelling into the same ConstraintRow. Pure data: the declarations' check and the reader import it.
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

/** Which extra field kinds a publication may keep, and how each reads. */
export const EXTRA_KINDS = ['number', 'text', 'flag'] as const;
export type ExtraKind = (typeof EXTRA_KINDS)[number];

/** Fields of a row that are neither stored fields, PTDFs nor extras: read by the reader itself. */
export const FRAME_FIELDS = ['id', 'dateTimeUtc'] as const;

/** The published name of each stored field, or null where the publication does not send it. */
export function publishedNames(fields: {
  renames: Readonly<Record<string, StoredField>>;
  absent: readonly StoredField[];
}): ReadonlyArray<[StoredField, string | null]> {
  const publishedOf = new Map<StoredField, string>();
  for (const [published, stored] of Object.entries(fields.renames)) publishedOf.set(stored, published);
  return STORED_FIELDS.map((stored): [StoredField, string | null] => [
    stored,
    fields.absent.includes(stored) ? null : (publishedOf.get(stored) ?? stored),
  ]);
}
