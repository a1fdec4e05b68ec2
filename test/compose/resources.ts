// The room the compose test needs on the machine, checked before it starts: a kernel that runs out of memory kills
// containers' processes (a SIGKILLed `jao` in a container exits 137) and a full disk stops PostgreSQL, both far from
// their cause. Also printed beside a failure.
import { readFileSync, statfsSync } from 'node:fs';

/** Two stacks' images (each build of the project's is about 1 GB) and volumes. */
const MIN_DISK_FREE_MIB = 10 * 1024;
/** Two stacks of about a dozen containers each, and the builds beside them. */
const MIN_MEMORY_AVAILABLE_MIB = 4 * 1024;
/** Where podman keeps images and volumes when run as root. */
const STORAGE = '/var/lib/containers';

export interface MachineRoom {
  memoryAvailableMiB: number;
  diskFreeMiB: number;
}

export function machineRoom(): MachineRoom {
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const available = /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo);
  let path = STORAGE;
  try {
    statfsSync(path);
  } catch {
    path = '/';
  }
  const disk = statfsSync(path);
  return {
    memoryAvailableMiB: available ? Math.floor(Number(available[1]) / 1024) : Number.NaN,
    diskFreeMiB: Math.floor((disk.bavail * disk.bsize) / 1024 / 1024),
  };
}

export function describeRoom(room: MachineRoom): string {
  return `${room.memoryAvailableMiB} MiB of memory available, ${room.diskFreeMiB} MiB of disk free`;
}

/** Throws one line naming what is short. */
export function requireRoom(room: MachineRoom = machineRoom()): string {
  const short: string[] = [];
  if (room.memoryAvailableMiB < MIN_MEMORY_AVAILABLE_MIB)
    short.push(`${room.memoryAvailableMiB} MiB of memory available, it needs ${MIN_MEMORY_AVAILABLE_MIB}`);
  if (room.diskFreeMiB < MIN_DISK_FREE_MIB)
    short.push(`${room.diskFreeMiB} MiB free on the disk of ${STORAGE}, it needs ${MIN_DISK_FREE_MIB}`);
  if (short.length > 0)
    throw new Error(
      `the compose test needs more room: ${short.join('; ')} (podman system prune -a frees old images)`,
    );
  return describeRoom(room);
}
