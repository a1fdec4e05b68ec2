// Where the project's pinned tools live, how they are found and built: shared by the Temporal CLI and server provisioning.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A tool found or built. */
export interface LocatedTool {
  path: string;
}

/** `${XDG_CACHE_HOME:-~/.cache}/jao-scraper/<name>`: outside the repository, reused across clones. */
export function toolCacheDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const cacheRoot = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheRoot, 'jao-scraper', name);
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(command: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

export function findGo(env: NodeJS.ProcessEnv): string | null {
  return findOnPath('go', env) ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
}

/** A tool pinned to one release, built with `go install <module>@<version>` where it is not found. */
export interface GoTool {
  /** Its name in messages. */
  label: string;
  module: string;
  version: string;
  /** Command name on PATH and in the cache (`<command>-<version>`). */
  command: string;
  /** Environment variable naming an explicit path. */
  envVar: string;
  /** Whether a `command` on PATH is taken (whatever its version, unless `pinned`). */
  fromPath: boolean;
  /** Only this version will do (as `--version` prints it): another one `envVar` names is refused, one on PATH passed over. */
  pinned?: boolean;
  /** The cache directory's name, where not `<command>-<version>` (binaries built together share one). */
  cacheName?: string;
  /** Added to the environment of `go install`. */
  buildEnv?: NodeJS.ProcessEnv;
}

/** What `--version` prints after `version` (the Temporal server's binaries: `<name> version 1.32.2`). */
function versionOf(path: string): string | null {
  const result = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const match = /version (\S+)/.exec(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  return match ? match[1]! : null;
}

/** Finds an existing build without building anything: `envVar`, then PATH (where `fromPath`), then the cache. */
export function locateGoTool(tool: GoTool, env: NodeJS.ProcessEnv): LocatedTool | null {
  const wanted = tool.version.replace(/^v/, '');
  const fromEnv = env[tool.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${tool.envVar}=${fromEnv} is not an executable file`);
    const version = tool.pinned ? versionOf(fromEnv) : wanted;
    if (version !== wanted) {
      throw new Error(`${tool.envVar}=${fromEnv} is version ${version ?? 'unknown'}, expected ${wanted}`);
    }
    return { path: fromEnv };
  }
  const onPath = tool.fromPath ? findOnPath(tool.command, env) : null;
  if (onPath && (!tool.pinned || versionOf(onPath) === wanted)) return { path: onPath };
  const cached = join(goToolCacheDir(tool, env), tool.command);
  return isExecutable(cached) ? { path: cached } : null;
}

export function goToolCacheDir(tool: GoTool, env: NodeJS.ProcessEnv): string {
  return toolCacheDir(tool.cacheName ?? `${tool.command}-${tool.version.replace(/^v/, '')}`, env);
}

/** The tool to run, built with Go into the cache directory when it is not found; null when Go is absent too. */
export function ensureGoTool(
  tool: GoTool,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): LocatedTool | null {
  const located = locateGoTool(tool, env);
  if (located) return located;
  const go = findGo(env);
  if (!go) return null;
  const cacheDir = goToolCacheDir(tool, env);
  log(`building ${tool.label} ${tool.version} with ${go} into ${cacheDir} (first run only, a few minutes)`);
  // `go install` into a staging directory, its output on the terminal
  const pkg = `${tool.module}@${tool.version}`;
  const staging = `${cacheDir}.build-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  const result = spawnSync(go, ['install', pkg], {
    env: { ...env, ...tool.buildEnv, GOBIN: staging, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`go install ${pkg} failed with exit code ${result.status}`);
  }
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, tool.command);
  // rename is atomic, so a concurrent build never leaves a half-written binary behind
  if (!existsSync(path)) renameSync(join(staging, tool.command), path);
  rmSync(staging, { recursive: true, force: true });
  return { path };
}
