// docs/reference/api.md: the HTTP API from the OpenAPI document it serves at /openapi.json, built by the API's own
// buildApp (api/app.ts) on a pool that never connects.
import pg from 'pg';
import { z } from 'zod';
import { buildApp } from '../../api/app';
import { DayEventHub } from '../../api/eventHub';
import { wideValuesAnswer } from '../../api/routes/values';
import { anchor, code, factsTable, generatedNotice, listOrNone, page, table } from './markdown';

/** API_MAX_RANGE_DAYS' default (common/config.ts). */
const RANGE_DAYS = 366;

/** Never connected: building the app and its OpenAPI document reads no database. */
const UNUSED_DATABASE_URL = 'postgres://jao_reader@127.0.0.1:1/docs_reference';

const jsonSchema = z.record(z.string(), z.unknown());
const parameterSchema = z.object({
  name: z.string(),
  in: z.string(),
  required: z.boolean().optional(),
  description: z.string().optional(),
  schema: jsonSchema.optional(),
});
const operationSchema = z.object({
  summary: z.string().optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  parameters: z.array(parameterSchema).optional(),
  requestBody: z
    .object({ required: z.boolean().optional(), content: z.record(z.string(), z.unknown()).optional() })
    .optional(),
  responses: z.record(
    z.string(),
    z.object({ description: z.string().optional(), content: z.record(z.string(), z.unknown()).optional() }),
  ),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
});
const documentSchema = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string(), description: z.string().optional() }),
  servers: z.array(z.object({ url: z.string(), description: z.string().optional() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), operationSchema)),
  components: z
    .object({
      securitySchemes: z
        .record(
          z.string(),
          z.object({ type: z.string(), scheme: z.string().optional(), description: z.string().optional() }),
        )
        .optional(),
    })
    .optional(),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
});

export type OpenApiDocument = z.infer<typeof documentSchema>;
type Operation = z.infer<typeof operationSchema>;

/** The document GET /openapi.json answers, from an app built with no database behind it. */
export async function openApiDocument(): Promise<OpenApiDocument> {
  const pool = new pg.Pool({ connectionString: UNUSED_DATABASE_URL, max: 1 });
  const hub = new DayEventHub(UNUSED_DATABASE_URL, pool, () => {});
  const app = await buildApp({
    pool,
    hub,
    maxRangeDays: RANGE_DAYS,
    rateLimitPerMinute: 600,
    runningDays: null,
    runControl: null,
    page: { temporalUiUrl: 'http://127.0.0.1:8233', namespace: 'default', taskQueue: 'jao-scraper' },
    logger: false,
  });
  try {
    await app.ready();
    return documentSchema.parse(JSON.parse(JSON.stringify(app.swagger())));
  } finally {
    await app.close();
    await pool.end();
  }
}

type JsonSchema = Record<string, unknown>;

const isSchema = (value: unknown): value is JsonSchema => value !== null && typeof value === 'object';

/** The content types of a request or response body, as code. */
const mediaTypes = (content: JsonSchema | undefined) =>
  Object.keys(content ?? {})
    .map(code)
    .join(', ');

/** A JSON schema in a few words: its type or enum, format, pattern and bounds. */
function schemaText(schema: JsonSchema | undefined): string | null {
  if (!schema) return null;
  const parts: string[] = [];
  const { type, format, pattern, minimum, maximum, minLength, maxLength, anyOf, oneOf, items } = schema;
  if (Array.isArray(schema.enum)) parts.push(schema.enum.map((value) => code(String(value))).join(', '));
  else if (typeof type === 'string') {
    const itemType =
      type === 'array' && items && typeof items === 'object' && 'type' in items ? items.type : null;
    parts.push(typeof itemType === 'string' ? `${itemType}[]` : type);
  } else if (Array.isArray(anyOf ?? oneOf)) {
    const branches = (anyOf ?? oneOf) as unknown[];
    parts.push(
      branches
        .filter(isSchema)
        .map(schemaText)
        .filter((text) => text !== null)
        .join(' or '),
    );
  }
  if (typeof format === 'string') parts.push(`(${format})`);
  if (typeof pattern === 'string') parts.push(`matching ${code(pattern)}`);
  if (typeof minimum === 'number' || typeof maximum === 'number')
    parts.push(`${minimum ?? '…'} to ${maximum ?? '…'}`);
  if (typeof maxLength === 'number' && !minLength) parts.push(`at most ${maxLength} characters`);
  else if (typeof minLength === 'number') parts.push(`${minLength} to ${maxLength ?? '…'} characters`);
  if ('default' in schema) parts.push(`default ${code(JSON.stringify(schema.default))}`);
  return parts.length > 0 ? parts.join(' ') : null;
}

