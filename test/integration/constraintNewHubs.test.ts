// A hub none of a constraint dataset's earlier days carried is drift (db/lanes/constraints/lane.ts): judged against the
// hubs of the key sets of the days before it, and reported with the write's facts.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { laneOf } from '../../db/lanes';
import { writeDayWithFacts } from '../../db/writeDay';
import type { ConstraintsDay } from '../../domain/types';
import { constraintDayRows, pagedAnswerOf, writeConstraintDay } from '../helpers/constraintDays';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
});

afterAll(async () => {
  await db?.release();
});

const DATASET = 'coreFinalComputation';
const withHub = (day: string) => constraintDayRows(day, (row) => ({ ...row, ptdf_ALBE2: 0.01 }));

async function judged(day: string, rows = constraintDayRows(day)) {
  const { assessment } = await laneOf(DATASET).judge(pool, { dataset: DATASET, day }, pagedAnswerOf(rows));
  expect(assessment.status).toBe('complete');
  return assessment.validated as ConstraintsDay;
}

describe('a hub never seen before', () => {
  it('is none on the first stored day, and drift on a later day that brings it', async () => {
    // Nothing stored yet: nothing to compare with.
    expect((await judged('2026-05-01', withHub('2026-05-01'))).newHubs).toEqual([]);

    await writeConstraintDay(
      pool,
      DATASET,
      '2026-05-01',
      constraintDayRows('2026-05-01'),
      '2026-04-30T12:00:00Z',
    );
    expect((await judged('2026-05-02')).newHubs).toEqual([]);
    const validated = await judged('2026-05-02', withHub('2026-05-02'));
    expect(validated.newHubs).toEqual(['ALBE2']);
    expect(validated.keys).toContain('hub_ALBE2');
    // Judged against the days before it only: a day before every stored day has nothing to compare with.
    expect((await judged('2026-04-30', withHub('2026-04-30'))).newHubs).toEqual([]);

    const written = await writeDayWithFacts(pool, {
      dataset: DATASET,
      day: '2026-05-02',
      status: 'complete',
      validated,
      expectedMtus: validated.expectedMtus,
      rawResponseId: null,
      workflowId: 'test',
      observedAt: new Date('2026-05-01T12:00:00Z'),
    });
    expect(written.facts.drift?.kinds).toContain('keys_added');
    expect(written.facts.drift?.keysFirstSeen).toEqual(['hub_ALBE2']);
    expect(written.facts.drift?.keysAdded).toContain('hub_ALBE2');

    // Seen on an earlier day now: a later day bringing it again is no first sight.
    expect((await judged('2026-05-03', withHub('2026-05-03'))).newHubs).toEqual([]);
  });
});
