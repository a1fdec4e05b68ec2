// The dev server's launcher: a server that exits, or never answers, fails in one message naming what it printed,
// and leaves no process behind.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../common/ports';
import { spawnDevServer } from '../../devstack/devServerProcess';

const dir = mkdtempSync(join(tmpdir(), 'jao-dev-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeCli(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the dev server launcher', () => {
  it('names the exit and the last lines of a server that exits at start-up', async () => {
    const cliPath = fakeCli('exits', 'echo "port 7233 already in use" >&2\nexit 3');
    const lines: string[] = [];
    const started = spawnDevServer({
      cliPath,
      args: ['server', 'start-dev'],
      host: '127.0.0.1',
      port: await freePort(),
      startupTimeoutMs: 60_000,
      log: (line) => lines.push(line),
    });
    await expect(started).rejects.toThrow(
      /exited at start-up \(3\); it printed last:\nport 7233 already in use$/,
    );
    expect(lines).toEqual(['port 7233 already in use']);
  });

  it('stops a server that never answers, once its wait is over', async () => {
    const pidFile = join(dir, 'silent.pid');
    const cliPath = fakeCli('silent', `echo $$ > ${pidFile}\nexec sleep 600`);
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const started = spawnDevServer({
      cliPath,
      args: [],
      host: '127.0.0.1',
      port,
      startupTimeoutMs: 1_500,
      log: () => {},
    });
    await expect(started).rejects.toThrow(`did not answer at ${address} within 1.5 s`);
    expect(existsSync(pidFile)).toBe(true);
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('says so in one line when the CLI cannot be run', async () => {
    const started = spawnDevServer({
      cliPath: join(dir, 'absent'),
      args: [],
      host: '127.0.0.1',
      port: await freePort(),
      startupTimeoutMs: 60_000,
      log: () => {},
    });
    await expect(started).rejects.toThrow(/could not be started: spawn .*absent ENOENT/);
  });
});
