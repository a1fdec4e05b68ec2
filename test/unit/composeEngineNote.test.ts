// test:compose says when its database is a stand-in rather than the engine docker-compose.yml names (test/compose/engineNote.ts).
import { describe, expect, it } from 'vitest';
import { engineNote, namedEngine } from '../compose/engineNote';

describe("the compose test's note on its database engine", () => {
  it("reads the engine docker-compose.yml's image tag promises", () => {
    expect(namedEngine()).toEqual({
      image: expect.stringMatching(/^timescale\/timescaledb:\d+\.\d+\.\d+-pg\d+$/),
      timescaledb: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      postgresMajor: expect.any(Number),
    });
    expect(namedEngine('services:\n  timescaledb:\n    image: timescale/timescaledb:2.31.0-pg16\n')).toEqual({
      image: 'timescale/timescaledb:2.31.0-pg16',
      timescaledb: '2.31.0',
      postgresMajor: 16,
    });
  });

  it("says so where the database is a stand-in (Debian's PostgreSQL 15 without TimescaleDB), nothing where it is the engine", () => {
    const named = { image: 'timescale/timescaledb:2.31.0-pg16', timescaledb: '2.31.0', postgresMajor: 16 };
    expect(engineNote(named, { postgres: '15.18', timescaledb: null })).toBe(
      'NOTE: docker-compose.yml names timescale/timescaledb:2.31.0-pg16 (TimescaleDB 2.31.0 on PostgreSQL 16); the database here is PostgreSQL 15.18 without TimescaleDB, a stand-in: these scenarios prove the stack, not that engine (docs/deployment.md)',
    );
    expect(engineNote(named, { postgres: '16.9', timescaledb: '2.29.2' })).toMatch(
      /the database here is PostgreSQL 16\.9 with TimescaleDB 2\.29\.2, a stand-in/,
    );
    expect(engineNote(named, { postgres: '16.9', timescaledb: '2.31.0' })).toBeNull();
  });
});