/** What fastify-swagger names a response the route did not describe. */
const UNDESCRIBED = 'Default Response';

/** The type of a schema in a word or two: `string`, `integer or null`, `object[]`, `a or b`. */
function typeText(schema: JsonSchema): string {
  const branches = (schema.anyOf ?? schema.oneOf) as unknown;
  let text: string;
  if (Array.isArray(branches)) text = branches.filter(isSchema).map(typeText).join(' or ');
  else if (Array.isArray(schema.enum)) text = schema.enum.map((value) => code(String(value))).join(', ');
  else if (schema.type === 'array') text = `${isSchema(schema.items) ? typeText(schema.items) : 'any'}[]`;
  else if (typeof schema.type === 'string') text = schema.type;
  else if (Array.isArray(schema.type)) text = schema.type.join(' or ');
  else text = 'any';
  return schema.nullable === true ? `${text} or null` : text;
}

/** The fields of a response's schema, nested ones by path (`rows[].mtu`); each branch of a union under its own name. */
function fieldRows(schema: JsonSchema, path: string, depth = 0): string[][] {
  const branches = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(branches) && depth < 3) {
    return branches.filter(isSchema).flatMap((branch, index) => {
      const name = typeof branch.description === 'string' ? branch.description : `variant ${index + 1}`;
      return [[`*${name}*`, typeText(branch), '', ''], ...fieldRows(branch, path, depth + 1)];
    });
  }
  if (schema.type === 'array' && isSchema(schema.items)) return fieldRows(schema.items, `${path}[]`, depth);
  if (schema.type !== 'object' || depth > 3) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const rows: string[][] = [];
  const prefix = path === '' ? '' : `${path}.`;
  for (const [name, property] of Object.entries(isSchema(schema.properties) ? schema.properties : {})) {
    if (!isSchema(property)) continue;
    const field = `${prefix}${name}`;
    rows.push([
      code(field),
      typeText(property),
      required.has(name) ? 'yes' : 'no',
      typeof property.description === 'string' ? property.description : '',
    ]);
    const nested = property.type === 'array' ? property.items : property;
    if (isSchema(nested) && (nested.type === 'object' || nested.anyOf))
      rows.push(...fieldRows(property, field, depth + 1));
  }
  if (isSchema(schema.additionalProperties)) {
    const extra = schema.additionalProperties;
    rows.push([
      code(`${prefix}<name>`),
      typeText(extra),
      'no',
      typeof extra.description === 'string' ? extra.description : 'any further member',
    ]);
  }
  return rows;
}

/** The fields of a schema (fieldRows) as a table. */
const fieldsTable = (rows: string[][]) => table(['field', 'type', 'always', 'description'], rows);

/** The schema of a response's first content type, if it has one. */
function responseSchema(response: Operation['responses'][string]): JsonSchema | null {
  const content = Object.values(response.content ?? {})[0];
  return isSchema(content) && isSchema(content.schema) ? content.schema : null;
}

/** A response's description; where the route gave none, what its schema is. */
function responseText(response: Operation['responses'][string]): string | undefined {
  if (response.description !== UNDESCRIBED) return response.description;
  const schema = responseSchema(response);
  if (!schema) return response.description;
  return fieldRows(schema, '').length > 0 ? `${typeText(schema)} (fields below)` : typeText(schema);
}

/** The fields of the error body, read from the first error answer the document describes. */
function errorBodyRows(document: OpenApiDocument): string[][] {
  for (const methods of Object.values(document.paths))
    for (const operation of Object.values(methods))
      for (const [status, response] of Object.entries(operation.responses)) {
        const schema = responseSchema(response);
        if (status.startsWith('4') && schema) return fieldRows(schema, '');
      }
  return [];
}

function securityText(operation: Operation, document: OpenApiDocument): string {
  return listOrNone(
    (operation.security ?? document.security ?? []).map((requirement) =>
      listOrNone(Object.keys(requirement).map(code), ' and '),
    ),
    ' or ',
  );
}

