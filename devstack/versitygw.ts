// Locates or builds versitygw, the S3-compatible server the S3 archive's tests run against (its posix backend
// keeps buckets as directories). Order: VERSITYGW_PATH, the pinned build in the cache, a fresh build with Go.
// Another versitygw on PATH is passed over: the tests were written against this version's answers.
import { ensureGoTool, type GoTool, locateGoTool } from './toolCache';

const VERSITYGW: GoTool = {
  label: 'versitygw',
  module: 'github.com/versity/versitygw/cmd/versitygw',
  version: 'v1.8.0',
  command: 'versitygw',
  envVar: 'VERSITYGW_PATH',
  fromPath: false,
  buildEnv: { GOTOOLCHAIN: 'auto' },
};

/** Finds an existing versitygw without building anything. */
export function locateVersitygw(env: NodeJS.ProcessEnv = process.env): string | null {
  return locateGoTool(VERSITYGW, env)?.path ?? null;
}

/** What to install when versitygw is absent and cannot be built. */
export function versitygwMissingNote(): string {
  return `versitygw ${VERSITYGW.version} not found and no Go toolchain to build it: install Go (go.dev/dl), or set VERSITYGW_PATH`;
}

/** The versitygw to run, building it when needed; null when it is absent and Go is too. */
export function ensureVersitygw(env: NodeJS.ProcessEnv, log: (line: string) => void): string | null {
  return ensureGoTool(VERSITYGW, env, log)?.path ?? null;
}
