// Locates or builds the Temporal server and temporal-sql-tool that `jao cluster` runs: the version docker-compose
// runs (temporalio/server and temporalio/admin-tools 1.32.2). Same order and cache as devstack/temporalCli.ts: an environment variable,
// the command on PATH (when it is this version), the pinned build in the cache, a fresh build with Go.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { findGo, type GoTool, goToolCacheDir, type LocatedTool, locateGoTool } from './toolCache';

/** The server version of `jao cluster` and of docker-compose.yml's temporalio/server and admin-tools images. */
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
const MODULE = 'go.temporal.io/server';

/** One of the two binaries of the server module, pinned to its version and cached together. */
const serverBinary = (command: string, envVar: string, goPackage: string): GoTool => ({
  label: command,
  module: `${MODULE}/${goPackage}`,
  version: TEMPORAL_SERVER_VERSION,
  command,
  envVar,
  // another version on PATH is passed over: the schema and the compose image are this version
  fromPath: true,
  pinned: true,
  cacheName: `temporal-server-${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}`,
});

export const TEMPORAL_BINARIES = {
  server: serverBinary('temporal-server', 'TEMPORAL_SERVER_PATH', 'cmd/server'),
  sqlTool: serverBinary('temporal-sql-tool', 'TEMPORAL_SQL_TOOL_PATH', 'cmd/tools/sql'),
};

export type TemporalServerBinaries = Record<keyof typeof TEMPORAL_BINARIES, LocatedTool>;

export class GoMissingError extends Error {
  override name = 'GoMissingError';
}

const PROGRESS_EVERY_MS = 20_000;

/**
 * Builds both pinned binaries with Go into the cache directory (`go install … -v`, one progress line every 20 s).
 * The server's go.mod has no `replace` directive, so `go install pkg@version` builds it as released.
 */
async function buildTemporalServer(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<TemporalServerBinaries> {
  const go = findGo(env);
  if (!go) {
    throw new GoMissingError(
      `no Temporal server ${TEMPORAL_SERVER_VERSION}: install Go ≥ 1.21 (it fetches Go 1.26.10), or set TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH`,
    );
  }
  const cacheDir = goToolCacheDir(TEMPORAL_BINARIES.server, env);
  const staging = `${cacheDir}.build-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  const specs = Object.values(TEMPORAL_BINARIES);
  const packages = specs.map((spec) => `${spec.module}@${TEMPORAL_SERVER_VERSION}`);
  log(
    `building Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool with ${go} into ${cacheDir}`,
  );
  log('(first run only; a few minutes on 2 cores, much less when the Temporal CLI was built before)');
  const started = Date.now();
  // GOTOOLCHAIN=auto: Go fetches the toolchain the server's go.mod asks for (1.26.10) when the local one is older
  const child = spawn(go, ['install', '-v', ...packages], {
    env: { ...env, GOBIN: staging, GOFLAGS: '-mod=mod', CGO_ENABLED: '0', GOTOOLCHAIN: 'auto' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let compiled = 0;
  const tail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    // `-v` names each package as it is built; anything else is kept for the error message
    if (/^[\w.-]+(\/[\w.~+-]+)*$/.test(line)) compiled += 1;
    else tail.push(line);
    if (tail.length > 20) tail.shift();
  });
  const ticker = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    log(`still building: ${compiled} packages compiled after ${seconds} s`);
  }, PROGRESS_EVERY_MS);
  const code = await new Promise<number | null>((done) => child.on('close', (status) => done(status)));
  clearInterval(ticker);
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`go install ${packages.join(' ')} failed (exit ${code}):\n${tail.join('\n')}`);
  }
  mkdirSync(cacheDir, { recursive: true });
  for (const spec of specs) {
    const target = join(cacheDir, spec.command);
    // rename is atomic, so a concurrent build never leaves a half-written binary behind
    if (!existsSync(target)) renameSync(join(staging, basename(spec.module)), target);
  }
  rmSync(staging, { recursive: true, force: true });
  log(`built in ${Math.round((Date.now() - started) / 1000)} s (${compiled} packages compiled)`);
  const built = (spec: GoTool): LocatedTool => ({ path: join(cacheDir, spec.command) });
  return { server: built(TEMPORAL_BINARIES.server), sqlTool: built(TEMPORAL_BINARIES.sqlTool) };
}

/** The binaries to run: existing ones where both are found, else both built. */
export async function ensureTemporalServer(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<TemporalServerBinaries> {
  const server = locateGoTool(TEMPORAL_BINARIES.server, env);
  const sqlTool = locateGoTool(TEMPORAL_BINARIES.sqlTool, env);
  return server && sqlTool ? { server, sqlTool } : buildTemporalServer(env, log);
}
