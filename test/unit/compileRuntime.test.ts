// The build's check of the compiled tree: what the runtime image could not load fails `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkCompiledTree, compileRuntime } from '../../scripts/compileRuntime';
import { REPO_ROOT } from '../helpers/processes';

const packageJsonSchema = z.object({
  dependencies: z.record(z.string(), z.string()),
  devDependencies: z.record(z.string(), z.string()),
});
const lockSchema = z.object({
  packages: z.record(z.string(), z.object({ dev: z.boolean().optional() })),
});

/** The package-lock key of the installed package a loaded file belongs to (`node_modules/a/node_modules/b`). */
function lockKeyOf(file: string): string | null {
  const start = file.indexOf(`node_modules/`);
  if (start < 0) return null;
  return /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(file.slice(start))?.[1] ?? null;
}

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

describe('the runtime image', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the Temporal test kit a dev dependency', () => {
    const { dependencies, devDependencies } = packageJsonSchema.parse(
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')),
    );
    expect(Object.keys(dependencies)).not.toContain('@temporalio/testing');
    expect(Object.keys(devDependencies)).toContain('@temporalio/testing');
  });

  it('loads every command of the compiled CLI without a dev dependency', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jao-runtime-'));
    const outDir = join(dir, 'dist');
    await compileRuntime(outDir);
    // cli/main.js requires a command's module when it runs: load every compiled one, as the image's commands do
    const commands = readdirSync(join(outDir, 'cli', 'commands'))
      .filter((name) => name.endsWith('.js'))
      .map((name) => join(outDir, 'cli', 'commands', name));
    expect(commands.map((file) => basename(file))).toEqual(
      expect.arrayContaining(['worker.js', 'api.js', 'apiKey.js', 'migrate.js', 'health.js', 'restore.js']),
    );
    const loadedList = join(dir, 'loaded.json');
    const recorder = join(dir, 'record-loaded.js');
    writeFileSync(
      recorder,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loadedList)}, ` +
        'JSON.stringify(Object.keys(require.cache))));\n',
    );
    const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
    const env = { ...inherited, NODE_PATH: join(REPO_ROOT, 'node_modules') };
    const loadedBy = (args: string[]) => {
      const ran = spawnSync(process.execPath, ['-r', recorder, ...args], { env, encoding: 'utf8' });
      expect(ran.stderr).toBe('');
      expect(ran.status).toBe(0);
      const loaded = z.array(z.string()).parse(JSON.parse(readFileSync(loadedList, 'utf8')));
      return new Set(loaded.map(lockKeyOf).filter((key) => key !== null));
    };
    // `jao --help` (and so every light command) loads no command's code: neither the worker nor the HTTP server
    const entry = JSON.stringify(join(outDir, 'cli', 'process.js'));
    const help = loadedBy([
      '-e',
      `require(${entry}).runProcess(['--help'], process.exit).then(process.exit)`,
    ]);
    expect([...help].filter((key) => /@temporalio\/worker|fastify|@aws-sdk/.test(key))).toEqual([]);
    const packages = loadedBy(['-e', `for (const file of ${JSON.stringify(commands)}) require(file);`]);
    const lock = lockSchema.parse(JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')));
    expect(packages).toContain('node_modules/@temporalio/worker');
    expect(packages).not.toContain('node_modules/@temporalio/testing');
    expect([...packages].filter((key) => lock.packages[key]?.dev === true)).toEqual([]);
  });
});
