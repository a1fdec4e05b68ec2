import { describe, expect, it } from 'vitest';
import { describeEngine, PRELOAD_SETTING, unusableEngine } from '../../db/engine';
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

  it('refuses only a database whose TimescaleDB objects could not load', () => {
    expect(unusableEngine(describeEngine({ ...base, timescaledb: '2.17.2', available: '2.17.2' }))).toMatch(
      /^timescaledb 2\.17\.2 is installed .* add 'timescaledb' to shared_preload_libraries and restart PostgreSQL/,
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
