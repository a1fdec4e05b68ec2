// The zod check of dataset declarations (declaration.ts): run by the tests and at worker start-up, so a mistaken
// declaration stops the worker with one line naming the dataset and the field.
import { z } from 'zod';
import { isDeliveryDay, MARKET_TIME_ZONE } from '../calendar';
import { HUB_NAME_PATTERN } from '../hubs';
import { MAX_ZONE_CODE_LENGTH } from '../limits';
import { parseWindow, WINDOW_FORMAT } from '../publicationWindow';
import { KEY_PATTERNS, type KeyPattern, namesInKey } from '../seriesKeys';
import { type DatasetDeclaration, REGIONS, ROW_KINDS, VALUE_SIGNS } from './declaration';

const deliveryDay = z.string().refine(isDeliveryDay, 'expected a date YYYY-MM-DD');
const identifier = /^[a-z][A-Za-z0-9]{0,39}$/;
const ZONE_CODE = new RegExp(`^[A-Z0-9]{1,${MAX_ZONE_CODE_LENGTH}}$`);
/** What a zone named by a key of the pattern looks like. */
const ZONE_NAMES: { readonly [P in KeyPattern]: { pattern: RegExp; expected: string } } = {
  'border_{FROM}_{TO}': { pattern: ZONE_CODE, expected: 'expected a zone code' },
  'hub_{HUB}': { pattern: HUB_NAME_PATTERN, expected: 'expected a hub name' },
};

export const declarationSchema = z
  .object({
    id: z
      .string()
      .regex(identifier, 'expected a camelCase name of letters and digits (it goes into URLs and ids)'),
    region: z.enum(REGIONS),
    endpoint: z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'expected JAO’s dataset name'),
    title: z.string().min(1).max(200),
    description: z.string().min(1).max(2_000),
    // The calendar (domain/calendar.ts) is that of one zone: a declaration in another needs the calendar first.
    timeZone: z.literal(MARKET_TIME_ZONE),
    firstDay: deliveryDay,
    firstDayName: z.string().min(1).max(80),
    firstDaySource: z.string().min(1),
    resolutions: z
      .array(z.object({ from: deliveryDay, minutes: z.union([z.literal(15), z.literal(30), z.literal(60)]) }))
      .min(1),
    rowKind: z.enum(ROW_KINDS),
    keyPattern: z.enum(KEY_PATTERNS),
    zones: z.array(z.string()).min(2),
    addedZones: z
      .array(
        z
          .object({ from: deliveryDay, zones: z.array(z.string()).min(1), reason: z.string().min(1) })
          .strict(),
      )
      .min(1)
      .optional(),
    valueSign: z.enum(VALUE_SIGNS),
    extraRowFields: z.array(
      z.object({
        name: z
          .string()
          .regex(/^[a-z][A-Za-z0-9]{0,63}$/)
          .refine((name) => name !== 'id' && name !== 'dateTimeUtc', 'id and dateTimeUtc are always read'),
        kind: z.literal('zonelessUtcInstant'),
        description: z.string().min(1),
      }),
    ),
    envelopeFields: z.array(z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/)),
    publication: z.object({
      window: z.string().refine((text) => parseWindow(text) !== null, WINDOW_FORMAT),
      deadline: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM local time'),
      typical: z.string().min(1),
    }),
    publishedEmpty: z
      .object({
        keys: z.array(z.string()).min(1),
        meaning: z.string().min(1),
      })
      .strict()
      .optional(),
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
    unit: z.literal('MW'),
  })
  .strict()
  .superRefine((declaration, context) => {
    const { resolutions, firstDay, zones, keyPattern } = declaration;
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
    const { pattern, expected } = ZONE_NAMES[keyPattern];
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
    for (const [index, key] of (declaration.publishedEmpty?.keys ?? []).entries()) {
      const names = namesInKey(keyPattern, key);
      if (names === null) {
        context.addIssue({
          code: 'custom',
          path: ['publishedEmpty', 'keys', index],
          message: `expected a key ${keyPattern}`,
        });
      } else if (!names.every((name) => all.includes(name))) {
        context.addIssue({
          code: 'custom',
          path: ['publishedEmpty', 'keys', index],
          message: names.length === 2 ? 'must name two different declared zones' : 'must name a declared hub',
        });
      }
    }
  });

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
