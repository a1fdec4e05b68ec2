// Every PostgreSQL pool and client a test makes goes through test/helpers/connections.ts, which handles its 'error'
// event: one built directly, without a listener, ends the whole run with an unhandled error when its database is
// dropped (it did, in test/integration/appendOnly.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const TEST_ROOT = join(__dirname, '..');
const HELPER = join(TEST_ROOT, 'helpers', 'connections.ts');
// This file's cases below are source text in strings, not connections.
const SELF = join(TEST_ROOT, 'unit', 'testConnections.test.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const PG = `['"]pg['"]`;
/** The module as a value without a name: `require('pg')`, `await import('pg')`. */
const PG_VALUE = String.raw`(?:require|(?:await\s+)?import)\s*\(\s*${PG}\s*\)`;
/** `name` as a whole identifier. */
const identifier = (name: string) => String.raw`(?<![\w$])${name.replace(/\$/g, '\\$')}(?![\w$])`;

/** The local names of Pool and Client in a named import's braces (`Pool as P`) or a destructuring's (`Pool: P`). */
function poolOrClient(bindings: string): string[] {
  return bindings.split(',').flatMap((binding) => {
    // a type-only binding cannot be constructed
    if (/^\s*type\s/.test(binding)) return [];
    const [imported, local] = binding.trim().split(/\s+as\s+|\s*:\s*/);
    return imported === 'Pool' || imported === 'Client' ? [local ?? imported] : [];
  });
}

function captures(source: string, pattern: string, flags: string): string[] {
  return [...source.matchAll(new RegExp(pattern, flags))].map((match) => match[1]!);
}

/**
 * The lines of `source` that build a pg Pool or Client, however pg is reached: through the module (`new pg.Pool(`,
 * whatever its name: a default or namespace import, `import pg = require('pg')`, `const pg = require('pg')` or
 * `await import('pg')`, or unnamed: `new (require('pg').Pool)(`), or through a name for Pool or Client (a named
 * import, a destructuring of the module, `const P = pg.Pool`).
 */
function directConnections(source: string): number[] {
  const modules = [
    // import pg from 'pg'; import pg, { Client } from 'pg'; import * as pg from 'pg'; import x, * as pg from 'pg'
    ...captures(
      source,
      String.raw`^\s*import\s+(?!type\s)(?:\*\s*as\s+)?([\w$]+)\s*(?:,[^;]*?)?\s*from\s*${PG}`,
      'gm',
    ),
    ...captures(source, String.raw`^\s*import\s+(?!type\s)[^;]*?\*\s*as\s+([\w$]+)\s*from\s*${PG}`, 'gm'),
    // import pg = require('pg'); const pg = require('pg'); const pg = await import('pg')
    ...captures(source, String.raw`(?:import|const|let|var)\s+([\w$]+)\s*=\s*${PG_VALUE}`, 'g'),
  ];
  const module = String.raw`(?:${[PG_VALUE, ...modules.map(identifier)].join('|')})(?:\s*\.\s*default)?`;
  const constructors = [
    // import { Pool as P } from 'pg'
    ...captures(
      source,
      String.raw`^\s*import\s+(?!type\s)(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*${PG}`,
      'gm',
    ).flatMap(poolOrClient),
    // const { Pool } = pg; const { Client: C } = require('pg')
    ...captures(source, String.raw`(?:const|let|var)\s*\{([^}]*)\}\s*=\s*\(?\s*${module}`, 'g').flatMap(
      poolOrClient,
    ),
    // const P = pg.Pool
    ...captures(
      source,
      String.raw`(?:const|let|var)\s+([\w$]+)\s*=\s*\(?\s*${module}\s*\)?\s*\.\s*(?:Pool|Client)\b`,
      'g',
    ),
  ];
  // new pg.Pool(, new (pg.Pool)(, new (await import('pg')).default.Client(, new P(
  const constructed = [
    String.raw`\(?\s*\(?\s*${module}\s*\)?\s*\.\s*(?:Pool|Client)\s*\)?`,
    ...constructors.map(identifier),
  ];
  const lines = [
    ...source.matchAll(new RegExp(String.raw`\bnew\s*(?:${constructed.join('|')})\s*\(`, 'g')),
  ].map((match) => source.slice(0, match.index).split('\n').length);
  return [...new Set(lines)];
}

describe('test connections', () => {
  it('are all made by test/helpers/connections.ts', () => {
    const direct = sourceFiles(TEST_ROOT)
      .filter((file) => file !== HELPER && file !== SELF)
      .flatMap((file) =>
        directConnections(readFileSync(file, 'utf8')).map((line) => `${relative(TEST_ROOT, file)}:${line}`),
      );
    expect(direct, 'build them with testPool / testClient (test/helpers/connections.ts)').toEqual([]);
  });

  it('are found however pg is imported', () => {
    expect(directConnections("import pg from 'pg';\nconst p = new pg.Pool({});\n")).toEqual([2]);
    expect(directConnections("import postgres from 'pg';\n\nconst c = new postgres.Client();\n")).toEqual([
      3,
    ]);
    expect(directConnections("import { Pool as P } from 'pg';\nnew P();\n")).toEqual([2]);
    expect(directConnections("import pg, { Client } from 'pg';\nnew Client();\nnew pg.Pool();\n")).toEqual([
      2, 3,
    ]);
    expect(directConnections("import * as pg from 'pg';\nnew pg.Client();\n")).toEqual([2]);
    expect(directConnections("import pg = require('pg');\nnew pg.Pool();\n")).toEqual([2]);
    expect(directConnections("const pg = await import('pg');\nnew pg.default.Pool();\n")).toEqual([2]);
    expect(directConnections("const { Pool: P } = require('pg');\nnew P();\n")).toEqual([2]);
    expect(directConnections("import pg from 'pg';\nconst { Client } = pg;\nnew Client();\n")).toEqual([3]);
    expect(directConnections("import pg from 'pg';\nconst P = pg.Pool;\nnew P();\n")).toEqual([3]);
    expect(directConnections("new (require('pg').Pool)();\n")).toEqual([1]);
    expect(directConnections("import pg from 'pg';\n\nconst p = new pg\n  .Pool({});\n")).toEqual([3]);
    // A Temporal client, pg imported for its types only, and pg's other classes are not connections.
    expect(
      directConnections(
        "import type pg from 'pg';\nimport { Client } from '@temporalio/client';\nnew Client({});\n",
      ),
    ).toEqual([]);
    expect(
      directConnections(
        "import type { Client } from 'pg';\nimport { Client as C } from '@temporalio/client';\nnew C({});\n",
      ),
    ).toEqual([]);
    expect(directConnections("import pg from 'pg';\nnew pg.DatabaseError('m', 1, 'error');\n")).toEqual([]);
    expect(
      directConnections("import pg from 'pg';\nconst p: pg.Pool = testPool('postgres://db');\n"),
    ).toEqual([]);
  });
});
