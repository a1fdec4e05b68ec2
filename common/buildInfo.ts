// The build a worker runs: package version, source commit and the hash of the workflow bundle it executes.
// Recorded on every day it writes (jao.delivery_day.last_build_id), logged at start-up, exported as a metric.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { version } from '../package.json';

export const REPO_ROOT = join(__dirname, '..');

export const buildInfoSchema = z.object({
  buildId: z.string().min(1).max(255),
  version: z.string().min(1),
  gitCommit: z.string().min(1),
  bundleSha256: z.string().regex(/^[0-9a-f]{64}$/),
  builtAt: z.string().optional(),
});

export type BuildInfo = z.infer<typeof buildInfoSchema>;

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `<version>-<commit>-wf<bundle hash>`: the commit says which activity code wrote a day, the bundle hash which
 * workflow code decided it (two builds with the same hash replay each other's histories identically).
 */
export function buildIdOf(gitCommit: string, bundleSha256: string): string {
  return `${version}-${gitCommit}-wf${bundleSha256.slice(0, 10)}`;
}

/**
 * The source commit: `JAO_GIT_COMMIT` (set by image builds, which have no .git), else the repository's HEAD
 * with `-dirty` when the work tree has uncommitted changes, else `nogit`.
 */
export function currentGitCommit(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.JAO_GIT_COMMIT?.trim();
  if (fromEnv) return fromEnv.replace(/[^0-9A-Za-z._-]/g, '').slice(0, 40) || 'nogit';
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 5_000, stdio: 'pipe' });
  const head = git('rev-parse', '--short=10', 'HEAD');
  if (head.status !== 0 || !head.stdout.trim()) return 'nogit';
  const dirty = git('status', '--porcelain', '--untracked-files=no');
  return `${head.stdout.trim()}${dirty.status === 0 && dirty.stdout.trim() ? '-dirty' : ''}`;
}

export function buildInfoOf(code: string, gitCommit = currentGitCommit()): BuildInfo {
  const bundleSha256 = sha256Hex(code);
  return { buildId: buildIdOf(gitCommit, bundleSha256), version, gitCommit, bundleSha256 };
}
