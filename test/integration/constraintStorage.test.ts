// The flow-based domain stored (db/lanes/constraints/constraintMerge.ts through db/writeDay.ts): every field of the real presolved
// rows as published, versions kept with their times, as-of reads, vanished constraints, PTDFs in long form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NUMERIC_FIELDS, TEXT_FIELDS } from '../../domain/flowBased/fields';
import type { Dataset } from '../../domain/types';
import {
  type ConstraintRow,
  constraintDayRows,
  PRESOLVED_PAGE as PAGE,
  snake,
  writeConstraintDay,
} from '../helpers/constraintDays';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const DATASET: Dataset = 'coreFinalComputation';
const DAY = '2025-01-01';

/** The fixture's hour copied to every hour of the day, `edit` applied to each row. */
const dayRows = (edit?: (row: ConstraintRow, hour: number) => ConstraintRow | null) =>
  constraintDayRows(DAY, edit);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.release();
});

const write = (rows: ConstraintRow[], observedAt: string) =>
  writeConstraintDay(db.pool, DATASET, DAY, rows, observedAt);

describe('the presolved domain stored', () => {
  it('keeps every field of every real row as published, and the day complete', async () => {
    const written = await write(dayRows(), '2024-12-31T08:00:00Z');
    expect(written.status).toBe('complete');
    expect(written.points).toBe(24 * PAGE.data.length);
    expect(written.newPoints).toBe(24 * PAGE.data.length);
    expect(written.newSeries).toBe(PAGE.data.length);

    const first = dayRows()[0]!;
    const stored = await db.pool.query(
      `SELECT * FROM jao.constraints WHERE dataset = $1 AND mtu = $2 AND jao_id = $3`,
      [DATASET, first.dateTimeUtc, first.id],
    );
    expect(stored.rows).toHaveLength(1);
    const row = stored.rows[0];
    for (const field of NUMERIC_FIELDS) expect(row[snake(field)], field).toBe(first[field]);
    for (const field of TEXT_FIELDS) expect(row[snake(field)], field).toBe(first[field]);
    const ptdfKeys = Object.keys(first).filter((key) => key.startsWith('ptdf_'));
    expect(row.ptdf_hubs).toEqual(ptdfKeys.map((key) => key.slice(5)));
    expect(row.ptdf_values).toEqual(ptdfKeys.map((key) => first[key]));
    expect(row.contingencies).toEqual(first.contingencies);
    expect(row.revision).toBe(1);
    const flagged = await db.pool.query(
      `SELECT count(*)::int AS n FROM jao.constraints WHERE dataset = $1 AND identity_breaks IS NOT NULL`,
      [DATASET],
    );
    expect(flagged.rows[0].n).toBe(0);

    const long = await db.pool.query(
      `SELECT hub, ptdf FROM jao.constraint_ptdfs WHERE constraint_id = $1 AND mtu = $2 ORDER BY hub_order`,
      [row.constraint_id, first.dateTimeUtc],
    );
    expect(long.rows.map((r) => [r.hub, r.ptdf])).toEqual(ptdfKeys.map((key) => [key.slice(5), first[key]]));

    const day = await db.pool.query(
      `SELECT status, received_mtus, points, revision_count FROM jao.delivery_day WHERE dataset = $1 AND day = $2`,
      [DATASET, DAY],
    );
    expect(day.rows[0]).toEqual({ status: 'complete', received_mtus: 24, points: 312, revision_count: 1 });
  });

  it('stores the same answer again as nothing new', async () => {
    const written = await write(dayRows(), '2024-12-31T09:00:00Z');
    expect(written.contentChanged).toBe(false);
    expect(written.revision).toBe(1);
  });

  it('keeps the version a revision replaces, and reads the domain as of before and after', async () => {
    const revised = dayRows((row, hour) =>
      hour === 5 && row.id === 561 ? { ...row, ram: 1234, id: 9999 } : row,
    );
    const target = dayRows()[5 * PAGE.data.length]!;
    expect(target.id).toBe(561);
    const written = await write(revised, '2024-12-31T10:00:00Z');
    expect(written.changedPoints).toBe(1);
    expect(written.revision).toBe(2);
    // JAO's RAM moved alone: the version is stored as published, flagged as breaking the RAM identity.
    const flagged = await db.pool.query(
      `SELECT jao_id, identity_breaks FROM jao.constraints WHERE dataset = $1 AND identity_breaks IS NOT NULL`,
      [DATASET],
    );
    expect(flagged.rows).toHaveLength(1);
    expect(flagged.rows[0].jao_id).toBe(9999);
    const [flag] = flagged.rows[0].identity_breaks as Array<{ identity: string; difference: number }>;
    expect(flag!.identity).toBe('ram = fmax − frm − fcore − fltn + amr − cva − iva + ltaMargin');
    expect(Math.abs(flag!.difference - (1234 - Number(target.ram)))).toBeLessThanOrEqual(1);

    const at = (instant: string) =>
      db.pool.query(
        `SELECT ram, revision FROM jao.constraints_as_of($1) WHERE dataset = $2 AND mtu = $3 AND cne_name = $4
            AND contingency_eics = $5 AND direction = $6`,
        [
          instant,
          DATASET,
          target.dateTimeUtc,
          target.cneName,
          (target.contingencies as Array<{ branchEic: string }>).map((c) => c.branchEic),
          target.direction,
        ],
      );
    expect((await at('2024-12-31T09:30:00Z')).rows).toEqual([{ ram: target.ram, revision: 1 }]);
    expect((await at('2024-12-31T10:30:00Z')).rows).toEqual([{ ram: 1234, revision: 2 }]);
    expect((await at('2024-12-31T07:00:00Z')).rows).toEqual([]);

    const history = await db.pool.query(
      `SELECT ram, revision, valid_from, valid_to FROM jao.constraint_history
        WHERE dataset = $1 AND mtu = $2 AND cne_name = $3 AND contingency_eics = $4 AND direction = $5
        ORDER BY revision`,
      [
        DATASET,
        target.dateTimeUtc,
        target.cneName,
        (target.contingencies as Array<{ branchEic: string }>).map((c) => c.branchEic),
        target.direction,
      ],
    );
    expect(history.rows.map((r) => [r.ram, r.revision, r.valid_to?.toISOString() ?? null])).toEqual([
      [target.ram, 1, '2024-12-31T10:00:00.000Z'],
      [1234, 2, null],
    ]);
  });

  it('records a constraint that vanished, and takes it back with its next revision', async () => {
    const gone = PAGE.data[1]!;
    const without = dayRows((row, hour) =>
      hour === 5 && row.id === 561
        ? { ...row, ram: 1234, id: 9999 }
        : row.cneName === gone.cneName && row.contingencies === gone.contingencies
          ? null
          : row,
    );
    const written = await write(without, '2024-12-31T11:00:00Z');
    expect(written.vanishedPoints).toBe(24);
    const current = await db.pool.query(`SELECT count(*)::int AS n FROM jao.constraints WHERE dataset = $1`, [
      DATASET,
    ]);
    expect(current.rows[0].n).toBe(24 * (PAGE.data.length - 1));

    const back = await write(
      dayRows((row, hour) => (hour === 5 && row.id === 561 ? { ...row, ram: 1234, id: 9999 } : row)),
      '2024-12-31T12:00:00Z',
    );
    expect(back.newPoints).toBe(24);
    const returned = await db.pool.query(
      `SELECT DISTINCT revision FROM jao.constraints WHERE dataset = $1 AND jao_id % 100 = $2`,
      [DATASET, Number(gone.id) % 100],
    );
    expect(returned.rows).toEqual([{ revision: 2 }]);

    // The day's revisions constraint by constraint: one RAM changed, then a constraint vanished and came back.
    const changes = await db.pool.query(
      `SELECT changed_at, change, count(*)::int AS n, min(ram_before) AS ram_before, min(ram_after) AS ram_after
         FROM jao.constraint_changes WHERE dataset = $1 AND delivery_day = $2
        GROUP BY changed_at, change ORDER BY changed_at, change`,
      [DATASET, DAY],
    );
    expect(changes.rows.map((r) => [r.changed_at.toISOString(), r.change, r.n])).toEqual([
      ['2024-12-31T10:00:00.000Z', 'changed', 1],
      ['2024-12-31T11:00:00.000Z', 'vanished', 24],
      ['2024-12-31T12:00:00.000Z', 'appeared', 24],
    ]);
    expect(changes.rows[0].ram_after).toBe(1234);
  });

  it("flags a version whose published fields break an identity, on a day's first write too", async () => {
    const day = '2025-01-02';
    const rows = constraintDayRows(day, (row, hour) =>
      hour === 1 && row.id === 161 ? { ...row, fref: Number(row.fref) + 3 } : row,
    );
    const written = await writeConstraintDay(db.pool, DATASET, day, rows, '2025-01-01T08:00:00Z');
    expect(written.status).toBe('complete');
    const flagged = await db.pool.query(
      `SELECT jao_id, identity_breaks FROM jao.constraints
        WHERE dataset = $1 AND delivery_day = $2 AND identity_breaks IS NOT NULL`,
      [DATASET, day],
    );
    expect(flagged.rows).toEqual([
      { jao_id: 161, identity_breaks: [{ identity: 'fref = frefInit − fnrao', difference: 3 }] },
    ]);
  });
});
