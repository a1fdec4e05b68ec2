// Workflow code evaluates every module it imports afresh for each workflow execution (domain/zod.ts): a value
// import of zod anywhere under workflows/index.ts puts all of zod's evaluation into every day's start. Walks the
// import graph of the workflow bundle's entry and names each module that imports zod other than as types.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const ENTRY = join(ROOT, 'workflows', 'index.ts');
const IMPORT = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'/gm;

interface ImportOf {
  specifier: string;
  typeOnly: boolean;
}

function importsOf(source: string): ImportOf[] {
  return [...source.matchAll(IMPORT)].map((match) => {
    const clause = match[3] ?? '';
    const names = clause
      .replace(/[{}]/g, '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const everyNameATypeOnly = names.length > 0 && names.every((name) => name.startsWith('type '));
    return { specifier: match[4]!, typeOnly: Boolean(match[2]) || everyNameATypeOnly };
  });
}

function resolveLocal(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const candidates = base.endsWith('.json') ? [base] : [`${base}.ts`, join(base, 'index.ts')];
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  throw new Error(`${relative(ROOT, from)}: cannot resolve ${specifier}`);
}

/** Every local module the entry reaches through value imports, with the packages each imports as values. */
function valueGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const packages: string[] = [];
    graph.set(file, packages);
    for (const { specifier, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
      if (typeOnly) continue;
      if (specifier.startsWith('.')) pending.push(resolveLocal(file, specifier));
      else packages.push(specifier);
    }
  }
  return graph;
}

describe('the workflow bundle’s imports', () => {
  const graph = valueGraph(ENTRY);

  it('reaches the workflow modules and what they use', () => {
    const files = [...graph.keys()].map((file) => relative(ROOT, file));
    expect(files).toEqual(
      expect.arrayContaining([
        'workflows/deliveryDay.ts',
        'workflows/backfill.ts',
        'domain/workflowInputs.ts',
      ]),
    );
  });

  it('loads zod only on first use (domain/zod.ts), never as a module-level value import', () => {
    const eager = [...graph]
      .filter(([, packages]) => packages.includes('zod'))
      .map(([file]) => relative(ROOT, file));
    expect(eager).toEqual([]);
  });

  it('imports no Node built-in', () => {
    const node = [...graph].flatMap(([file, packages]) =>
      packages.filter((name) => name.startsWith('node:')).map((name) => `${relative(ROOT, file)}: ${name}`),
    );
    expect(node).toEqual([]);
  });

  it('tells a type-only import from a value import', () => {
    expect(importsOf("import type { z } from 'zod';")).toEqual([{ specifier: 'zod', typeOnly: true }]);
    expect(importsOf("import { type A, type B } from 'zod';")).toEqual([
      { specifier: 'zod', typeOnly: true },
    ]);
    expect(importsOf("import { z } from 'zod';")).toEqual([{ specifier: 'zod', typeOnly: false }]);
    expect(importsOf("import { type A, b } from './x';")).toEqual([{ specifier: './x', typeOnly: false }]);
  });
});
