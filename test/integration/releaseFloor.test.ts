// The oldest release a database accepts (migration 016): a build below it refuses to migrate, to start its worker and
// to serve the API, in one line naming both releases; at or above it, nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSettings } from '../../api/config';
import { startApi } from '../../api/server';
import { loadConfig } from '../../common/config';
import { migrate } from '../../db/migrate';
import { checkReleaseFloor } from '../../db/releaseFloor';
import { version } from '../../package.json';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.release();
});

const refusal = (floor: string) =>
  new RegExp(
    `^this build is jao-scraper ${version.replace(/\./g, '\\.')}, and this database accepts ${floor.replace(/\./g, '\\.')} or later \\(recorded by migration 099_example: the example changed\\): run ${floor.replace(/\./g, '\\.')} or a later release$`,
  );

describe('the release floor', () => {
  it('is empty after this release: every build since the baseline may run', async () => {
    const { rows } = await db.pool.query('SELECT * FROM jao.release_floor');
    expect(rows).toEqual([]);
    await expect(checkReleaseFloor(db.pool)).resolves.toBeUndefined();
  });

  it('stops an older build from migrating and from serving the API, in one line', async () => {
    await db.pool.query(
      `INSERT INTO jao.release_floor (oldest_release, reason, recorded_by) VALUES ('99.0.0', 'the example changed', '099_example')`,
    );
    try {
      await expect(migrate(db.pool)).rejects.toThrow(refusal('99.0.0'));
      const settings = apiSettings(loadConfig({ DATABASE_URL: db.url, API_PORT: '0' }));
      await expect(startApi(settings)).rejects.toThrow(refusal('99.0.0'));
      await expect(checkReleaseFloor(db.pool, '99.0.0')).resolves.toBeUndefined();
      await expect(checkReleaseFloor(db.pool, '99.0.1')).resolves.toBeUndefined();
    } finally {
      await db.pool.query('DELETE FROM jao.release_floor');
    }
    await expect(migrate(db.pool)).resolves.toMatchObject({ applied: [] });
  });
});
