// What a process costs, read from Linux's /proc: CPU seconds, resident size now and at its peak. Elsewhere (no
// /proc) every reading is null and the benchmarks print "not measured".
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: the unit of the CPU times in /proc/<pid>/stat (100 on every Linux architecture Node runs on). */
const CLOCK_TICKS_PER_SECOND = 100;

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU time the process has used so far (all its threads), in seconds. */
export function cpuSeconds(pid: number): number | null {
  const fields = statFields(pid);
  if (!fields) return null;
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  const status = read(`/proc/${pid}/status`);
  const match = status ? new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status) : null;
  return match ? Number(match[1]) * 1024 : null;
}

/** Resident set size now, in bytes. */
export const rssBytes = (pid: number) => statusKb(pid, 'VmRSS');
/** Peak resident set size (VmHWM) so far, in bytes. */
export const peakRssBytes = (pid: number) => statusKb(pid, 'VmHWM');

/** Child processes of `parent` whose executable is named `name` (e.g. the dev server the SDK spawned). */
export function childProcessesNamed(parent: number, name: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (!stat) continue;
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (command === name && Number(fields[1]) === parent) found.push(Number(entry));
  }
  return found;
}

/** User + system CPU time of this process so far (all its threads), in seconds. */
export function selfCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** CPU seconds of the Temporal dev server this process started, if it did (and /proc is there). */
export function devServerCpuSeconds(): number | undefined {
  const [pid] = childProcessesNamed(process.pid, 'temporal');
  return pid === undefined ? undefined : (cpuSeconds(pid) ?? undefined);
}

/** CPU seconds a benchmark pass cost: this process and, when measured, the worker process and the dev server. */
export interface PassCpu {
  self: number;
  worker?: number;
  /** The dev server this benchmark started (absent when a running one was handed over). */
  temporalServer?: number;
}

/** `worker 12.3 s (7 ms/day), Temporal server …, this process …`: each part measured, per day of the pass. */
export function cpuPerDayLine(cpu: PassCpu, days: number): string {
  const part = (label: string, seconds: number | undefined) =>
    seconds === undefined
      ? []
      : [`${label} ${seconds.toFixed(1)} s (${((1000 * seconds) / days).toFixed(1)} ms/day)`];
  return [
    ...part('worker', cpu.worker),
    ...part('Temporal server', cpu.temporalServer),
    ...part('this process', cpu.self),
  ].join(', ');
}

/** The CPU clocks a pass is measured by: this process, the worker process (when it runs apart), the dev server. */
interface CpuClocks {
  self: number;
  worker: number | null;
  server: number | undefined;
}

function readClocks(workerCpuSeconds: () => number | null): CpuClocks {
  return { self: selfCpuSeconds(), worker: workerCpuSeconds(), server: devServerCpuSeconds() };
}

/** Starts measuring a pass; the function returned gives what the pass cost since, each part only when measured. */
export function measurePassCpu(workerCpuSeconds: () => number | null): () => PassCpu {
  const before = readClocks(workerCpuSeconds);
  return () => {
    const after = readClocks(workerCpuSeconds);
    return {
      self: after.self - before.self,
      ...(after.worker !== null && before.worker !== null ? { worker: after.worker - before.worker } : {}),
      ...(after.server !== undefined && before.server !== undefined
        ? { temporalServer: after.server - before.server }
        : {}),
    };
  };
}
