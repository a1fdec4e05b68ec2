// The zod check of dataset declarations (declaration.ts), and their type, what it accepts: run by the tests and at
// worker start-up, so a mistaken declaration stops the worker with one line naming the dataset and the field.
import { z } from 'zod';
import { isDeliveryDay, MARKET_TIME_ZONE } from '../calendar';
import { constraintFieldsSchema } from '../flowBased/publicationFieldsSchema';
import { DEADLINE_FORM, DEADLINE_PATTERN } from '../freshnessDeadline';
import { parseWindow, WINDOW_FORMAT } from '../localWindow';
import {
  type KeyPatterns,
  keyReaderOf,
  NAME_PATTERN,
  namesInKey,
  parseKeyPattern,
  patternList,
  ZONE_CODE_PATTERN,
} from '../seriesKeys';
import shared from './declarations/shared.json';
import { REGIONS, ROW_KINDS, UNITS, VALUE_SIGNS } from './vocabulary';

const deliveryDay = z.string().refine(isDeliveryDay, 'expected a date YYYY-MM-DD');
const identifier = /^[a-z][A-Za-z0-9]{0,39}$/;
const keyPattern = z.string().superRefine((pattern, context) => {
  const parsed = parseKeyPattern(pattern);
  if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.reason });
});
const unit = z.enum(UNITS, { error: `expected a unit: ${UNITS.join(', ')}` });
const fieldName = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/);
/** A declared reading of JAO's rows that is only a `meaning`: what it is, and how sure the project is of it. */
const meaningOnly = z
  .object({ meaning: z.string().min(1) })
  .strict()
  .optional();

/** What a zone named by a key of the patterns looks like: a zone code where only pairs name it, else any name. */
function zoneNames(patterns: KeyPatterns): { pattern: RegExp; expected: string } {
  const families = keyReaderOf(patterns).families;
  return families.some((family) => family.names === 'one')
    ? { pattern: NAME_PATTERN, expected: 'expected a hub name' }
    : { pattern: ZONE_CODE_PATTERN, expected: 'expected a zone code' };
}

const SHARED_FACTS = Object.keys(shared) as [string, ...string[]];

