// The runtime code compiled to CommonJS for the image (docs/deployment.md, "The image"): esbuild transpiles one
// file per source, so dist/ mirrors the source tree and no import is followed into folders the image leaves out.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../common/buildInfo';
import { dependencies, name, version } from '../package.json';

/** What the image runs; `api` joins when it exists. simulator/, devstack/, scripts/, bench/, test/ stay out. */
export const RUNTIME_FOLDERS = [
  'activities',
  'api',
  'archive',
  'cli',
  'common',
  'control',
  'db',
  'domain',
  'source',
  'workers',
  'workflows',
] as const;

/** The CLI commands that need the left-out folders; cli/main.ts imports them lazily (cli/sourceOnly.ts). */
export const SOURCE_ONLY_COMMANDS = [
  'cli/commands/cluster.ts',
  'cli/commands/simulate.ts',
  'cli/commands/start.ts',
  'cli/commands/urls.ts',
];

/**
 * Requires of the compiled tree that may point outside it, by the file that makes them: each is reached only in
 * a checkout (api/pageAssets.ts bundles the status page from source when no built bundle lies beside it).
 */
export const SOURCE_ONLY_REQUIRES: Record<string, string[]> = {
  [join('api', 'pageAssets.js')]: ['../page/bundle'],
};

/** Data the compiled code reads beside it: the migrations, and the dataset declarations it requires. */
const ASSETS = [join('db', 'migrations'), join('domain', 'datasets', 'declarations')];

function sourceFiles(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
    .map((file) => join(folder, file))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts'))
    .filter((file) => !SOURCE_ONLY_COMMANDS.includes(file.split(sep).join('/')))
    .sort();
}

/** Compiles the runtime folders into `outDir` (replacing what an earlier build left there); returns the files. */
export async function compileRuntime(outDir: string): Promise<string[]> {
  const target = resolve(outDir);
  if (target === REPO_ROOT || REPO_ROOT.startsWith(`${target}${sep}`)) {
    throw new Error(`refusing to compile into ${target}: it holds the sources`);
  }
  const folders = RUNTIME_FOLDERS.filter((folder) => existsSync(join(REPO_ROOT, folder)));
  for (const folder of folders) rmSync(join(target, folder), { recursive: true, force: true });
  const files = folders.flatMap(sourceFiles);
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: files,
    outdir: target,
    outbase: REPO_ROOT,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    bundle: false,
    // a native import() goes through Node's ESM loader, which finds no extensionless path: make it a require()
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
  for (const asset of ASSETS) {
    cpSync(join(REPO_ROOT, asset), join(target, asset), {
      recursive: true,
      filter: (source) => !source.endsWith('.ts'),
    });
  }
  // common/buildInfo.ts and source/userAgent.ts read the version from ../package.json
  writeFileSync(
    join(target, 'package.json'),
    `${JSON.stringify({ name, version, private: true, type: 'commonjs' }, null, 2)}\n`,
  );
  checkCompiledTree(target, folders);
  return files;
}

const REQUIRE = /\b(?:require|import)\("([^"]+)"\)/g;

/**
 * Every module the compiled tree requires is in it, a Node built-in or a runtime dependency (so the image's
 * `npm ci --omit=dev` suffices, without tsx); only cli/main.js may name the source-only commands.
 */
export function checkCompiledTree(outDir: string, folders: readonly string[]): void {
  const runtimeDependencies = new Set(Object.keys(dependencies));
  const sourceOnly = new Set(SOURCE_ONLY_COMMANDS.map((file) => join(outDir, file.replace(/\.ts$/, ''))));
  const problemOf = (file: string, specifier: string): string | null => {
    if (specifier.startsWith('.')) {
      const path = join(outDir, dirname(file), specifier);
      const found = ['', '.js', '.json', `${sep}index.js`].some((suffix) => existsSync(`${path}${suffix}`));
      const lazy =
        (file === join('cli', 'main.js') && sourceOnly.has(path)) ||
        (SOURCE_ONLY_REQUIRES[file]?.includes(specifier) ?? false);
      return found || lazy ? null : `${file} requires ${specifier}, which the build left out`;
    }
    if (builtinModules.includes(specifier.replace(/^node:/, ''))) return null;
    const parts = specifier.split('/');
    const packageName = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    return packageName && runtimeDependencies.has(packageName)
      ? null
      : `${file} requires ${specifier}, which is no runtime dependency`;
  };
  const problems = folders
    .flatMap((folder) =>
      readdirSync(join(outDir, folder), { recursive: true, encoding: 'utf8' }).map((file) =>
        join(folder, file),
      ),
    )
    .filter((file) => file.endsWith('.js'))
    .flatMap((file) =>
      [...readFileSync(join(outDir, file), 'utf8').matchAll(REQUIRE)].map(([, specifier]) =>
        problemOf(file, specifier ?? ''),
      ),
    )
    .filter((problem) => problem !== null);
  if (problems.length > 0) throw new Error(`the compiled tree is incomplete: ${problems.join('; ')}`);
}
