// The oldest release that may run on this database (migration 016, docs/evolution.md "The release floor"): a build below it
// would read or write a schema it does not know, so it stops at start-up in one line instead.
import type pg from 'pg';
import { version } from '../package.json';
import { compareVersions } from './engine';

export class BelowReleaseFloor extends Error {
  override name = 'BelowReleaseFloor';
}

/** Throws BelowReleaseFloor when this build's release is older than the one the database accepts. */
export async function checkReleaseFloor(
  client: pg.ClientBase | pg.Pool,
  release: string = version,
): Promise<void> {
  const { rows } = await client
    .query<{ oldest_release: string; reason: string; recorded_by: string }>(
      'SELECT oldest_release, reason, recorded_by FROM jao.release_floor',
    )
    .catch((error: unknown) => {
      // A database before migration 016 has no floor.
      if ((error as { code?: string }).code === '42P01') return { rows: [] };
      throw error;
    });
  const floor = rows[0];
  if (!floor || compareVersions(release, floor.oldest_release) >= 0) return;
  throw new BelowReleaseFloor(
    `this build is jao-scraper ${release}, and this database accepts ${floor.oldest_release} or later ` +
      `(recorded by migration ${floor.recorded_by}: ${floor.reason}): run ${floor.oldest_release} or a later release`,
  );
}
