// One Temporal service (frontend, history, matching or worker) as a detached process of its own: started with
// its log and pid under the cluster directory, checked, and stopped (SIGTERM, then SIGKILL after a timeout).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { portAnswers } from '../../common/ports';
import { logTail } from '../processes';
import {
  type ClusterPorts,
  type ClusterService,
  SERVER_CONFIG_DIR,
  SERVER_CONFIG_ENV,
  TEMPORAL_DEPLOY_DIR,
} from './settings';
import { type ClusterLayout, removePid, serviceProcess, writePid } from './state';

export class ServiceStartError extends Error {
  override name = 'ServiceStartError';
}

/** The worker service serves no gRPC; it is there once it listens for membership. */
export function readinessPort(ports: ClusterPorts, service: ClusterService): number {
  return service === 'worker' ? ports.services.worker.membership : ports.services[service].grpc;
}

export interface StartServiceOptions {
  serverPath: string;
  layout: ClusterLayout;
  ports: ClusterPorts;
  /** Variables for cluster.yaml (serverEnvironment). */
  environment: Record<string, string>;
}

/**
 * Starts the service detached (it outlives the caller) and resolves once its port accepts connections;
 * a service that exits first is reported with the end of its log.
 */
export async function startService(service: ClusterService, options: StartServiceOptions): Promise<number> {
  const { layout, ports } = options;
  const logPath = layout.logFile(service);
  const log = openSync(logPath, 'a');
  const child = spawn(
    options.serverPath,
    [
      '--root',
      TEMPORAL_DEPLOY_DIR,
      '--config',
      SERVER_CONFIG_DIR,
      '--env',
      SERVER_CONFIG_ENV,
      '--allow-no-auth',
      'start',
      '--service',
      service,
    ],
    {
      cwd: layout.dir,
      detached: true,
      stdio: ['ignore', log, log],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? layout.dir, ...options.environment },
    },
  );
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) {
    throw new ServiceStartError(`${service}: could not start ${options.serverPath}`);
  }
  let exitCode: number | string | null = null;
  child.once('exit', (code, signal) => {
    exitCode = code ?? signal;
  });
  child.unref();
  writePid(layout, service, pid);

  const deadline = Date.now() + 60_000;
  const port = readinessPort(ports, service);
  while (Date.now() < deadline) {
    if (exitCode !== null) {
      removePid(layout, service);
      throw new ServiceStartError(
        `${service} exited at start-up (${exitCode}); end of ${logPath}:\n${logTail(logPath, 3, '(no log)')}`,
      );
    }
    if (await portAnswers(port)) return pid;
    await sleep(250);
  }
  throw new ServiceStartError(`${service} did not open port ${port} in time; see ${logPath}`);
}

export type StopOutcome = 'not running' | 'stopped' | 'killed';

/** SIGTERM, and SIGKILL when it has not exited after `timeoutMs`. */
export async function stopService(
  layout: ClusterLayout,
  service: ClusterService,
  timeoutMs = 30_000,
): Promise<StopOutcome> {
  const current = serviceProcess(layout, service);
  if (!current.running || current.pid === null) {
    removePid(layout, service);
    return 'not running';
  }
  signal(current.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!serviceProcess(layout, service).running) {
      removePid(layout, service);
      return 'stopped';
    }
    await sleep(200);
  }
  await killService(layout, service);
  removePid(layout, service);
  return 'killed';
}

/** SIGKILL at once: a crash, as the fault test needs it. Leaves the pid file to show what was running. */
export async function killService(layout: ClusterLayout, service: ClusterService): Promise<number | null> {
  const current = serviceProcess(layout, service);
  if (!current.running || current.pid === null) return null;
  signal(current.pid, 'SIGKILL');
  while (serviceProcess(layout, service).running) await sleep(50);
  return current.pid;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
