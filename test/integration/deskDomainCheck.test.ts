// The desk's pandas check (docs/examples/domain_check.py, docs/desk.md "The flow-based domain") against days the
// pipeline stored: coreFinalComputation and coreNetPos fetched from the simulator, whose net positions satisfy its
// own final domain; then one stored RAM lowered under its constraint's flow, which the check must name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryDay } from '../../domain/types';
import { pandasMissingNote, runDomainCheck } from '../helpers/pandas';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { SMALL_FLOW_BASED_DOMAIN } from '../helpers/smallDomain';

const NOW = new Date('2026-11-22T12:00:00Z');
const DAYS: Array<{ day: DeliveryDay; hours: number; mtus: number; hubs: number }> = [
  { day: '2025-03-30', hours: 23, mtus: 23, hubs: 14 },
  { day: '2025-10-26', hours: 25, mtus: 100, hubs: 14 },
  { day: '2026-06-11', hours: 24, mtus: 96, hubs: 23 },
];

let harness: PipelineHarness;

beforeAll(async () => {
  const missing = pandasMissingNote();
  if (missing !== null) throw new Error(missing);
  harness = await createPipelineHarness('desk-domain', { now: () => NOW, ...SMALL_FLOW_BASED_DOMAIN });
  await harness.startWorkers();
  for (const { day } of DAYS) {
    for (const dataset of ['coreFinalComputation', 'coreNetPos'] as const) {
      const result = await harness.runDay(day, dataset);
      expect([day, dataset, result.status]).toEqual([day, dataset, 'complete']);
    }
  }
});
afterAll(async () => {
  await harness?.close();
});

interface Tightest {
  constraint_id: string;
  hour: Date;
  cne_name: string;
  slack: number;
}

/**
 * The (constraint, net-position MTU) of the day with the least RAM − PTDF · NP, computed in SQL; `cnecs`: among
 * network elements only (an external or equality constraint's element EIC is "NA"). Both sides are materialized so
 * the PTDFs meet the net positions on (hour, hub): a freshly written database has no statistics, and PostgreSQL 18
 * then joined every net position of an hour to every constraint row before unnesting the PTDFs (6 M rows, 2.6 s for
 * one day idle, past the test's bound on a loaded CI machine).
 */
async function tightest(day: DeliveryDay, cnecs = false): Promise<Tightest> {
  const result = await harness.db.pool.query<Tightest>(
    `WITH np AS MATERIALIZED (
       SELECT mtu, date_trunc('hour', mtu, 'UTC') AS hour, from_zone AS hub, value_mw
         FROM jao.dataset_values
        WHERE dataset = 'coreNetPos' AND delivery_day = $1::date AND to_zone IS NULL),
     ptdfs AS MATERIALIZED (
       SELECT constraint_id, mtu AS hour, hub, ptdf
         FROM jao.constraint_ptdfs
        WHERE dataset = 'coreFinalComputation' AND delivery_day = $1::date),
     flows AS (
       SELECT p.constraint_id, p.hour, np.mtu, sum(p.ptdf * np.value_mw) AS flow
         FROM ptdfs p JOIN np USING (hour, hub)
        GROUP BY p.constraint_id, p.hour, np.mtu)
     SELECT c.constraint_id::text, c.mtu AS hour, c.cne_name, c.ram - f.flow AS slack
       FROM flows f JOIN jao.constraints c ON c.constraint_id = f.constraint_id AND c.mtu = f.hour
      WHERE c.dataset = 'coreFinalComputation' AND c.delivery_day = $1::date AND c.presolved
        AND (NOT $2 OR c.cne_eic <> 'NA')
      ORDER BY c.ram - f.flow, c.constraint_id
      LIMIT 1`,
    [day, cnecs],
  );
  return result.rows[0]!;
}

describe('the desk’s pandas check of net positions against the domain', () => {
  it('holds on each stored day: exit 0 and a summary of what it checked', async () => {
    for (const { day, hours, mtus, hubs } of DAYS) {
      const run = await runDomainCheck([harness.db.url, day]);
      expect([day, run.status, run.stderr]).toEqual([day, 0, '']);
      expect(run.stdout).toContain(`over ${hours} hours (coreFinalComputation)`);
      expect(run.stdout).toContain(`net positions of ${hubs} hubs over ${mtus} MTUs (coreNetPos)`);
      expect(run.stdout).toMatch(/^worst slack: \S+ {2}.* slack -?\d+\.\d MW$/m);
      expect(run.stdout).toMatch(/^tightest with RAM > 0: \S+ {2}.* slack \d+\.\d MW$/m);
      expect(run.stdout).toContain('OK: every constraint holds within 1.0 MW');
      expect(run.stdout).not.toContain('nan');
      // The same in SQL; and the net positions on the domain's boundary: some network element binds.
      expect((await tightest(day)).slack).toBeGreaterThanOrEqual(-1e-6);
      const cnec = await tightest(day, true);
      expect(cnec.slack).toBeGreaterThanOrEqual(-1e-6);
      expect(cnec.slack).toBeLessThan(1);
      expect(run.stdout).toContain(`tightest with RAM > 0: ${cnec.hour.toISOString().slice(0, 13)}`);
    }
  });

  it('fails naming the constraint whose stored RAM was lowered under its flow', async () => {
    const day = DAYS[2]!.day;
    const { constraint_id: id, hour, cne_name: name } = await tightest(day, true);
    const update = await harness.db.pool.query(
      'UPDATE jao.constraint_value SET ram = ram - 100 WHERE constraint_id = $1 AND mtu = $2',
      [id, hour],
    );
    expect(update.rowCount).toBe(1);
    const run = await runDomainCheck([harness.db.url, day]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /^VIOLATED: [1-4] \(constraint, MTU\) pairs exceed RAM by more than 1\.0 MW$/m,
    );
    const listed = run.stdout.split('\n').filter((line) => line.startsWith('  '));
    expect(listed.length).toBeGreaterThan(0);
    for (const line of listed) {
      expect(line).toContain(`${name.trim()} `);
      expect(line).toContain(`(constraint ${id})`);
      expect(line).toContain(hour.toISOString().slice(0, 13));
    }
  });

  it('says so when the day cannot be checked: exit 2', async () => {
    const run = await runDomainCheck([harness.db.url, '2025-01-01']);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('2025-01-01: nothing to check');
  });
});
