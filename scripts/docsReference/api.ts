// docs/reference/api.md: the HTTP API from the OpenAPI document it serves at /openapi.json, built by the API's own
// buildApp (api/app.ts) on a pool that never connects.
import pg from 'pg';
import { z } from 'zod';
import { buildApp } from '../../api/app';
import { DayEventHub } from '../../api/eventHub';
import { anchor, code, generatedNotice, page, table } from './markdown';

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
    maxRangeDays: 366,
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

/** A JSON schema in a few words: its type or enum, format, pattern and bounds. */
function schemaText(schema: Record<string, unknown> | undefined): string | null {
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
        .map((branch) =>
          branch && typeof branch === 'object' ? schemaText(branch as Record<string, unknown>) : null,
        )
        .filter((text): text is string => text !== null)
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

function securityText(operation: Operation, document: OpenApiDocument): string {
  const requirements = operation.security ?? document.security ?? [];
  if (requirements.length === 0) return 'none';
  return requirements
    .map((requirement) =>
      Object.keys(requirement).length === 0 ? 'none' : Object.keys(requirement).map(code).join(' and '),
    )
    .join(' or ');
}

function operationSection(path: string, method: string, operation: Operation, document: OpenApiDocument) {
  const title = `${method.toUpperCase()} ${path}`;
  const lines = [`### ${title}`, ''];
  if (operation.summary) lines.push(`**${operation.summary}**`, '');
  if (operation.description) lines.push(operation.description.trim(), '');
  lines.push(
    ...table(
      ['', ''],
      [
        ['tags', (operation.tags ?? []).join(', ') || null],
        ['security', securityText(operation, document)],
        [
          'request body',
          operation.requestBody
            ? `${Object.keys(operation.requestBody.content ?? {})
                .map(code)
                .join(', ')}${operation.requestBody.required ? ' (required)' : ''}`
            : null,
        ],
      ],
    ),
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
  lines.push(
    ...table(
      ['status', 'description', 'content'],
      Object.entries(operation.responses)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, response]) => [
          status,
          response.description,
          Object.keys(response.content ?? {})
            .map(code)
            .join(', '),
        ]),
    ),
    '',
  );
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
