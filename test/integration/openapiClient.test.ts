// The API's OpenAPI document as a desk uses it: Redocly's recommended rules find nothing in it, and a client generated
// from it (openapi-typescript types, openapi-fetch calls) type-checks under strict TypeScript and reads values, days
// and datasets from the API (in-process: its requests go through app.inject(), passed as openapi-fetch's `fetch`),
// and meets a 400 with the documented error body. In a database of its own.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDay } from '../../db/writeDay';
import { createTestKey, type InjectedTestApi, injectTestApi } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { REPO_ROOT } from '../helpers/processes';
import { baseValue, fetchWrite, validatedDay } from './storageFixtures';

const DAY = '2024-03-05';
const BORDERS = ['AT_BE', 'DE_FR'];
/** Inside the repository, so that the generated client resolves openapi-fetch; ignored by git (test-artifacts/). */
const GENERATED = join(REPO_ROOT, 'test-artifacts', `openapi-client-${process.pid}`);

/** The client a desk would write against the generated `paths`: what it reads, and the 400 it meets. */
const CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './schema';

export async function readThroughClient(
  baseUrl: string,
  key: string,
  fetch?: (request: Request) => Promise<Response>,
) {
  const client = createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${key}\` }, fetch });
  const datasets = await client.GET('/v1/datasets');
  const values = await client.GET('/v1/datasets/{dataset}/values', {
    params: { path: { dataset: 'maxExchanges' }, query: { from: '${DAY}', to: '${DAY}' } },
  });
  const days = await client.GET('/v1/days', { params: { query: { from: '${DAY}', to: '${DAY}' } } });
  const refused = await client.GET('/v1/days', { params: { query: { from: 'yesterday', to: '${DAY}' } } });
  return {
    datasetIds: (datasets.data ?? []).map((dataset) => dataset.id),
    values: (values.data ?? []).map((row) => ({ border: row.border, mtu: row.mtu, value: row.value_mw })),
    dayStatuses: (days.data ?? []).map((day) => \`\${day.day} \${day.status}\`),
    refusal: { status: refused.response.status, body: refused.error },
  };
}
`;

let db: TestDatabase;
let api: InjectedTestApi;
let key: string;
let document: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await writeDay(db.pool, fetchWrite(DAY, validatedDay(DAY, BORDERS, baseValue), new Date()));
  key = await createTestKey(db.pool);
  api = await injectTestApi(db.url);
  document = await (await api.request('/openapi.json')).text();
});

afterAll(async () => {
  await api?.close();
  await db?.release();
  rmSync(GENERATED, { recursive: true, force: true });
});

describe('the OpenAPI document', () => {
  it("passes Redocly's recommended rules without an error or a warning", async () => {
    const problems = await lintFromString({
      source: document,
      absoluteRef: 'openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
    const lines = problems.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message}`);
    expect(lines).toEqual([]);
  });

  it('names every operation, and documents for each the 4xx answers with the error body', () => {
    const parsed = JSON.parse(document) as {
      paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>;
    };
    const operations = Object.entries(parsed.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ at: `${method} ${path}`, operation })),
    );
    expect(operations.filter(({ operation }) => !operation.operationId).map(({ at }) => at)).toEqual([]);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { at, operation } of operations) {
      const refusals = Object.entries(operation.responses).filter(([status]) => status.startsWith('4'));
      expect(refusals.length, at).toBeGreaterThan(0);
      for (const [status, answer] of refusals) {
        expect(JSON.stringify(answer), `${at} ${status}`).toMatch(/"statusCode".*"error".*"message"/);
      }
    }
  });
});

describe('a client generated from it', () => {
  it('type-checks under strict TypeScript, then reads values, days and datasets and meets a 400', async () => {
    mkdirSync(GENERATED, { recursive: true });
    writeFileSync(join(GENERATED, 'schema.ts'), astToString(await openapiTS(document)));
    writeFileSync(join(GENERATED, 'client.ts'), CLIENT);
    const typecheck = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--noEmit',
        '--strict',
        '--target',
        'es2022',
        '--module',
        'esnext',
        '--moduleResolution',
        'bundler',
        '--skipLibCheck',
        join(GENERATED, 'client.ts'),
      ],
      { encoding: 'utf8' },
    );
    expect(`${typecheck.stdout}${typecheck.stderr}`).toBe('');
    expect(typecheck.status).toBe(0);

    const client = (await import(join(GENERATED, 'client.ts'))) as {
      readThroughClient: (
        baseUrl: string,
        key: string,
        fetch: (request: Request) => Promise<Response>,
      ) => Promise<{
        datasetIds: string[];
        values: { border: string; mtu: string; value: number }[];
        dayStatuses: string[];
        refusal: { status: number; body: unknown };
      }>;
    };
    const read = await client.readThroughClient('http://jao-api.test', key, api.request);
    expect(read.datasetIds).toEqual(['maxExchanges']);
    expect(read.values).toHaveLength(BORDERS.length * 24);
    expect(read.values[0]).toEqual({
      border: 'AT_BE',
      mtu: '2024-03-04T23:00:00.000Z',
      value: baseValue('AT_BE', 0),
    });
    expect(read.dayStatuses).toEqual([`${DAY} complete`]);
    expect(read.refusal).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(/^from: /),
        parameter: 'from',
      },
    });
  });
});
