// The servers the devstack runs as processes of their own: whether one still lives, what it logged last.
import { readFileSync } from 'node:fs';

/** Whether a process lives (EPERM: it does, under another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The last `lines` lines of a log file; `unreadable` where it cannot be read. */
export function logTail(file: string, lines: number, unreadable = ''): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return unreadable;
  }
}
