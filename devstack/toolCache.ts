// Where the project's pinned tools live, how they are found and built: shared by the Temporal CLI and server provisioning.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A tool found or built: its path and where it came from. */
export interface LocatedTool {
  path: string;
  source: 'env' | 'path' | 'cache' | 'built';
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

/** `go install <pkg>` into `cacheDir`, its output on the terminal; returns the path of `binary` there. */
export function goInstallSync(
  go: string,
  pkg: string,
  binary: string,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
) {
  const staging = `${cacheDir}.build-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  const result = spawnSync(go, ['install', pkg], {
    env: { ...env, GOBIN: staging, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`go install ${pkg} failed with exit code ${result.status}`);
  }
  mkdirSync(cacheDir, { recursive: true });
  const target = join(cacheDir, binary);
  // rename is atomic, so a concurrent build never leaves a half-written binary behind
  if (!existsSync(target)) renameSync(join(staging, binary), target);
  rmSync(staging, { recursive: true, force: true });
  return target;
}
