// The presolved final domain through the pipeline (workflows/pagedDay.ts, activities/fetch.ts, db/lanes/constraints/rawPages.ts,
// db/lanes/constraints/constraintMerge.ts): a day fetched from the simulator over HTTP as a count probe and its pages, one request an
// activity, stored value for value as the simulator served it, revised with its history, read again when its count
// moves while paging, and judged partial while JAO has published part of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayWindow } from '../../domain/calendar';
import { parsePagedAnswer } from '../../domain/flowBased/pagedAnswer';
import type { Dataset, DeliveryDay } from '../../domain/types';
import { dayWorkflowId } from '../../domain/workflowInputs';
import type { deliveryDayWorkflow } from '../../workflows/deliveryDay';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { expectStoredAsServed, servedPresolvedRows } from '../helpers/servedDomain';
import { SMALL_FLOW_BASED_DOMAIN } from '../helpers/smallDomain';

const DATASET: Dataset = 'coreFinalComputation';
const NOW = new Date('2026-11-22T12:00:00Z');

let harness: PipelineHarness;

beforeAll(async () => {
  harness = await createPipelineHarness('flow-based', { now: () => NOW, ...SMALL_FLOW_BASED_DOMAIN });
  await harness.startWorkers();
});
afterAll(async () => {
  await harness?.close();
});

const servedRows = (day: DeliveryDay) => servedPresolvedRows(harness.simulator.origin, day);

async function control(action: string, day: DeliveryDay, extra = ''): Promise<void> {
  const response = await fetch(
    `${harness.simulator.origin}/_simulator/flowbased/${action}?day=${day}&endpoint=finalComputation${extra}`,
    { method: 'POST' },
  );
  expect(response.status).toBe(200);
}

function domainRequests(day: DeliveryDay): number {
  const from = dayWindow(day).from;
  return harness.simulator.requests.filter(
    (r) =>
      r.endpoint === 'finalComputation' && r.fromUtc !== null && Date.parse(r.fromUtc) === Date.parse(from),
  ).length;
}

async function stored(day: DeliveryDay) {
  const result = await harness.db.pool.query(
    `SELECT * FROM jao.constraints WHERE dataset = $1 AND delivery_day = $2 ORDER BY mtu, jao_id`,
    [DATASET, day],
  );
  return result.rows;
}

