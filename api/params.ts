import { z } from 'zod';
import { addDays, dayStartMs, isDeliveryDay, isImpossibleDay, marketTomorrow } from '../domain/calendar';
import {
  DATASETS,
  type Dataset,
  declarationOf,
  EARLIEST_FIRST_DAY,
  KEYED_VALUE_DECLARATIONS,
} from '../domain/datasets';
import { DEFAULT_DATASET } from '../domain/datasets/compat';
import { MAX_KEY_LENGTH, MAX_ZONE_CODE_LENGTH } from '../domain/limits';
import { keyReaderOf } from '../domain/seriesKeys';
import { ApiInputError } from './routing';

/** The most borders a difference compares (FEW_BORDERS × a year ≈ 70,000 rows, answered at once). */
export const FEW_BORDERS = 8;

/** A delivery day (Europe/Amsterdam) from the first day of any dataset to tomorrow, checked when the request arrives. */
export const deliveryDayParam = z
  .string()
  .max(10, 'expected a delivery day YYYY-MM-DD')
  .refine(isDeliveryDay, {
    error: (issue) =>
      isImpossibleDay(issue.input)
        ? `${issue.input} is not a day of the calendar`
        : 'expected a delivery day YYYY-MM-DD',
  })
  .refine(
    (day) => day >= EARLIEST_FIRST_DAY,
    `must not be before ${EARLIEST_FIRST_DAY} (the first day JAO published)`,
  )
  .refine((day) => day <= marketTomorrow(new Date()), 'must not be after tomorrow (Europe/Amsterdam)')
  .describe('a delivery day YYYY-MM-DD (Europe/Amsterdam)');

const BORDER_NAME = new RegExp(`^[A-Z0-9]{1,${MAX_ZONE_CODE_LENGTH}}_[A-Z0-9]{1,${MAX_ZONE_CODE_LENGTH}}$`);
/** A key of a declared family other than `border_` (whose keys the views name without it): hub_AT, minAT, alphaFactor. */
function isOtherFamilyKey(text: string): boolean {
  return (
    !text.startsWith('border_') &&
    KEYED_VALUE_DECLARATIONS.some((declaration) => keyReaderOf(declaration.keyPattern).read(text).ok)
  );
}
const EXPECTED_BORDER = 'expected a border such as AT_BE, or a key such as hub_AT or minAT';

/**
 * A border as the views name it (their `border` column): AT_BE, zone codes of upper-case letters and digits; for a
 * key of another family the key as published: hub_AT, hub_DE_DK1_VH, minAT, shadowPrice_AT_BE, alphaFactor.
 */
export const borderParam = z
  .string()
  .max(MAX_KEY_LENGTH, EXPECTED_BORDER)
  .refine((text) => BORDER_NAME.test(text) || isOtherFamilyKey(text), EXPECTED_BORDER)
  .describe(
    'a border such as AT_BE, or for a key of another family the key as published, such as hub_AT (the border column)',
  );

const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An ISO-8601 instant with its offset. A `+` left unencoded in a URL arrives as a space: read as the `+` meant.
 */
export const instantParam = z
  .string()
  .max(40, 'expected an ISO-8601 instant with offset, e.g. 2024-03-01T12:00:00Z')
  .transform((text) => text.replace(/ (\d{2}:?\d{2})$/, '+$1'))
  .refine(
    (text) =>
      INSTANT_PATTERN.test(text) && isDeliveryDay(text.slice(0, 10)) && !Number.isNaN(Date.parse(text)),
    {
      error: (issue) => {
        const text = String(issue.input);
        return INSTANT_PATTERN.test(text) && isImpossibleDay(text.slice(0, 10))
          ? `${text.slice(0, 10)} is not a day of the calendar`
          : 'expected an ISO-8601 instant with offset, e.g. 2024-03-01T12:00:00Z';
      },
    },
  )
  .transform((text) => new Date(Date.parse(text)));

