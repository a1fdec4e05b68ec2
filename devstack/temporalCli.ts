// Locates or builds the Temporal CLI that runs the dev server (tests, `npm start`, CI).
// Order: TEMPORAL_CLI_PATH, `temporal` on PATH, the pinned build in the cache, a fresh build with Go,
// and only where none of these is possible, null: callers then let the SDK download its own server.
import { join } from 'node:path';
import { findGo, findOnPath, goInstallSync, isExecutable, type LocatedTool, toolCacheDir } from './toolCache';

/** Newest CLI release whose go.mod has no `replace` directive, so `go install …@version` builds it. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

export function temporalCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return toolCacheDir(`temporal-${TEMPORAL_CLI_VERSION.replace(/^v/, '')}`, env);
}

/** Finds an existing CLI without building anything. */
export function locateTemporalCli(env: NodeJS.ProcessEnv = process.env): LocatedTool | null {
  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    return { path: fromEnv, source: 'env' };
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return { path: onPath, source: 'path' };
  const cached = join(temporalCacheDir(env), 'temporal');
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  return null;
}

/** Builds the pinned CLI with Go into the cache directory; returns null when Go is absent. */
export function buildTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): LocatedTool | null {
  const go = findGo(env);
  if (!go) return null;
  const cacheDir = temporalCacheDir(env);
  log(
    `building Temporal CLI ${TEMPORAL_CLI_VERSION} with ${go} into ${cacheDir} (first run only, a few minutes)`,
  );
  const path = goInstallSync(go, `${MODULE}@${TEMPORAL_CLI_VERSION}`, 'temporal', cacheDir, env);
  return { path, source: 'built' };
}

/** The CLI to run, building it when needed; null means "let the SDK download one". */
export function ensureTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): LocatedTool | null {
  return locateTemporalCli(env) ?? buildTemporalCli(env, log);
}