function operationSection(path: string, method: string, operation: Operation, document: OpenApiDocument) {
  const title = `${method.toUpperCase()} ${path}`;
  const lines = [`### ${title}`, ''];
  if (operation.summary) lines.push(`**${operation.summary}**`, '');
  if (operation.description) lines.push(operation.description.trim(), '');
  lines.push(
    ...factsTable([
      ['tags', (operation.tags ?? []).join(', ') || null],
      ['security', securityText(operation, document)],
      [
        'request body',
        operation.requestBody
          ? `${mediaTypes(operation.requestBody.content)}${operation.requestBody.required ? ' (required)' : ''}`
          : null,
      ],
    ]),
    '',
  );
  const parameters = operation.parameters ?? [];
  if (parameters.length > 0) {
    lines.push(
      ...table(
        ['parameter', 'in', 'required', 'schema', 'description'],
        parameters.map((parameter) => [
          code(parameter.name),
          parameter.in,
          parameter.required ? 'yes' : 'no',
          schemaText(parameter.schema),
          parameter.description,
        ]),
      ),
      '',
    );
  }
  const responses = Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b));
  lines.push(
    ...table(
      ['status', 'description', 'content'],
      responses.map(([status, response]) => [status, responseText(response), mediaTypes(response.content)]),
    ),
    '',
  );
  // The fields of each answer but the error body (listed once: see Errors).
  const errorBody = JSON.stringify(errorBodyRows(document));
  for (const [status, response] of responses) {
    const schema = responseSchema(response);
    const rows = schema ? fieldRows(schema, '') : [];
    if (rows.length === 0 || JSON.stringify(rows) === errorBody) continue;
    lines.push(`Fields of the ${status} answer:`, '', ...fieldsTable(rows), '');
  }
  return { title, summary: operation.summary, lines };
}

export function renderApi(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => operationSection(path, method, operation, document)),
  );
  const schemes = Object.entries(document.components?.securitySchemes ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  return page([
    generatedNotice('the OpenAPI document the API serves at /openapi.json (api/app.ts and api/routes/)'),
    '',
    `# HTTP API: ${document.info.title} ${document.info.version}`,
    '',
    document.info.description ?? '',
    '',
    `OpenAPI ${document.openapi}: \`jao api\` serves the whole document, schemas included, at \`/openapi.json\``,
    'and an explorer at `/docs`. The status page (`/`), its assets and `/openapi.json` are left out of it.',
    '',
    '## Servers',
    '',
    ...table(
      ['url', 'description'],
      (document.servers ?? []).map((server) => [code(server.url), server.description]),
    ),
    '',
    '## Security schemes',
    '',
    ...table(
      ['name', 'type', 'scheme', 'description'],
      schemes.map(([name, scheme]) => [code(name), scheme.type, scheme.scheme, scheme.description]),
    ),
    '',
    '## Errors',
    '',
    'Every 4xx and 5xx answer of an operation below carries the same body, one line in `message`:',
    '',
    ...fieldsTable(errorBodyRows(document)),
    '',
    '## Ranges and headers of the dataset routes',
    '',
    `- \`from\`..\`to\` (delivery days, inclusive) spans at most ${RANGE_DAYS} days (\`API_MAX_RANGE_DAYS\`); a`,
    '  longer range is answered 400 naming the maximum: split it.',
    '- `from_mtu` and `to_mtu` (values, constraints): a half-open window [from_mtu, to_mtu) of MTU starts inside',
    '  the days from..to; reversed, empty or outside the days is answered 400.',
    '- `Jao-Days-Missing` (values, constraints): the delivery days of the range (of the window, when given) with',
    '  no stored value, comma-separated; absent when none. A day stored in part is not missing: `GET /v1/days`',
    '  tells its completeness. The JSON envelope of `shape=wide` carries the same list as `days_missing`.',
    '- `shape=wide` (values): one row per MTU. CSV: `mtu,delivery_day,<key>,…`, an empty field where a key has no',
    '  value; NDJSON: one object per MTU; JSON: the envelope below (the OpenAPI document describes the default,',
    '  `shape=long`).',
    '',
    ...fieldsTable(fieldRows(z.toJSONSchema(wideValuesAnswer) as JsonSchema, '')),
    '',
    '## Operations',
    '',
    ...table(
      ['operation', 'summary'],
      operations.map(({ title, summary }) => [`[${code(title)}](#${anchor(title)})`, summary]),
    ),
    '',
    ...operations.flatMap(({ lines }) => lines),
  ]);
}
