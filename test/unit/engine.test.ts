import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  describeEngine,
  PRELOAD_SETTING,
  TIMESCALEDB_SUPPORTED,
  unusableEngine,
} from '../../db/engine';
import { BASELINE_MIGRATION, loadMigrations } from '../../db/migrations';
import { connectionErrorMessage } from '../../db/pool';

describe('describeEngine', () => {
  const base = { postgres: '15.20', timescaledb: null, available: null, preloaded: false };

  it.each([
    [
      { timescaledb: '2.28.3', available: '2.28.3', preloaded: true },
      'engine: TimescaleDB 2.28.3 on PostgreSQL 15.20',
    ],
    [{}, 'engine: PostgreSQL 15.20 (timescaledb not available on this server)'],
    [{ available: '2.28.3' }, 'engine: PostgreSQL 15.20 (timescaledb available but not preloaded)'],
    [
      { available: '2.28.3', preloaded: true },
      'engine: PostgreSQL 15.20 (timescaledb preloaded but not installed in this database)',
    ],
    [
      { timescaledb: '2.17.2', available: '2.28.3' },
      'engine: PostgreSQL 15.20 (timescaledb 2.17.2 is installed in this database but the server does not preload it)',
    ],
  ])('%o → %s', (facts, line) => {
    expect(describeEngine({ ...base, ...facts }).line).toBe(line);
  });

  it('refuses a TimescaleDB outside the supported range, installed or about to be, in one line with the reason', () => {
    const preloaded = { ...base, preloaded: true };
    for (const version of ['2.25.1', '2.17.2', '1.7.5', '3.0.0']) {
      const installed = unusableEngine(
        describeEngine({ ...preloaded, timescaledb: version, available: version }),
      );
      expect(installed).toMatch(
        new RegExp(`^TimescaleDB ${version.replace(/\./g, '\\.')} is not supported: `),
      );
      expect(installed).toContain(TIMESCALEDB_SUPPORTED.min);
      expect(installed).not.toContain('\n');
      expect(unusableEngine(describeEngine({ ...preloaded, available: version }))).toBe(installed);
    }
    for (const version of ['2.25.2', '2.28.3', '2.31.0', '2.31.0-dev', '2.99.0']) {
      expect(
        unusableEngine(describeEngine({ ...preloaded, timescaledb: version, available: version })),
      ).toBeNull();
    }
    // Not preloaded and not installed: plain PostgreSQL, whatever the server offers.
    expect(unusableEngine(describeEngine({ ...base, available: '2.17.2' }))).toBeNull();
  });

  it('compares versions by their numbers', () => {
    expect(compareVersions('2.25.10', '2.25.2')).toBe(1);
    expect(compareVersions('2.25.2', '2.25.2')).toBe(0);
    expect(compareVersions('2.9.0', '2.25.2')).toBe(-1);
  });

  it('refuses a database whose TimescaleDB objects could not load', () => {
    expect(unusableEngine(describeEngine({ ...base, timescaledb: '2.28.3', available: '2.28.3' }))).toMatch(
      /^timescaledb 2\.28\.3 is installed .* add 'timescaledb' to shared_preload_libraries and restart PostgreSQL/,
    );
    expect(unusableEngine(describeEngine({ ...base, available: '2.28.3' }))).toBeNull();
    expect(
      unusableEngine(
        describeEngine({ ...base, timescaledb: '2.28.3', available: '2.28.3', preloaded: true }),
      ),
    ).toBeNull();
  });
});

describe('the baseline migration', () => {
  it('creates the extension only where the engine probe sees the library preloaded', () => {
    const baseline = loadMigrations().find((migration) => migration.name === BASELINE_MIGRATION)!;
    const creation = baseline.sql.slice(
      0,
      baseline.sql.indexOf('CREATE EXTENSION IF NOT EXISTS timescaledb'),
    );
    expect(creation).toContain(`current_setting('${PRELOAD_SETTING}', true) IS NOT NULL`);
  });
});

describe('connectionErrorMessage', () => {
  it('reads the messages inside an AggregateError without one of its own', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const refused6 = new Error('connect ECONNREFUSED ::1:5432');
    expect(connectionErrorMessage(new AggregateError([refused6, refused]))).toBe(
      'connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(connectionErrorMessage(new Error('password authentication failed'))).toBe(
      'password authentication failed',
    );
  });
});
