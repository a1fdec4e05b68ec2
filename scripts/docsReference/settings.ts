// docs/reference/settings.md: every environment variable, from the zod schemas that read them (their
// `.describe()`, their `accepts` meta, their defaults).
import { z } from 'zod';
import { ARCHIVE_URL_SETTING } from '../../archive/archiveUrl';
import { s3SettingsSchema } from '../../archive/s3Settings';
import { configSchema } from '../../common/config';
import { code, generatedNotice, page, table } from './markdown';

interface Setting {
  name: string;
  default: string | null;
  accepts: string | null;
  description: string;
}

/** The schema and those it wraps (default, optional, the input side of a transform), outermost first. */
function chain(schema: z.core.$ZodType): z.core.$ZodType[] {
  const schemas: z.core.$ZodType[] = [];
  let current: z.core.$ZodType | undefined = schema;
  while (current) {
    schemas.push(current);
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional) current = current.unwrap();
    else if (current instanceof z.ZodPipe) current = current.in;
    else current = undefined;
  }
  return schemas;
}

function metaText(schemas: readonly z.core.$ZodType[], key: string): string | null {
  for (const schema of schemas) {
    const value = z.globalRegistry.get(schema)?.[key];
    if (typeof value === 'string') return value;
  }
  return null;
}

function defaultText(schemas: readonly z.core.$ZodType[]): string | null {
  for (const schema of schemas) {
    if (!(schema instanceof z.ZodDefault)) continue;
    const value: unknown = schema.def.defaultValue;
    return Array.isArray(value) ? value.join(',') : String(value);
  }
  return null;
}

function settingOf(name: string, schema: z.core.$ZodType): Setting {
  const schemas = chain(schema);
  const description = metaText(schemas, 'description');
  if (description === null) throw new Error(`${name}: no description (add .describe() to its declaration)`);
  const options = schemas.find((inner) => inner instanceof z.ZodEnum)?.options;
  return {
    // A family of variables (TEMPORAL_GRPC_META_<NAME>) is read into one setting under its own name.
    name: metaText(schemas, 'variable') ?? name,
    default: defaultText(schemas),
    accepts:
      metaText(schemas, 'accepts') ??
      (options ? options.map((option) => code(String(option))).join(', ') : null),
    description,
  };
}

function settingsTable(settings: readonly Setting[]): string[] {
  return table(
    ['variable', 'default', 'accepts', 'description'],
    settings.map((setting) => [
      code(setting.name),
      setting.default === null ? 'unset' : code(setting.default),
      setting.accepts,
      setting.description,
    ]),
  );
}

export function renderSettings(): string {
  const pipeline = Object.entries(configSchema.shape).map(([name, schema]) => settingOf(name, schema));
  const archive: Setting[] = [
    { ...ARCHIVE_URL_SETTING },
    ...Object.entries(s3SettingsSchema.shape).map(([name, schema]) => settingOf(name, schema)),
  ];
  return page([
    generatedNotice('common/config.ts, archive/archiveUrl.ts and archive/s3Settings.ts'),
    '',
    '# Settings',
    '',
    'Every setting is an environment variable. An empty value counts as unset; a value out of bounds or in the wrong',
    'form stops the process at start-up with one line naming the variable. Durations are written with a unit',
    '(`500ms`, `30s`, `10m`, `1h`).',
    '',
    '## Pipeline',
    '',
    `Read by the worker, the CLI and the API (\`loadConfig\`, common/config.ts), in declaration order (${pipeline.length} variables).`,
    '',
    ...settingsTable(pipeline),
    '',
    '## Archive',
    '',
    'Where the archive is (`ARCHIVE_URL`, archive/archiveUrl.ts) and how an `s3://` archive is reached',
    '(archive/s3Settings.ts, read only when the archive URL is an `s3://` one).',
    '',
    ...settingsTable(archive),
  ]);
}
