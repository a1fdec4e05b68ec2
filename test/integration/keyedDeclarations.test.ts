// Every keyed-values declaration end to end against the simulator, table-driven: a delivery day is stored complete,
// value for value what the simulator published (its keys from the declaration's key grammar, its units, sparse rows
// and nulls included). The day workflow is the same for every keyed declaration (one unpaged answer: fetch, validate,
// write): two declarations, of two regions and resolutions, run it through Temporal; the others run its three
// activities as the worker creates them (test/helpers/dayActivities.ts), which is where a declaration makes a
// difference. A revision is the lane's (db/lanes/keyedValues/valuesMerge.ts), the same whatever the declaration: the
// two run through the workflow are revised, stored as revision 2 with the first version kept as history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayWindow } from '../../domain/calendar';
import {
  declaredResolutionOn,
  KEYED_VALUE_DECLARATIONS,
  type KeyedValueDataset,
  unitOfKey,
} from '../../domain/datasets';
import { answerReadingOf } from '../../domain/lanes';
import type { DeliveryDay } from '../../domain/types';
import type { DayResult } from '../../domain/workflowInputs';
import { type DayActivitiesRunner, dayActivitiesRunner } from '../helpers/dayActivities';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';

const DAY: DeliveryDay = '2026-05-05';
/** Run as the day workflow through Temporal: Core hourly, Nordic quarter-hourly. */
const THROUGH_WORKFLOW: readonly KeyedValueDataset[] = ['maxExchanges', 'nordicMaxExchanges'];

describe('keyed declarations through the pipeline', () => {
  let h: PipelineHarness;
  let runActivities: DayActivitiesRunner;

  /** The day of `dataset`: as the day workflow, or as its steps' activities. */
  function runDay(dataset: KeyedValueDataset): Promise<DayResult> {
    return THROUGH_WORKFLOW.includes(dataset) ? h.runDay(DAY, dataset) : runActivities(DAY, dataset);
  }

  beforeAll(async () => {
    // A namespace of its own: capturedDatasets.test.ts runs the same datasets' day (the built fixtures' day), and a
    // day's workflow id is unique per namespace.
    const namespace = await createTestNamespace('keyed');
    h = await createPipelineHarness('keyed', {}, { namespace });
    await h.startWorkers();
    runActivities = dayActivitiesRunner(h.db.pool, h.simulator.origin);
  });

  afterAll(async () => {
    await h?.close();
  });

  /** What the simulator publishes for the day: `border|mtu` → value (the views' border column), nulls left out. */
  function published(dataset: KeyedValueDataset, keys: readonly string[]): Map<string, number> {
    const declaration = KEYED_VALUE_DECLARATIONS.find((each) => each.id === dataset)!;
    const stepMs = declaredResolutionOn(declaration, DAY) * 60_000;
    const { from, to } = dayWindow(DAY);
    const values = new Map<string, number>();
    for (let mtuMs = Date.parse(from); mtuMs < Date.parse(to); mtuMs += stepMs) {
      const mtu = new Date(mtuMs).toISOString();
      for (const key of keys) {
        const value = h.simulator.publishedValue(DAY, key, mtu, dataset);
        if (value !== null) values.set(`${key.replace(/^border_/, '')}|${mtu}`, value);
      }
    }
    return values;
  }

  async function stored(dataset: KeyedValueDataset) {
    const rows = await h.db.pool.query<{
      key: string;
      border: string;
      mtu: Date;
      value_mw: number;
      revision: number;
      unit: string;
    }>(
      `SELECT b.key, v.border, v.mtu, v.value_mw, v.revision, b.unit
         FROM jao.dataset_values v JOIN jao.dataset_borders b USING (dataset, border)
        WHERE v.dataset = $1 AND v.delivery_day = $2::date`,
      [dataset, DAY],
    );
    return rows.rows;
  }

  it('runs the day workflow for two declarations of many that all take its one path: one unpaged answer', () => {
    for (const declaration of KEYED_VALUE_DECLARATIONS)
      expect([declaration.id, answerReadingOf(declaration.id).paging]).toEqual([declaration.id, 'single']);
  });

  it('stores a day of every keyed dataset complete, value for value, in each key’s unit; a revision of the two through the workflow as revision 2', async () => {
    const first = await Promise.all(KEYED_VALUE_DECLARATIONS.map((declaration) => runDay(declaration.id)));
    const keysOf = new Map<KeyedValueDataset, string[]>();
    for (const [i, declaration] of KEYED_VALUE_DECLARATIONS.entries()) {
      expect([declaration.id, first[i]!.status, first[i]!.revision]).toEqual([declaration.id, 'complete', 1]);
      const rows = await stored(declaration.id);
      const keys = [...new Set(rows.map((row) => row.key))];
      keysOf.set(declaration.id, keys);
      const storedValues = new Map(
        rows.map((row) => [`${row.border}|${row.mtu.toISOString()}`, Number(row.value_mw)]),
      );
      const expected = published(declaration.id, keys);
      expect([declaration.id, storedValues.size]).toEqual([declaration.id, expected.size]);
      expect(storedValues).toEqual(expected);
      for (const row of rows) expect([row.key, row.unit]).toEqual([row.key, unitOfKey(declaration, row.key)]);
    }

    for (const dataset of THROUGH_WORKFLOW) h.simulator.reviseDay(DAY, dataset);
    const second = await Promise.all(THROUGH_WORKFLOW.map((dataset) => runDay(dataset)));
    for (const [i, dataset] of THROUGH_WORKFLOW.entries()) {
      expect([dataset, second[i]!.status, second[i]!.revision]).toEqual([dataset, 'complete', 2]);
      const rows = await stored(dataset);
      const storedValues = new Map(
        rows.map((row) => [`${row.border}|${row.mtu.toISOString()}`, Number(row.value_mw)]),
      );
      expect(storedValues).toEqual(published(dataset, keysOf.get(dataset)!));
      const history = await h.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jao.dataset_values_history
          WHERE dataset = $1 AND delivery_day = $2::date AND revision = 1`,
        [dataset, DAY],
      );
      expect([dataset, history.rows[0]!.n > 0]).toEqual([dataset, true]);
    }
  });
});