export const declarationSchema = z
  .object({
    /** The shared facts (declarations/shared.json) the declaration takes first, by name; its own facts override them. */
    extends: z
      .array(z.enum(SHARED_FACTS, { error: `expected shared facts: ${SHARED_FACTS.join(', ')}` }))
      .optional(),
    /**
     * What the declaration's facts rest on, by the field they are about (`resolutions`, `constraintFields.filter`),
     * or `declaration` for the whole: what a comment says in code.
     */
    notes: z.record(z.string(), z.string().min(1)).optional(),
    /** The dataset's id: in workflow ids (`{id}/day/YYYY-MM-DD`), the `Dataset` search attribute, jao.* rows, the API. */
    id: z
      .string()
      .regex(identifier, 'expected a camelCase name of letters and digits (it goes into URLs and ids)'),
    region: z.enum(REGIONS),
    /** JAO's name of the dataset, the last segment of its data path. */
    // coreID's endpoints name their intraday window first: `IDCCB_maxExchanges`, `IDCCB_finalComputation`.
    endpoint: z.string().regex(/^(IDCC[A-Z]_)?[a-z][A-Za-z0-9]{0,63}$/, 'expected JAO’s dataset name'),
    /** One line for the catalogue and the status page. */
    title: z.string().min(1).max(200),
    /** What the dataset holds, for the data dictionary. */
    description: z.string().min(1).max(2_000),
    /** The market's delivery-day time zone: a day is [local 00:00, next local 00:00) there. */
    // The calendar (domain/calendar.ts) is that of one zone: a declaration in another needs the calendar first.
    timeZone: z.literal(MARKET_TIME_ZONE),
    /** The first delivery day JAO publishes; nothing before it is asked for. */
    firstDay: deliveryDay,
    /** What happened on `firstDay`, for messages: `Core flow-based go-live`. */
    firstDayName: z.string().min(1).max(80),
    /** Where `firstDay` comes from (a public source), and how sure it is. */
    firstDaySource: z.string().min(1),
    /**
     * The MTU length from a delivery day on, oldest first. Validation reads the resolution of each answer from its
     * rows (the expected count is the day's length divided by it); an answer whose resolution differs from the
     * declared one is drift.
     */
    resolutions: z
      .array(z.object({ from: deliveryDay, minutes: z.union([z.literal(15), z.literal(30), z.literal(60)]) }))
      .min(1),
    rowKind: z.enum(ROW_KINDS),
    /**
     * How a key reads (domain/seriesKeys.ts): a family prefix, then `{FROM}_{TO}` (an ordered pair of zones:
     * `border_{FROM}_{TO}`, `shadowPrice_{FROM}_{TO}`), `{HUB}` (one hub, zone or TSO: `hub_{HUB}`, `min{HUB}`,
     * `globalNetPosition_{HUB}`) or nothing (the key itself: `alphaFactor`); several patterns when a row carries
     * several families. `zones` are the zones (or hubs, TSOs) its keys name from the first day, `addedZones` those
     * named from a later day; a key naming another one is a new series, never an error.
     */
    keyPattern: z.union([keyPattern, z.array(keyPattern).min(1)]),
    zones: z.array(z.string()),
    /**
     * The keys the dataset publishes, in a row's order, where they are known or assumed (the simulator answers with
     * them); without it, each `{HUB}` pattern over `zones` and each `{FROM}_{TO}` pattern over every ordered pair.
     */
    keys: z.array(z.string()).min(1).optional(),
    /** Zones (or hubs) the keys name from a delivery day on, besides those named before; `reason`: what brought them. */
    addedZones: z
      .array(
        z
          .object({ from: deliveryDay, zones: z.array(z.string()).min(1), reason: z.string().min(1) })
          .strict(),
      )
      .min(1)
      .optional(),
    valueSign: z.enum(VALUE_SIGNS),
    /**
     * Row fields besides `id`, `dateTimeUtc` and the keys that the pipeline keeps per MTU instead of reporting them
     * as unknown. `zonelessUtcInstant`: an instant written without a zone (`2026-04-19T07:57:32.853`) that is UTC.
     */
    extraRowFields: z.array(
      z.object({
        name: fieldName.refine(
          (name) => name !== 'id' && name !== 'dateTimeUtc',
          'id and dateTimeUtc are always read',
        ),
        kind: z.literal('zonelessUtcInstant'),
        description: z.string().min(1),
      }),
    ),
    /** Envelope members besides `data`, `rejected` and `messages` that the answer carries. */
    envelopeFields: z.array(fieldName),
    publication: z.object({
      /** `HH:MM-HH:MM` local time on D-1 in which day D is looked for. */
      window: z.string().refine((text) => parseWindow(text) !== null, WINDOW_FORMAT),
      /** By when day D is expected complete: `HH:MM` local time on D-1, or `D HH:MM` on D (domain/freshnessDeadline.ts). */
      deadline: z.string().regex(DEADLINE_PATTERN, `expected ${DEADLINE_FORM}`),
      /** When JAO publishes, as observed, in words. */
      typical: z.string().min(1),
    }),
    /**
     * Keys JAO publishes on purpose without values (null in every row): their nulls are not missing values, a day
     * whose only nulls are theirs is complete, and its quality record names them. A value on one of them is drift.
     * `meaning`: what the nulls mean, and how sure the project is of it.
     */
    publishedEmpty: z
      .object({
        keys: z.array(z.string()).min(1),
        meaning: z.string().min(1),
      })
      .strict()
      .optional(),
    /**
     * The steps (`page`) of JAO's monitoring answer (`/{region}/api/system/monitoring`, docs/monitoring.md) whose
     * turning Received, or whose `lastModifiedOn` moving, announces the dataset's day or its revision; `source`: where
     * the link between step and dataset comes from, and how sure it is. Absent: no step is known, and the dataset is
     * fetched by its fixed polls only.
     */
    monitoring: z
      .object({
        steps: z
          .array(z.string().min(1).max(200))
          .min(1)
          .refine((steps) => new Set(steps).size === steps.length, 'a step is listed twice'),
        source: z.string().min(1),
      })
      .strict()
      .optional(),
    unit,
    /** The unit of the families whose values are in another unit than `unit`, by pattern (activeLtaConstraint's `shadowPrice_{FROM}_{TO}`: EUR/MW). */
    patternUnits: z.record(z.string(), unit).optional(),
    /**
     * A null value is JAO saying there is none (no limit, no active constraint), not a missing value: it is counted
     * as published, keeps no stored value, and the day can be complete.
     */
    publishedNull: meaningOnly,
    /**
     * JAO publishes a row only for the MTUs that have something to publish (activeLtaConstraint: hours with an active
     * constraint). A day is judged on the MTUs it has rows for: complete when each of them is read whole. A day
     * without any row stays `not_published`, as JAO's answer before publication looks the same.
     */
    sparse: meaningOnly,
    /**
     * rowKind `constraints` only: how the publication spells a constraint's fields, mapped to the one stored form
     * (domain/flowBased/publicationFields.ts). Absent: Core's domain spelling (CORE_DOMAIN_FIELDS, declaration.ts).
     */
    constraintFields: constraintFieldsSchema.optional(),
  })
  .strict()
  .superRefine((declaration, context) => {
    const { resolutions, firstDay, zones, keyPattern } = declaration;
    for (const about of Object.keys(declaration.notes ?? {})) {
      if (about !== 'declaration' && !(about.split('.')[0]! in declaration)) {
        context.addIssue({ code: 'custom', path: ['notes', about], message: 'not a declared field' });
      }
    }
    if (declaration.constraintFields && declaration.rowKind !== 'constraints') {
      context.addIssue({
        code: 'custom',
        path: ['constraintFields'],
        message: 'only a dataset of rowKind constraints maps constraint fields',
      });
    }
    const patterns = patternList(keyPattern);
    if (!patterns.every((pattern) => parseKeyPattern(pattern).ok)) return;
    const { families } = keyReaderOf(keyPattern);
    if (new Set(families.map((family) => family.prefix)).size !== families.length) {
      context.addIssue({ code: 'custom', path: ['keyPattern'], message: 'two patterns share a prefix' });
    }
    if (families.some((family) => family.names !== 'none') && zones.length === 0) {
      context.addIssue({ code: 'custom', path: ['zones'], message: 'expected the zones the keys name' });
    }
    for (const pattern of Object.keys(declaration.patternUnits ?? {})) {
      if (!patterns.includes(pattern)) {
        context.addIssue({
          code: 'custom',
          path: ['patternUnits', pattern],
          message: 'not a declared key pattern',
        });
      }
    }
    if (resolutions[0] && resolutions[0].from !== firstDay) {
      context.addIssue({
        code: 'custom',
        path: ['resolutions', 0, 'from'],
        message: 'must be the first day',
      });
    }
    for (let i = 1; i < resolutions.length; i++) {
      if (resolutions[i]!.from <= resolutions[i - 1]!.from) {
        context.addIssue({
          code: 'custom',
          path: ['resolutions', i, 'from'],
          message: 'periods must be in order',
        });
      }
    }
    const added = declaration.addedZones ?? [];
    const named: Array<[path: (string | number)[], zone: string]> = [
      ...zones.map((zone, index): [(string | number)[], string] => [['zones', index], zone]),
      ...added.flatMap((period, p) =>
        period.zones.map((zone, index): [(string | number)[], string] => [
          ['addedZones', p, 'zones', index],
          zone,
        ]),
      ),
    ];
    const { pattern, expected } = zoneNames(keyPattern);
    for (const [path, zone] of named) {
      if (!pattern.test(zone)) context.addIssue({ code: 'custom', path, message: expected });
    }
    const all = named.map(([, zone]) => zone);
    if (new Set(all).size !== all.length) {
      context.addIssue({ code: 'custom', path: ['zones'], message: 'a zone is listed twice' });
    }
    for (let i = 0; i < added.length; i++) {
      const previous = i === 0 ? firstDay : added[i - 1]!.from;
      if (added[i]!.from <= previous) {
        context.addIssue({
          code: 'custom',
          path: ['addedZones', i, 'from'],
          message: 'must be after the first day, periods in order',
        });
      }
    }
    const keyLists: Array<['publishedEmpty' | 'keys', readonly string[]]> = [
      ['publishedEmpty', declaration.publishedEmpty?.keys ?? []],
      ['keys', declaration.keys ?? []],
    ];
    for (const [field, keys] of keyLists) {
      for (const [index, key] of keys.entries()) {
        const path = field === 'keys' ? ['keys', index] : ['publishedEmpty', 'keys', index];
        const names = namesInKey(keyPattern, key);
        if (names === null) {
          context.addIssue({ code: 'custom', path, message: `expected a key ${patterns.join(' or ')}` });
        } else if (!names.every((name) => all.includes(name))) {
          context.addIssue({
            code: 'custom',
            path,
            message:
              names.length === 2 ? 'must name two different declared zones' : 'must name a declared hub',
          });
        }
      }
    }
    if (new Set(declaration.keys ?? []).size !== (declaration.keys ?? []).length) {
      context.addIssue({ code: 'custom', path: ['keys'], message: 'a key is listed twice' });
    }
  });

