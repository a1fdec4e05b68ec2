// No dataset is special in code (docs/datasets.md "No dataset is special"): outside the declarations
// (domain/datasets/), product code never compares a dataset id, names one, or singles out Core maxExchanges; what
// 1.x users rely on is named in domain/datasets/compat.ts and imported from there.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS, DECLARATIONS } from '../../domain/datasets';

const ROOT = join(__dirname, '..', '..');
/** Not product code: tests, benchmarks, the simulator (JAO's stand-in); and the declarations themselves. */
const OUTSIDE = ['test', 'bench', 'simulator', 'node_modules', 'dist', 'domain/datasets'].map((path) =>
  path.split('/').join(sep),
);

function productFiles(dir = ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const inRepo = relative(ROOT, path);
    if (entry.name.startsWith('.') || OUTSIDE.includes(inRepo)) continue;
    if (entry.isDirectory()) files.push(...productFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(inRepo);
  }
  return files;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A dataset's id in quotes, or a declaration's constant (`coreMaxExchanges`). */
const DATASET_ID = new RegExp(`['"\`](${DATASETS.map(escapeRegExp).join('|')})['"\`]`);
const DECLARATION_NAMES = /\b(GO_LIVE_DAY|coreMaxExchanges|nordicMaxExchanges|coreAtc|coreNetPos)\b/;
const COMPARED_DEFAULT = /(===|!==|[<>]=?)\s*DEFAULT_DATASET\b|\bDEFAULT_DATASET\s*(===|!==|[<>]=?|\?)/;
/** A comment's line: it may name a dataset as an example. */
const COMMENT = /^\s*(\/\/|\/\*|\*)/;
/** `import { …, DEFAULT_DATASET, … } from '<path>'`, across lines. */
const DEFAULT_IMPORT = /import\s*(?:type\s*)?\{[^}]*\bDEFAULT_DATASET\b[^}]*\}\s*from\s*'([^']+)'/g;

/** Every line of product code that singles out a dataset, as `path:line: text`. */
function specialCases(files: string[], read: (file: string) => string): string[] {
  const found: string[] = [];
  for (const file of files) {
    const text = read(file);
    text.split('\n').forEach((line, index) => {
      if (COMMENT.test(line)) return;
      if (DATASET_ID.test(line) || DECLARATION_NAMES.test(line) || COMPARED_DEFAULT.test(line))
        found.push(`${file}:${index + 1}: ${line.trim()}`);
    });
    for (const match of text.matchAll(DEFAULT_IMPORT)) {
      if (!match[1]!.endsWith('datasets/compat'))
        found.push(`${file}: imports DEFAULT_DATASET from ${match[1]}`);
    }
  }
  return found;
}

describe('no dataset is special in code', () => {
  it('finds no line outside domain/datasets/ comparing a dataset id, DEFAULT_DATASET or GO_LIVE_DAY', () => {
    const files = productFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(specialCases(files, (file) => readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
  });

  it('would find each kind of special case', () => {
    const samples: Record<string, string> = {
      'a.ts': "if (dataset === 'nordicMaxExchanges') return;",
      'b.ts': 'const label = dataset === DEFAULT_DATASET ? "" : dataset;',
      'c.ts': 'if (from < GO_LIVE_DAY) throw new Error();',
      'd.ts': "import { DEFAULT_DATASET } from '../domain/datasets';\nconst d = DEFAULT_DATASET;",
      'e.ts': "import { coreMaxExchanges } from './datasets/coreMaxExchanges';",
      'f.ts': "import { DEFAULT_DATASET } from '../domain/datasets/compat';\nconst d = DEFAULT_DATASET;",
    };
    const found = specialCases(Object.keys(samples), (file) => samples[file]!);
    expect(found.map((line) => line.split(':')[0])).toEqual(['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts']);
    expect(DECLARATIONS.length).toBe(DATASETS.length);
  });
});
