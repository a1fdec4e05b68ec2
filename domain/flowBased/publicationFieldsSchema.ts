// The zod check of a constraint publication's field mapping (publicationFields.ts), part of a declaration's check
// (domain/datasets/declarationSchema.ts), and so what a mapping is (domain/datasets: ConstraintFields): each mistake
// is one line naming the field.
import { z } from 'zod';
import {
  EXTRA_KINDS,
  FRAME_FIELDS,
  IDENTITY_FIELDS,
  PTDF_PREFIXES,
  publishedNames,
  STORED_FIELDS,
  type StoredField,
} from './publicationFields';

const isStored = (name: string) => (STORED_FIELDS as readonly string[]).includes(name);
const fieldName = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'expected a field name as JAO writes it');
const storedField = z.enum(STORED_FIELDS as [StoredField, ...StoredField[]], {
  error: (issue) => `${JSON.stringify(issue.input)} is not a stored field (domain/flowBased/fields.ts)`,
});

/** A record keyed by field names as JAO writes them: a bad key is named as such, not as an "invalid key". */
const recordOfFields = <V extends z.ZodType>(value: V) =>
  z.record(fieldName, value, {
    error: (issue) => (issue.code === 'invalid_key' ? 'expected a field name as JAO writes it' : undefined),
  });

export const constraintFieldsSchema = z
  .object({
    /**
     * The `Filter` every request sends, as JSON (`{"Presolved":true}`; Nordic `{"NonRedundant":true}`); null: no
     * Filter parameter at all (JAO misanswers `{}`).
     */
    filter: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'expected a filter key'), z.boolean())
      .refine(
        (filter) => Object.keys(filter).length > 0,
        'an empty filter is sent as null (no Filter at all)',
      )
      .nullable(),
    /**
     * The published flag that says a row is in the presolved (non-redundant) domain, stored as `presolved`: Core's
     * `presolved`, Nordic's `nonRedundant`. null: the rows carry none, and each is stored presolved (`presolvedWhy`).
     */
    presolvedFlag: fieldName.nullable(),
    /** Why a publication without the flag stores its rows as presolved (required then, for the data dictionary). */
    presolvedWhy: z.string().min(1).optional(),
    ptdfPrefix: z.enum(PTDF_PREFIXES),
    /**
     * How a row names its contingency's outaged branches: `list`, a `contingencies[]` array of branches (the domains);
     * `flat`, one branch's EIC in a field of the row (Core's shadowPrices `branchEic`), stored as a list of one.
     */
    contingency: z.discriminatedUnion('form', [
      z.object({ form: z.literal('list') }).strict(),
      z.object({ form: z.literal('flat'), branchEic: fieldName }).strict(),
    ]),
    /** Published name → stored field, where the publication spells a stored field otherwise (`cnecName` → `cneName`). */
    renames: recordOfFields(storedField),
    /** Stored fields the publication does not send: stored null. Every other stored field a row must carry. */
    absent: z.array(storedField),
    /**
     * Fields beyond the stored form the publication sends (`shadowPrice`, `aac`, `significant`…), kept as published in
     * the version's `extra` (jsonb), each read as its kind; a row without one is stored without it.
     */
    extra: recordOfFields(z.enum(EXTRA_KINDS)),
    /**
     * Whether every MTU of a complete day carries a row: true for a domain (every MTU has presolved constraints),
     * false for a publication of active constraints only (an MTU where nothing binds has none).
     */
    everyMtuHasRows: z.boolean(),
    /**
     * The most rows an MTU is seen to hold (after the filter): what `jao backfill --dry-run` plans a day's pages by.
     * Core's presolved domain: about 152 an hour at most.
     */
    rowsPerMtu: z.number().int().min(1).max(100_000),
  })
  .strict()
  .superRefine((fields, context) => {
    const issue = (path: (string | number)[], message: string) =>
      context.addIssue({ code: 'custom', path, message });
    if (fields.presolvedFlag === null && fields.presolvedWhy === undefined)
      issue(['presolvedWhy'], 'required when presolvedFlag is null: why every row is stored presolved');
    const targets = new Set<string>();
    for (const [published, stored] of Object.entries(fields.renames)) {
      if (published === stored) issue(['renames', published], 'renamed to itself');
      if (isStored(published) && fields.renames[stored] === undefined)
        issue(
          ['renames', published],
          `${published} is itself a stored field: rename it too, or not this one`,
        );
      if (targets.has(stored)) issue(['renames', published], `${stored} is renamed to twice`);
      targets.add(stored);
      if (fields.absent.includes(stored)) issue(['renames', published], `${stored} is also declared absent`);
    }
    for (const [index, stored] of fields.absent.entries()) {
      if ((IDENTITY_FIELDS as readonly string[]).includes(stored))
        issue(['absent', index], `${stored} is part of a constraint's identity: every row must carry it`);
      if (fields.absent.indexOf(stored) !== index) issue(['absent', index], `${stored} is listed twice`);
    }
    // Every name a row may carry reads as one thing only.
    const readers = new Map<string, string>();
    const claim = (name: string, what: string, path: (string | number)[]) => {
      const earlier = readers.get(name);
      if (earlier !== undefined) issue(path, `${name} is already read as ${earlier}`);
      else readers.set(name, what);
    };
    for (const name of [...FRAME_FIELDS, 'contingencies']) readers.set(name, 'part of every row');
    for (const [stored, published] of publishedNames(fields))
      if (published !== null && isStored(published)) readers.set(published, `the stored field ${stored}`);
    for (const [published, stored] of Object.entries(fields.renames))
      if (!isStored(published)) claim(published, `the stored field ${stored}`, ['renames', published]);
    if (fields.presolvedFlag !== null) claim(fields.presolvedFlag, 'the presolved flag', ['presolvedFlag']);
    if (fields.contingency.form === 'flat')
      claim(fields.contingency.branchEic, 'the contingency', ['contingency', 'branchEic']);
    for (const name of Object.keys(fields.extra)) {
      if (isStored(name)) issue(['extra', name], `${name} is a stored field: keep it as one`);
      else claim(name, 'an extra field', ['extra', name]);
    }
  });
