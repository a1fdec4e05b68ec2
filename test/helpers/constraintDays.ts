// Days of Core's flow-based domain built from the real presolved fixture (one hour of Elia's constraints) and
// stored through the day's write (db/writeDay.ts), as the pipeline stores a fetched day.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { writeDay } from '../../db/writeDay';
import { dayWindow } from '../../domain/calendar';
import { declarationOf } from '../../domain/datasets';
import { assessDomainBody } from '../../domain/flowBased/assessDomain';
import { assemblePagedAnswer } from '../../domain/flowBased/pagedAnswer';
import type { Dataset } from '../../domain/types';

export type ConstraintRow = Record<string, unknown>;

const FIXTURE = join(
  __dirname,
  '..',
  'fixtures',
  'jao',
  'flowbased',
  'core_finalComputation_2024-12-31T23Z_Elia_presolved.reconstructed.json',
);

/** The fixture's page: the presolved rows of one hour (2025-01-01's first MTU). */
export const PRESOLVED_PAGE = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { data: ConstraintRow[] };

/** A camelCase field of JAO's row as the views name its column. */
export const snake = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The fixture's hour copied to every hour of `day` (a 24-hour day), `edit` applied to each row (null drops it). */
export function constraintDayRows(
  day: string,
  edit: (row: ConstraintRow, hour: number) => ConstraintRow | null = (r) => r,
): ConstraintRow[] {
  const from = Date.parse(dayWindow(day).from);
  const rows: ConstraintRow[] = [];
  for (let hour = 0; hour < 24; hour++) {
    for (const raw of PRESOLVED_PAGE.data) {
      const row = edit(
        {
          ...raw,
          id: hour * 100 + Number(raw.id),
          dateTimeUtc: new Date(from + hour * 3_600_000).toISOString().replace('.000Z', 'Z'),
        },
        hour,
      );
      if (row) rows.push(row);
    }
  }
  return rows;
}

/**
 * The day's answer as the paged fetch assembles it: a count probe and one page holding every row, or pages of
 * `take` rows.
 */
export function pagedAnswerOf(rows: ConstraintRow[], take?: number): string {
  const page = (skip: number, take: number, data: unknown[]) =>
    JSON.stringify({
      data,
      totalRows: null,
      totalRowsWithFilter: rows.length,
      skip,
      take,
      appliedFilter: { presolved: true },
      lastModifiedOn: null,
      rejected: false,
      messages: null,
    });
  return assemblePagedAnswer({
    totalRowsWithFilter: rows.length,
    probe: { skip: 0, take: 0, httpStatus: 200, body: page(0, 0, []) },
    pages:
      take === undefined
        ? [{ skip: 0, take: 5000, httpStatus: 200, body: page(0, 5000, rows) }]
        : Array.from({ length: Math.ceil(rows.length / take) }, (_, n) => ({
            skip: n * take,
            take,
            httpStatus: 200,
            body: page(n * take, take, rows.slice(n * take, (n + 1) * take)),
          })),
  });
}

/** Judges and stores `rows` as the answer of `dataset`'s `day` (24 MTUs) observed at `observedAt`. */
export async function writeConstraintDay(
  pool: pg.Pool,
  dataset: Dataset,
  day: string,
  rows: ConstraintRow[],
  observedAt: string,
) {
  const assessment = assessDomainBody(declarationOf(dataset), day, pagedAnswerOf(rows), new Set());
  return writeDay(pool, {
    dataset,
    day,
    status: assessment.status,
    validated: assessment.validated,
    rejections: assessment.rejections,
    expectedMtus: assessment.expectedMtus,
    rawResponseId: null,
    workflowId: 'test',
    reason: assessment.reason,
    observedAt: new Date(observedAt),
  });
}
