// `jao archive --verify` (archive/verify.ts) against an archive damaged one way at a time: each fault it reports of a
// journal entry (missing, not an entry, naming another day or another answer) and of an answer object (missing,
// another answer's bytes than the database holds, or, once the body was dropped, not the object the database
// recorded). Three maxExchanges days are stored by the day workflow's activities (test/helpers/dayActivities.ts),
// one of them revised, shipped to a file archive, and the revised day's first body dropped; each test verifies a
// copy of that archive. Not gzip and other bytes than the name: test/integration/flowBasedRestore.test.ts.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileArchiveStore } from '../../archive/fileStore';
import { pruneArchivedBodies } from '../../archive/prune';
import { shipPendingWrites } from '../../archive/ship';
import { verifyArchive } from '../../archive/verify';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { dayActivitiesRunner } from '../helpers/dayActivities';

const REVISED = '2023-10-02';
const FIRST = '2023-10-03';
const SECOND = '2023-10-04';

interface Write {
  id: string;
  day: string;
  /** Its journal entry's key. */
  entry: string;
  /** Its answer's object and the answer's sha256. */
  object: string;
  sha256: string;
  dropped: boolean;
}

let db: TestDatabase;
let sim: SimulatorHandle;
let archiveDir: string;
const copies: string[] = [];
/** The archived writes in order: the revised day's first, FIRST, SECOND, the revised day's second. */
let writes: Write[];

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await startSimulator();
  const runDay = dayActivitiesRunner(db.pool, sim.origin);
  for (const day of [REVISED, FIRST, SECOND])
    expect(await runDay(day, 'maxExchanges')).toMatchObject({ status: 'complete' });
  sim.reviseDay(REVISED);
  expect(await runDay(REVISED, 'maxExchanges')).toMatchObject({ status: 'complete', revision: 2 });
  archiveDir = await mkdtemp(path.join(tmpdir(), 'jao-verify-'));
  const store = new FileArchiveStore(archiveDir);
  expect(await shipPendingWrites(db.pool, store)).toMatchObject({ shipped: 4, answersWritten: 4 });
  expect(await pruneArchivedBodies(db.pool, store, 0)).toEqual({ dropped: 1, faults: [] });
  const { rows } = await db.pool.query<Write>(
    `SELECT w.write_id::text AS id, w.day::text AS day, w.archive_key AS entry, r.archive_key AS object,
            r.sha256, r.body IS NULL AS dropped
       FROM jao.day_write w JOIN jao.raw_response r USING (raw_response_id) ORDER BY w.write_id`,
  );
  writes = rows;
  expect(writes.map(({ day, dropped }) => [day, dropped])).toEqual([
    [REVISED, true],
    [FIRST, false],
    [SECOND, false],
    [REVISED, false],
  ]);
});
afterAll(async () => {
  await sim?.close();
  await db?.release();
  for (const directory of [archiveDir, ...copies])
    if (directory) await rm(directory, { recursive: true, force: true });
});

/** Verifies a copy of the archive after `damage` changed it (given the copy's directory). */
async function verifyDamaged(damage: (directory: string) => Promise<void>) {
  const copy = await mkdtemp(path.join(tmpdir(), 'jao-verify-damaged-'));
  copies.push(copy);
  await cp(archiveDir, copy, { recursive: true });
  await damage(copy);
  return verifyArchive(db.pool, new FileArchiveStore(copy));
}

/** Rewrites the journal entry of `write` in the copy `directory`, as `change` returns it. */
async function rewriteEntry(
  directory: string,
  write: Write,
  change: (entry: Record<string, unknown> & { answer: Record<string, unknown> }) => unknown,
) {
  const file = path.join(directory, write.entry);
  const entry = JSON.parse(await readFile(file, 'utf8'));
  await writeFile(file, `${JSON.stringify(change(entry))}\n`);
}

describe('verifying the archive', () => {
  it('finds nothing wrong with the archive as shipped', async () => {
    const report = await verifyDamaged(async () => {});
    expect(report).toEqual({ checked: 4, answers: 4, faults: [] });
  });

  it('reports a journal entry that is missing, and one that is not JSON or not an entry', async () => {
    const [, first, second, revised] = writes;
    const report = await verifyDamaged(async (directory) => {
      await rm(path.join(directory, first!.entry));
      await writeFile(path.join(directory, second!.entry), 'not json');
      await writeFile(path.join(directory, revised!.entry), '{"version":1}\n');
    });
    expect(report.faults).toEqual([
      `${first!.entry} (write ${first!.id} of ${FIRST}) is missing`,
      `archive object ${second!.entry} is not JSON`,
      expect.stringMatching(new RegExp(`^archive object ${revised!.entry} is not a journal entry: `)),
    ]);
  });

  it('reports a journal entry naming another day, and one naming another answer', async () => {
    const [, first, second] = writes;
    const report = await verifyDamaged(async (directory) => {
      await rewriteEntry(directory, first!, (entry) => ({ ...entry, day: SECOND }));
      await rewriteEntry(directory, second!, (entry) => ({
        ...entry,
        answer: { ...entry.answer, sha256: first!.sha256 },
      }));
    });
    expect(report.faults).toEqual([
      `${first!.entry} names maxExchanges ${SECOND}, the database maxExchanges ${FIRST}`,
      `${second!.entry} names answer ${first!.sha256}, the database ${second!.sha256}`,
    ]);
  });

  it('reports an answer object that is missing', async () => {
    const [, first] = writes;
    const report = await verifyDamaged((directory) => rm(path.join(directory, first!.object)));
    expect(report.faults).toEqual([`${first!.object} (the answer of ${first!.entry}) is missing`]);
  });

  it("reports an entry naming another day's answer object, not the body the database holds", async () => {
    const [, first, second] = writes;
    const report = await verifyDamaged((directory) =>
      rewriteEntry(directory, first!, (entry) => ({
        ...entry,
        answer: { ...entry.answer, object: second!.object },
      })),
    );
    expect(report.faults).toEqual([
      `${second!.object} differs from the body the database holds for ${FIRST}`,
    ]);
  });

  it('reports, for an answer whose body was dropped, an entry naming another object than the one recorded', async () => {
    const [dropped, first] = writes;
    const naming = (object: string) => (directory: string) =>
      rewriteEntry(directory, dropped!, (entry) => ({ ...entry, answer: { ...entry.answer, object } }));
    const fault = (object: string) =>
      `${object} is not the archived answer the database records for ${REVISED} (its body was dropped)`;
    // Another answer's object.
    expect((await verifyDamaged(naming(first!.object))).faults).toEqual([fault(first!.object)]);
    // The same bytes under another name (gzip-compressed): they hash right, but the database recorded the other.
    const gzipped = `${dropped!.object}.gz`;
    const sameBytes = await verifyDamaged(async (directory) => {
      await writeFile(
        path.join(directory, gzipped),
        gzipSync(await readFile(path.join(directory, dropped!.object))),
      );
      await naming(gzipped)(directory);
    });
    expect(sameBytes.faults).toEqual([fault(gzipped)]);
  });
});
