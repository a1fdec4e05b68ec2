// The zod check of dataset declarations (declaration.ts): run by the tests and at worker start-up, so a mistaken
// declaration stops the worker with one line naming the dataset and the field.
import { z } from 'zod';
import { isDeliveryDay, MARKET_TIME_ZONE } from '../calendar';
import { MAX_ZONE_CODE_LENGTH } from '../limits';
import { parseWindow, WINDOW_FORMAT } from '../publicationWindow';
import { type DatasetDeclaration, REGIONS } from './declaration';

const deliveryDay = z.string().refine(isDeliveryDay, 'expected a date YYYY-MM-DD');
const identifier = /^[a-z][A-Za-z0-9]{0,39}$/;

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
    keyPattern: z.literal('border_{FROM}_{TO}'),
    zones: z
      .array(z.string().regex(new RegExp(`^[A-Z0-9]{1,${MAX_ZONE_CODE_LENGTH}}$`), 'expected a zone code'))
      .min(2),
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
        keys: z
          .array(z.string().regex(/^border_[A-Z0-9]+_[A-Z0-9]+$/, 'expected a key border_FROM_TO'))
          .min(1),
        meaning: z.string().min(1),
      })
      .strict()
      .optional(),
    unit: z.literal('MW'),
  })
  .strict()
  .superRefine((declaration, context) => {
    const { resolutions, firstDay, zones } = declaration;
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
    if (new Set(zones).size !== zones.length) {
      context.addIssue({ code: 'custom', path: ['zones'], message: 'a zone is listed twice' });
    }
    for (const [index, key] of (declaration.publishedEmpty?.keys ?? []).entries()) {
      const [, from, to] = key.split('_');
      if (!zones.includes(from!) || !zones.includes(to!) || from === to) {
        context.addIssue({
          code: 'custom',
          path: ['publishedEmpty', 'keys', index],
          message: 'must name two different declared zones',
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
