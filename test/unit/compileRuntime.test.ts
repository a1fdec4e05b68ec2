// The build's check of the compiled tree: what the runtime image could not load fails `npm run build`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCompiledTree } from '../../scripts/compileRuntime';

describe('checkCompiledTree', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function tree(files: Record<string, string>): string {
    dir = mkdtempSync(join(tmpdir(), 'jao-compiled-'));
    for (const [file, code] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), code);
    }
    return dir;
  }

  it('accepts built-ins, runtime dependencies, its own files and the lazy source-only commands', () => {
    const outDir = tree({
      'cli/main.js':
        'require("node:fs"); require("path"); require("zod"); require("@temporalio/client/lib/x"); ' +
        'require("./errors"); require("../package.json"); require("./commands/simulate");',
      'cli/errors.js': '',
      'package.json': '{}',
    });
    expect(() => checkCompiledTree(outDir, ['cli'])).not.toThrow();
  });

  it('names every module the runtime image would not find', () => {
    const outDir = tree({
      'cli/main.js': 'require("./commands/start");',
      'db/pool.js':
        'require("../simulator/server"); require("tsx/cjs"); require("vitest"); require("./commands/start");',
    });
    expect(() => checkCompiledTree(outDir, ['cli', 'db'])).toThrow(
      'the compiled tree is incomplete: ' +
        'db/pool.js requires ../simulator/server, which the build left out; ' +
        'db/pool.js requires tsx/cjs, which is no runtime dependency; ' +
        'db/pool.js requires vitest, which is no runtime dependency; ' +
        'db/pool.js requires ./commands/start, which the build left out',
    );
  });
});
