// Locates or builds versitygw, the S3-compatible server the S3 archive's tests run against (its posix backend
// keeps buckets as directories). Order: VERSITYGW_PATH, the pinned build in the cache, a fresh build with Go.
// Another versitygw on PATH is passed over: the tests were written against this version's answers.
import { join } from 'node:path';
import { findGo, goInstallSync, isExecutable, toolCacheDir } from './toolCache';

export const VERSITYGW_VERSION = 'v1.8.0';
const MODULE = 'github.com/versity/versitygw/cmd/versitygw';

export function versitygwCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return toolCacheDir(`versitygw-${VERSITYGW_VERSION.replace(/^v/, '')}`, env);
}

/** Finds an existing versitygw without building anything. */
export function locateVersitygw(env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env.VERSITYGW_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`VERSITYGW_PATH=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const cached = join(versitygwCacheDir(env), 'versitygw');
  return isExecutable(cached) ? cached : null;
}

/** What to install when versitygw is absent and cannot be built. */
export function versitygwMissingNote(): string {
  return `versitygw ${VERSITYGW_VERSION} not found and no Go toolchain to build it: install Go (go.dev/dl), or set VERSITYGW_PATH`;
}

/** Builds the pinned versitygw with Go into the cache directory; returns null when Go is absent. */
export function buildVersitygw(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): string | null {
  const go = findGo(env);
  if (!go) return null;
  const cacheDir = versitygwCacheDir(env);
  log(`building versitygw ${VERSITYGW_VERSION} with ${go} into ${cacheDir} (first run only, a few minutes)`);
  return goInstallSync(go, `${MODULE}@${VERSITYGW_VERSION}`, 'versitygw', cacheDir, {
    ...env,
    GOTOOLCHAIN: 'auto',
  });
}

/** The versitygw to run, building it when needed; null when it is absent and Go is too. */
export function ensureVersitygw(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): string | null {
  return locateVersitygw(env) ?? buildVersitygw(env, log);
}
