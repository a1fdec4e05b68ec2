// A year (or more) of the flow-based domain for bench:query, seeded quickly: TEMPLATE_DAYS simulated days written
// through the real write path (db/writeDay.ts), each as first published and then once revised (so that history
// holds changed and vanished versions), then copied set-based onto the following days, a local day forward at a
// time: the same versions (RAM moved a little per copy), their history, transaction times moved by the same days.
// On a spring-forward day the missing hour's copies are dropped (ON CONFLICT DO NOTHING). Needs the owner role.
import type pg from 'pg';
import { writeDay } from '../db/writeDay';
import type { ConstraintDataset } from '../domain/datasets';
import type { DeliveryDay } from '../domain/types';
import { dayRange, simulatedDomain } from './constraintDays';

export const TEMPLATE_DAYS = 7;

const VALUE_COLUMNS = `jao_id, presolved, min_ram_target, min_ram_factor, imax, u, fmax, frm, fref_init, fnrao, fref,
  fcore, fall, fuaf, amr, lta_margin, cva, iva, ftotal_ltn, fltn, cne_status, hub_from, hub_to, substation_from,
  substation_to, element_type, fmax_type, cont_tso, cont_name, justification, contingencies, ptdf_hubs, ptdf_values,
  extra, content_sha256, revision, derivation_id`;

/** `mtu` moved `n` local days forward (Europe/Amsterdam), as SQL. */
const shifted = (column: string) =>
  `((${column} AT TIME ZONE 'Europe/Amsterdam') + c.n * INTERVAL '1 day') AT TIME ZONE 'Europe/Amsterdam'`;

export interface Seeded {
  values: number;
  superseded: number;
  writtenThroughWritePath: number;
}

export async function seedConstraintHistory(
  pool: pg.Pool,
  dataset: ConstraintDataset,
  first: DeliveryDay,
  dayCount: number,
): Promise<Seeded> {
  const domain = simulatedDomain();
  const templates = dayRange(first, Math.min(TEMPLATE_DAYS, dayCount));
  let written = 0;
  for (const revisions of [0, 1]) {
    for (const day of templates) {
      const validated = domain.day(day, revisions);
      const result = await writeDay(pool, {
        dataset,
        day,
        status: 'complete',
        validated,
        expectedMtus: validated.expectedMtus,
        rawResponseId: null,
        workflowId: 'bench:query seed',
      });
      written += result.points;
    }
  }
  const copies = Math.ceil(dayCount / templates.length) - 1;
  for (let copy = 1; copy <= copies; copy++) {
    const n = copy * templates.length;
    const keep = Math.min(templates.length, dayCount - n);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO jao.constraint_value (constraint_id, mtu, dataset, delivery_day, ram, ${VALUE_COLUMNS},
                                           first_seen_at, updated_at)
         SELECT v.constraint_id, ${shifted('v.mtu')}, v.dataset, v.delivery_day + c.n, v.ram + c.n % 53,
                ${VALUE_COLUMNS.replace(/(\w+)/g, 'v.$1')},
                v.first_seen_at + c.n * INTERVAL '1 day', v.updated_at + c.n * INTERVAL '1 day'
           FROM jao.constraint_value v, (SELECT $2::int AS n) AS c
          WHERE v.dataset = $1 AND v.delivery_day < $3::date + $4::int
         ON CONFLICT DO NOTHING`,
        [dataset, n, first, keep],
      );
      await client.query(
        `INSERT INTO jao.constraint_value_history (constraint_id, mtu, dataset, delivery_day, ram, ${VALUE_COLUMNS},
                                                   first_seen_at, updated_at, valid_from, valid_to)
         SELECT h.constraint_id, ${shifted('h.mtu')}, h.dataset, h.delivery_day + c.n, h.ram + c.n % 53,
                ${VALUE_COLUMNS.replace(/(\w+)/g, 'h.$1')},
                h.first_seen_at + c.n * INTERVAL '1 day', h.updated_at + c.n * INTERVAL '1 day',
                h.valid_from + c.n * INTERVAL '1 day', h.valid_to + c.n * INTERVAL '1 day'
           FROM jao.constraint_value_history h, (SELECT $2::int AS n) AS c
          WHERE h.dataset = $1 AND h.delivery_day < $3::date + $4::int
         ON CONFLICT DO NOTHING`,
        [dataset, n, first, keep],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
  const counts = await pool.query<{ values: number; superseded: number }>(
    `SELECT (SELECT count(*) FROM jao.constraint_value WHERE dataset = $1)::int AS values,
            (SELECT count(*) FROM jao.constraint_value_history WHERE dataset = $1)::int AS superseded`,
    [dataset],
  );
  return { ...counts.rows[0]!, writtenThroughWritePath: written };
}