/** Arrays read-only at every depth: declarations are written `as const`. */
type ReadonlyArrays<T> = T extends readonly (infer E)[]
  ? readonly ReadonlyArrays<E>[]
  : T extends object
    ? { [K in keyof T]: ReadonlyArrays<T[K]> }
    : T;

/** A dataset's declaration: what this check accepts (each field is described above). */
export type DatasetDeclaration = ReadonlyArrays<z.output<typeof declarationSchema>>;

/** Problems of a list of declarations, one line each (empty when they are sound). */
export function declarationProblems(declarations: readonly DatasetDeclaration[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const paths = new Set<string>();
  for (const [index, declaration] of declarations.entries()) {
    const name = typeof declaration?.id === 'string' ? declaration.id : `#${index}`;
    const parsed = declarationSchema.safeParse(declaration);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`dataset ${name}: ${issue.path.join('.') || '(declaration)'}: ${issue.message}`);
      }
      continue;
    }
    const path = `${declaration.region}/${declaration.endpoint}`;
    if (ids.has(declaration.id.toLowerCase())) problems.push(`dataset ${name}: id declared twice`);
    if (paths.has(path)) problems.push(`dataset ${name}: ${path} declared twice`);
    ids.add(declaration.id.toLowerCase());
    paths.add(path);
  }
  return problems;
}