describe('the presolved final domain through the pipeline', () => {
  it('stores a day complete, value for value, in a count probe and one page', async () => {
    const day = '2026-11-10';
    const result = await harness.runDay(day, DATASET);
    expect(result.status).toBe('complete');
    expect(result.mtus).toBe(24);
    const served = await servedRows(day);
    expectStoredAsServed(await stored(day), served);
    expect(result.points).toBe(served.length);
    expect(domainRequests(day)).toBe(1 + 1 + 1); // the test's own read, the probe, the page
    const quality = await harness.db.pool.query(
      `SELECT status, expected_mtus, received_mtus, rejected_values FROM jao.day_quality WHERE dataset = $1 AND day = $2`,
      [DATASET, day],
    );
    expect(quality.rows[0]).toMatchObject({ status: 'complete', expected_mtus: 24, received_mtus: 24 });
    const raw = await harness.db.pool.query(
      `SELECT count(*)::int AS n FROM jao.raw_response WHERE dataset = $1 AND day = $2`,
      [DATASET, day],
    );
    expect(raw.rows[0].n).toBe(1);
  });

  it("runs its store steps as activities of their own, never inside the day's workflow task, as keyed days do", async () => {
    const day = '2026-11-09';
    const handle = await harness.startDay(day, DATASET);
    expect((await handle.result()).status).toBe('complete');
    const { events } = await handle.fetchHistory();
    const scheduled = (events ?? []).flatMap((event) => {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
      return name ? [name] : [];
    });
    expect(scheduled.slice(-3)).toEqual(['assemblePagedDay', 'validateStoredDay', 'writeStoredDay']);
    const localActivities = (events ?? []).filter(
      (event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    );
    expect(localActivities).toEqual([]);
    // A keyed day's validate and write too: no local activity holds its workflow task open.
    const keyed = await harness.startDay(day, 'maxExchanges');
    await keyed.result();
    const keyedEvents = (await keyed.fetchHistory()).events ?? [];
    const keyedScheduled = keyedEvents.flatMap((event) => {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
      return name ? [name] : [];
    });
    expect(keyedScheduled).toEqual(['fetchDayFromJao', 'validateStoredDay', 'writeStoredDay']);
    expect(
      keyedEvents.filter(
        (event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity',
      ),
    ).toEqual([]);
  });

  it("joins the domain to the hour's net positions and MaxBEX: the flow they induce and the margin left", async () => {
    const day = '2026-11-16';
    expect((await harness.runDay(day, DATASET)).status).toBe('complete');
    expect((await harness.runDay(day, 'coreNetPos')).status).toBe('complete');
    expect((await harness.runDay(day, 'maxExchanges')).status).toBe('complete');
    const constraints = await stored(day);
    const flows = await harness.db.pool.query(
      `SELECT * FROM jao.constraint_flows WHERE dataset = $1 AND delivery_day = $2 ORDER BY mtu, constraint_id,
              net_position_mtu`,
      [DATASET, day],
    );
    // Net positions are quarter-hourly from 2025-10-01: four rows per constraint and hour.
    expect(flows.rows).toHaveLength(4 * constraints.length);
    const positions = await harness.db.pool.query<{ mtu: Date; border: string; value_mw: number }>(
      `SELECT mtu, border, value_mw FROM jao.dataset_values WHERE dataset = 'coreNetPos' AND delivery_day = $1`,
      [day],
    );
    const position = new Map(positions.rows.map((r) => [`${r.mtu.toISOString()} ${r.border}`, r.value_mw]));
    const byId = new Map(constraints.map((c) => [`${c.constraint_id} ${(c.mtu as Date).toISOString()}`, c]));
    for (const flow of flows.rows.filter((_, index) => index % 97 === 0)) {
      const constraint = byId.get(`${flow.constraint_id} ${(flow.mtu as Date).toISOString()}`)!;
      let expected = 0;
      (constraint.ptdf_hubs as string[]).forEach((hub, index) => {
        const ptdf = (constraint.ptdf_values as Array<number | null>)[index];
        if (ptdf === null || ptdf === undefined) return;
        expected += ptdf * (position.get(`${(flow.net_position_mtu as Date).toISOString()} hub_${hub}`) ?? 0);
      });
      expect(flow.flow_mw).toBeCloseTo(expected, 6);
      expect(flow.margin_mw).toBeCloseTo(Number(constraint.ram) - expected, 6);
      const border = `${constraint.hub_from}_${constraint.hub_to}`;
      const maxbex = await harness.db.pool.query(
        `SELECT value_mw FROM jao.max_exchanges WHERE mtu = $1 AND border = $2`,
        [flow.mtu, border],
      );
      expect(flow.max_exchange_mw).toBe(maxbex.rows[0]?.value_mw ?? null);
    }
  });

  it('keeps a revision with its history, and reads the domain as of before it', async () => {
    const day = '2026-11-12';
    await harness.runDay(day, DATASET);
    const before = await stored(day);
    const firstSeen = (
      await harness.db.pool.query(
        `SELECT max(updated_at) AS at FROM jao.constraints WHERE delivery_day = $1`,
        [day],
      )
    ).rows[0].at as Date;
    await control('revise', day);
    const result = await harness.runDay(day, DATASET);
    expect(result.status).toBe('complete');
    expect(result.changedPoints).toBeGreaterThan(0);
    expect(result.revision).toBe(2);
    expectStoredAsServed(await stored(day), await servedRows(day));
    const asOf = await harness.db.pool.query(
      `SELECT ram FROM jao.constraints_as_of($1) WHERE dataset = $2 AND delivery_day = $3 ORDER BY mtu, jao_id`,
      [firstSeen, DATASET, day],
    );
    expect(asOf.rows.map((r) => r.ram)).toEqual(before.map((r) => r.ram));
    // Every version the revision changed or removed is in history, current until the revision's write.
    const versions = (rows: Array<Record<string, unknown>>) =>
      new Map(rows.map((row) => [`${row.constraint_id}@${(row.mtu as Date).toISOString()}`, row.ram]));
    const was = versions(before);
    const now = versions(await stored(day));
    const replaced = [...was].filter(([slot, ram]) => !now.has(slot) || now.get(slot) !== ram).length;
    const history = await harness.db.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT valid_to)::int AS ends FROM jao.constraint_value_history
        WHERE dataset = $1 AND delivery_day = $2`,
      [DATASET, day],
    );
    expect(replaced).toBeGreaterThan(0);
    expect(history.rows[0]).toEqual({ n: replaced, ends: 1 });
  });

  it('reads the day again from the start when its count moves while it pages', async () => {
    const day = '2026-11-13';
    await control('countChange', day);
    // Pages small enough that the (smaller) domain's day is read in several.
    const pageSize = 200;
    const handle = await harness.temporal.client.workflow.start<typeof deliveryDayWorkflow>(
      'deliveryDayWorkflow',
      {
        workflowId: dayWorkflowId(DATASET, day),
        taskQueue: harness.taskQueue,
        args: [{ dataset: DATASET, day, trigger: 'manual', pageSize }],
      },
    );
    const result = await handle.result();
    expect(result.status).toBe('complete');
    const served = await servedRows(day);
    expectStoredAsServed(await stored(day), served);
    // The first reading stopped at its second page, when the count moved; the second read every page.
    const firstReading = 1 + 2;
    const secondReading = 1 + Math.ceil(served.length / pageSize);
    expect(domainRequests(day)).toBe(firstReading + secondReading + 1);
    // The stored answer holds the second reading's probe and pages; no page is kept beside it once written.
    const answer = await harness.db.pool.query<{ body: string }>(
      `SELECT convert_from(body, 'UTF8') AS body FROM jao.raw_response WHERE dataset = $1 AND day = $2`,
      [DATASET, day],
    );
    expect(answer.rows).toHaveLength(1);
    const parsed = parsePagedAnswer(answer.rows[0]!.body);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.pages.map((page) => page.skip)).toEqual(
      Array.from({ length: secondReading - 1 }, (_, i) => i * pageSize),
    );
    const pages = await harness.db.pool.query(
      `SELECT count(*)::int AS n FROM jao.raw_page WHERE dataset = $1 AND day = $2`,
      [DATASET, day],
    );
    expect(pages.rows[0].n).toBe(0);
  });

  it('judges a day JAO published in part partial, then complete once it is whole', async () => {
    const day = '2026-11-14';
    await control('partial', day, '&hours=10');
    const partial = await harness.runDay(day, DATASET);
    expect(partial.status).toBe('partial');
    expect(partial.reason).toMatch(/14 of 24 MTUs without a presolved constraint/);
    await control('complete', day);
    const whole = await harness.runDay(day, DATASET);
    expect(whole.status).toBe('complete');
    expectStoredAsServed(await stored(day), await servedRows(day));
  });

  it('answers a day JAO has not published not_published, storing nothing', async () => {
    const day = '2026-11-15';
    await control('unpublish', day);
    const result = await harness.runDay(day, DATASET);
    expect(result.status).toBe('not_published');
    expect(await stored(day)).toEqual([]);
  });
});
