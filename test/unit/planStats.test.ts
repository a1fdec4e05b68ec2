// bench:query's reading of EXPLAIN (ANALYZE, FORMAT JSON): the value relations a plan scanned and the rows it read.
import { describe, expect, it } from 'vitest';
import { planStats } from '../../bench/planStats';

describe('planStats', () => {
  it('counts a decompressing scan as the rows it decompressed, not the batches below it', () => {
    const plan = [
      {
        Plan: {
          'Node Type': 'Nested Loop',
          Plans: [
            {
              'Node Type': 'Index Scan',
              'Relation Name': 'delivery_day',
              'Actual Rows': 1,
              'Actual Loops': 1,
            },
            {
              'Node Type': 'Custom Scan',
              'Custom Plan Provider': 'ColumnarScan',
              'Relation Name': '_hyper_1_3_chunk',
              'Actual Rows': 24,
              'Actual Loops': 1,
              'Rows Removed by Filter': 976,
              Plans: [
                {
                  'Node Type': 'Index Scan',
                  'Relation Name': 'compress_hyper_3_13_chunk',
                  'Actual Rows': 1,
                  'Actual Loops': 1,
                },
              ],
            },
            {
              'Node Type': 'Index Scan',
              'Relation Name': '_hyper_1_5_chunk',
              'Actual Rows': 0,
              'Actual Loops': 0,
            },
          ],
        },
      },
    ];
    expect(planStats(plan)).toEqual({ relations: 1, rowsRead: 1000, approximate: false });
  });

  it('multiplies what a scan in a loop reports per loop, and says the sum is approximate', () => {
    const plan = [
      {
        Plan: {
          'Node Type': 'Append',
          Plans: [
            {
              'Node Type': 'Index Scan',
              'Relation Name': 'observation',
              'Actual Rows': 24,
              'Actual Loops': 30,
              'Rows Removed by Filter': 2,
            },
            {
              'Node Type': 'Seq Scan',
              'Relation Name': 'observation_history',
              'Actual Rows': 3,
              'Actual Loops': 1,
              'Rows Removed by Filter': 10,
            },
          ],
        },
      },
    ];
    expect(planStats(plan)).toEqual({ relations: 2, rowsRead: 30 * 26 + 13, approximate: true });
  });
});
