// The release an upgrade starts from, as CHANGELOG names it, checked out beside the tree with its own dependencies.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolCacheDir } from '../../devstack/toolCache';
import { REPO_ROOT } from '../helpers/processes';

export interface Release {
  version: string;
  /** The commit that wrote the release's CHANGELOG header. */
  commit: string;
}

const RELEASE_HEADER = /^## (\d+\.\d+\.\d+) \(/gm;
const UNRELEASED_HEADER = /^## Unreleased\s*$/m;

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
}

/** The releases CHANGELOG.md lists, newest first. */
export function listedReleases(changelog: string): string[] {
  return [...changelog.matchAll(RELEASE_HEADER)].map((match) => match[1]!);
}

/**
 * The previous release of this tree: the newest release of CHANGELOG when the tree has unreleased changes on top of
 * it (an "Unreleased" section), else the one before the newest (the tree is that release).
 */
export function previousVersion(changelog: string): string | null {
  const releases = listedReleases(changelog);
  return (UNRELEASED_HEADER.test(changelog) ? releases[0] : releases[1]) ?? null;
}

export function previousRelease(): Release {
  const changelog = readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
  const version = previousVersion(changelog);
  if (version === null)
    throw new Error('CHANGELOG.md names no release before this tree: there is nothing to upgrade from');
  const commit = git([
    'log',
    '--format=%H',
    '--reverse',
    '-S',
    `## ${version} (`,
    '--',
    'CHANGELOG.md',
  ]).split('\n')[0];
  if (!commit) {
    throw new Error(
      `no commit wrote "## ${version} (" into CHANGELOG.md: this clone lacks the history of ${version}`,
    );
  }
  return { version, commit };
}

/**
 * The release's files at its commit (git archive) in the tool cache, with its locked dependencies installed (npm ci):
 * made once per commit, reused by later runs.
 */
export function checkOutRelease(release: Release, log: (line: string) => void): string {
  const dir = toolCacheDir(join('releases', `${release.version}-${release.commit.slice(0, 12)}`));
  const ready = join(dir, '.jao-release-ready');
  if (existsSync(ready)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`checking out ${release.version} (${release.commit.slice(0, 12)}) into ${dir}`);
  const archive = spawnSync('sh', ['-c', `git archive ${release.commit} | tar -x -C "${dir}"`], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (archive.status !== 0)
    throw new Error(`git archive of ${release.commit} failed: ${archive.stderr.trim()}`);
  log(`installing ${release.version}'s dependencies (npm ci)`);
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
  if (install.status !== 0) {
    throw new Error(`npm ci in ${dir} failed:\n${`${install.stdout}${install.stderr}`.trim().slice(-2000)}`);
  }
  writeFileSync(ready, `${release.commit}\n`);
  return dir;
}
