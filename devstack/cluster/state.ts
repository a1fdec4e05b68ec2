// Where a native cluster keeps its pids, logs and settings: `$JAO_DATA_DIR/cluster/`.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isRunning } from '../processes';
import { ClusterError } from './errors';
import { CLUSTER_SERVICES, type ClusterService } from './settings';

export interface ClusterLayout {
  dir: string;
  stateFile: string;
  pidFile(service: ClusterService): string;
  logFile(service: ClusterService): string;
}

export function clusterLayout(dataDir: string): ClusterLayout {
  const dir = resolve(dataDir, 'cluster');
  return {
    dir,
    stateFile: join(dir, 'cluster.json'),
    pidFile: (service) => join(dir, `${service}.pid`),
    logFile: (service) => join(dir, `${service}.log`),
  };
}

/** What `up` decided, so that `status`, `down` and restarts use the same settings (no secrets in here). */
export const clusterStateSchema = z.object({
  serverVersion: z.string(),
  serverPath: z.string().min(1),
  frontendPort: z.number().int().min(1).max(65_535),
  namespace: z.string().min(1),
  databases: z.object({
    host: z.string().min(1),
    port: z.number().int(),
    user: z.string(),
    main: z.string().min(1),
    visibility: z.string().min(1),
  }),
  upAt: z.string(),
});
export type ClusterState = z.infer<typeof clusterStateSchema>;

export function readClusterState(layout: ClusterLayout): ClusterState | null {
  if (!existsSync(layout.stateFile)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(layout.stateFile, 'utf8'));
  } catch {
    throw new ClusterError(`${layout.stateFile} is not JSON; remove it after stopping the services`);
  }
  const parsed = clusterStateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ClusterError(
      `${layout.stateFile} does not hold a cluster state; remove it after stopping the services`,
    );
  }
  return parsed.data;
}

export function writeClusterState(layout: ClusterLayout, state: ClusterState): void {
  mkdirSync(layout.dir, { recursive: true });
  const temporary = `${layout.stateFile}.${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, layout.stateFile);
}

export function writePid(layout: ClusterLayout, service: ClusterService, pid: number): void {
  writeFileSync(layout.pidFile(service), `${pid}\n`);
}

export function removePid(layout: ClusterLayout, service: ClusterService): void {
  rmSync(layout.pidFile(service), { force: true });
}

/** Where /proc exists, a live pid must still be this service's server (a pid may be reused after a reboot). */
function runsService(pid: number, service: ClusterService): boolean {
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes('start') && args.includes(service);
  } catch {
    return false;
  }
}

export interface ServiceProcess {
  service: ClusterService;
  /** The recorded pid, when a pid file exists. */
  pid: number | null;
  running: boolean;
}

export function serviceProcess(layout: ClusterLayout, service: ClusterService): ServiceProcess {
  const file = layout.pidFile(service);
  if (!existsSync(file)) return { service, pid: null, running: false };
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return { service, pid: null, running: false };
  return { service, pid, running: isRunning(pid) && runsService(pid, service) };
}

export function serviceProcesses(layout: ClusterLayout): ServiceProcess[] {
  return CLUSTER_SERVICES.map((service) => serviceProcess(layout, service));
}
