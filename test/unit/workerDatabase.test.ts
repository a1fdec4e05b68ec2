import { describe, expect, it } from 'vitest';
import {
  databaseOfWorker,
  namedDatabase,
  workerDatabaseMismatch,
  workerIdentityWith,
} from '../../control/workerDatabase';
import type { DatabaseIdentity } from '../../db/databaseIdentity';

const identity = (database: string, key: string): DatabaseIdentity => ({
  key,
  database,
  systemIdentifier: '7711091539950401663',
  server: '127.0.0.1:5432',
  oid: 16384,
});
const jao = identity('jao', '0123456789abcdef');
const restored = identity('jao_restored', 'fedcba9876543210');

describe("the workers' database, as a command sees it", () => {
  it('rides in the worker identity and reads back', () => {
    const text = workerIdentityWith(jao, '4242@host');
    expect(text).toBe(
      '4242@host; database jao on 127.0.0.1:5432 (system 7711091539950401663) [0123456789abcdef]',
    );
    expect(databaseOfWorker(text)).toEqual(namedDatabase(jao));
    expect(databaseOfWorker('4242@host')).toBeNull();
    // Where pg_control_system() is refused the key depends on the address: named, not compared.
    const managed = workerIdentityWith({ ...jao, systemIdentifier: null }, '4242@host');
    expect(managed).toBe('4242@host; database jao on 127.0.0.1:5432');
    expect(databaseOfWorker(managed)).toBeNull();
  });

  it("refuses, naming both, only when no running worker writes to the command's database", () => {
    const queue = 'jao-scraper';
    expect(workerDatabaseMismatch(namedDatabase(restored), [namedDatabase(jao)], queue)).toBe(
      'the worker of task queue jao-scraper writes to database jao on 127.0.0.1:5432 (system 7711091539950401663), ' +
        'but DATABASE_URL names database jao_restored on 127.0.0.1:5432 (system 7711091539950401663): point ' +
        "DATABASE_URL at the worker's database, or stop the worker and start one on this database",
    );
    expect(workerDatabaseMismatch(namedDatabase(jao), [namedDatabase(jao)], queue)).toBeNull();
    // A worker just restarted on the command's database, the old one still listed: nothing refused.
    expect(
      workerDatabaseMismatch(namedDatabase(restored), [jao, restored].map(namedDatabase), queue),
    ).toBeNull();
    // No worker names a database (none running, or builds from before): nothing to compare.
    expect(workerDatabaseMismatch(namedDatabase(restored), [], queue)).toBeNull();
    const other = identity('jao_other', '00000000000000aa');
    expect(workerDatabaseMismatch(namedDatabase(restored), [jao, other].map(namedDatabase), queue)).toMatch(
      /^the workers of task queue jao-scraper write to database jao on .* and jao_other on .*, but DATABASE_URL/,
    );
  });
});
