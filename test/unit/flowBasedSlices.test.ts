// A day's answer read in slices (db/lanes/timeSliced.ts) is the same day as read at once: every page in order, the
// rows refused on a later page placed at their position in the answer, the same versions made of it.
import { describe, expect, it } from 'vitest';
import { constraintDayContentSteps } from '../../db/lanes/constraints/constraintContent';
import { runTimeSliced } from '../../db/lanes/timeSliced';
import { declarationOf } from '../../domain/datasets';
import { domainBodySteps, readDomainBody } from '../../domain/flowBased/assessDomain';
import { runToEnd } from '../../domain/steps';
import { type ConstraintRow, constraintDayRows, pagedAnswerOf } from '../helpers/constraintDays';

const DAY = '2025-01-02';
const TAKE = 100;

const pagedAnswer = (rows: ConstraintRow[]) => pagedAnswerOf(rows, TAKE);

describe('a constraint day read in slices', () => {
  it('is the day read at once, a row refused on a later page placed where the answer has it', async () => {
    const rows = constraintDayRows(DAY);
    const refusedAt = TAKE + 7;
    rows[refusedAt] = { ...rows[refusedAt], ram: 'not a number' };
    const body = pagedAnswer(rows);
    const declaration = declarationOf('coreFinalComputation');
    const atOnce = readDomainBody(declaration, DAY, body, null);
    const sliced = await runTimeSliced(domainBodySteps(declaration, DAY, body, null), 0);
    expect(sliced).toEqual(atOnce);
    if (!sliced.ok) throw new Error(sliced.reason);
    expect(rows.length).toBeGreaterThan(2 * TAKE);
    expect(sliced.domain.rejections.map((r) => r.row)).toEqual([refusedAt]);
    expect(sliced.validated.constraintRows).toHaveLength(rows.length - 1);

    const contentRows = { accepted: sliced.validated.constraintRows, rejections: sliced.domain.rejections };
    const content = await runTimeSliced(constraintDayContentSteps(contentRows), 0);
    expect(content).toEqual(runToEnd(constraintDayContentSteps(contentRows)));
  });

  it('names the page that cannot be read, as read at once', async () => {
    const body = pagedAnswer(constraintDayRows(DAY)).replace(
      `"take":${TAKE},"httpStatus":200,"body":{"data":[`,
      `"take":${TAKE},"httpStatus":200,"body":{"data":7,"x":[`,
    );
    const declaration = declarationOf('coreFinalComputation');
    const sliced = await runTimeSliced(domainBodySteps(declaration, DAY, body, null), 0);
    expect(sliced).toEqual(readDomainBody(declaration, DAY, body, null));
    expect(sliced).toMatchObject({ ok: false, reason: expect.stringMatching(/^page at skip 0: /) });
  });
});