export const FORMATS = ['json', 'ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export const formatParam = z
  .enum(FORMATS, { message: 'expected json, ndjson or csv' })
  .default('json')
  .describe('json (an array), ndjson (one object a line) or csv (with a header line)');

/**
 * A repeatable parameter: one `item`, or `min` (when given) to `max` of them (`tooMany` beyond). A failed union says
 * "Invalid input"; the branch of the input's shape says what is wrong with it.
 */
function oneOrMany<T extends z.ZodType>(item: T, max: number, tooMany: string, min?: number) {
  const many = min === undefined ? z.array(item) : z.array(item).min(min);
  return z.union([item, many.max(max, tooMany)], {
    error: (issue) => {
      if (issue.code !== 'invalid_union' || !('errors' in issue)) return undefined;
      return issue.errors[Array.isArray(issue.input) ? 1 : 0]?.[0]?.message;
    },
  });
}

/** A repeatable parameter as a sorted list of its distinct values (`compare` as Array's sort takes it); absent: null. */
export function distinctList(
  values: string | string[] | undefined,
  compare?: (a: string, b: string) => number,
): string[] | null {
  if (values === undefined) return null;
  return [...new Set(Array.isArray(values) ? values : [values])].sort(compare);
}

const bordersParam = oneOrMany(borderParam, 500, 'at most 500 borders')
  .optional()
  .describe('repeatable: border=AT_BE&border=BE_AT (hubs: border=hub_AT); all borders or hubs when absent');

/** The most constraints one constraints request may name. */
export const MAX_CONSTRAINT_IDS = 100;

/** A constraint's id in this database (the `constraint_id` column), kept as its digits: a bigint. */
const constraintIdParam = z
  .string()
  .regex(/^[1-9][0-9]{0,17}$/, "expected a constraint's id: a positive integer (the constraint_id column)")
  .describe("a constraint's id (the constraint_id column of an earlier answer)");

export const constraintIdsParam = oneOrMany(
  constraintIdParam,
  MAX_CONSTRAINT_IDS,
  `at most ${MAX_CONSTRAINT_IDS} constraint ids`,
)
  .optional()
  .describe(
    `repeatable: constraint_id=12&constraint_id=40, up to ${MAX_CONSTRAINT_IDS}; only those constraints' rows ` +
      '(none for an id not stored); every constraint when absent',
  );

/** `/v1/datasets/{dataset}/…`: an undeclared dataset is answered 404 before validation (api/auth.ts). */
export const datasetParams = z.strictObject({
  dataset: z
    .enum(DATASETS)
    .describe(`the dataset id (GET /v1/datasets lists those the key reads): ${DATASETS.join(', ')}`),
});

/** `?dataset=`: an undeclared dataset is answered 404 before validation (api/auth.ts DATASET_IN_QUERY). */
export const datasetQueryParam = z
  .enum(DATASETS)
  .default(DEFAULT_DATASET)
  .describe(
    `the dataset id (GET /v1/datasets lists those the key reads): ${DATASETS.join(', ')}; ${DEFAULT_DATASET} when absent`,
  );

export const dayRangeQuery = z.strictObject({
  from: deliveryDayParam,
  to: deliveryDayParam,
  dataset: datasetQueryParam,
});

/** `from_mtu` and `to_mtu`: a half-open window of MTU starts inside the delivery days from..to. */
export const fromMtuParam = instantParam
  .optional()
  .describe(
    'only the MTUs starting at or after this instant (ISO-8601, inclusive); inside the delivery days from..to',
  );
export const toMtuParam = instantParam
  .optional()
  .describe(
    'only the MTUs starting before this instant (ISO-8601, exclusive); inside the delivery days from..to',
  );

export const SHAPES = ['long', 'wide'] as const;

export const valuesQuery = z.strictObject({
  from: deliveryDayParam,
  to: deliveryDayParam,
  border: bordersParam,
  as_of: instantParam.optional().describe('values as they were known at this instant (ISO-8601)'),
  from_mtu: fromMtuParam,
  to_mtu: toMtuParam,
  shape: z
    .enum(SHAPES, { message: 'expected long or wide' })
    .default('long')
    .describe(
      'long: one row per key and MTU (the columns below); wide: one row per MTU (mtu, delivery_day), then one ' +
        'column per key of the dataset (its border column: DE_FR, hub_DE), sorted, null where the key has no value',
    ),
  format: formatParam,
});

/** The borders a difference compares: one to FEW_BORDERS (above), repeatable. */
const differenceBordersParam = oneOrMany(
  borderParam,
  FEW_BORDERS,
  `at most ${FEW_BORDERS} borders`,
  1,
).describe(`repeatable: border=AT_BE&border=BE_AT; one to ${FEW_BORDERS} borders`);

export const differenceQuery = z.strictObject({
  from: deliveryDayParam,
  to: deliveryDayParam,
  border: differenceBordersParam,
  base_as_of: instantParam.describe(
    'the older version: the values as they were known at this instant (ISO-8601)',
  ),
  compare_as_of: instantParam
    .optional()
    .describe(
      'the newer version: the values as known at this instant (ISO-8601); absent: the current values',
    ),
  format: formatParam,
});

export const revisionsQuery = z.strictObject({
  border: borderParam,
  mtu: instantParam.optional().describe('one MTU (its UTC start, ISO-8601)'),
  day: deliveryDayParam.optional().describe('every MTU of a delivery day'),
});

/** A day of the dataset: not before the first day JAO published it (deliveryDayParam checks the earliest one). */
export function checkFirstDay(dataset: Dataset, parameter: string, day: string): void {
  const { firstDay } = declarationOf(dataset);
  if (day < firstDay)
    throw new ApiInputError(
      parameter,
      `must not be before ${firstDay} (the first day JAO published ${dataset})`,
    );
}

/** `from` ≤ `to`, at most `maxDays` days, from the dataset's first day on. */
export function checkDayRange(dataset: Dataset, from: string, to: string, maxDays: number): void {
  checkFirstDay(dataset, 'from', from);
  if (from > to) throw new ApiInputError('from', `must not be after to (${to})`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  if (days > maxDays) {
    throw new ApiInputError(
      'to',
      `the range from..to spans ${days} days, more than the maximum of ${maxDays}: split it into ranges of at most ${maxDays} days`,
    );
  }
}

/** A half-open window [from, to) of MTU starts. */
export interface MtuWindow {
  from: Date;
  to: Date;
}

/**
 * `from_mtu` and `to_mtu` as a window inside the delivery days from..to (either bound absent: that of the days), or
 * null when neither is given.
 */
export function checkMtuWindow(
  from: string,
  to: string,
  fromMtu: Date | undefined,
  toMtu: Date | undefined,
): MtuWindow | null {
  if (fromMtu === undefined && toMtu === undefined) return null;
  const lower = dayStartMs(from);
  const upper = dayStartMs(addDays(to, 1));
  const days = `the delivery days from..to, [${new Date(lower).toISOString()}, ${new Date(upper).toISOString()})`;
  const start = fromMtu?.getTime() ?? lower;
  const end = toMtu?.getTime() ?? upper;
  if (start < lower || start >= upper) throw new ApiInputError('from_mtu', `must be inside ${days}`);
  if (end <= lower || end > upper) throw new ApiInputError('to_mtu', `must be inside ${days}`);
  if (start >= end)
    throw new ApiInputError('from_mtu', `must be before to_mtu (${new Date(end).toISOString()})`);
  return { from: new Date(start), to: new Date(end) };
}

/** What the descriptions of from and to say of the range's limit. */
export function rangeLimitText(maxDays: number): string {
  return `from..to spans at most ${maxDays} days (API_MAX_RANGE_DAYS; a longer range is answered 400)`;
}
