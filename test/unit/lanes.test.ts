// A dataset's lane is its declaration's row shape, chosen in one place (domain/lanes.ts, db/lanes/index.ts), and
// each lane turns its judged day into content for the one write.
import { describe, expect, it } from 'vitest';
import { contentOf, laneOf, storedRowsOf } from '../../db/lanes';
import { DATASETS, declarationOf } from '../../domain/datasets';
import { answerReadingOf, laneNameOf } from '../../domain/lanes';
import type { Dataset } from '../../domain/types';

const body = (data: unknown[]) => JSON.stringify({ data, rejected: false, messages: null });
const noPool = {} as never;

describe('lanes', () => {
  it('chooses every dataset its lane from the declared row shape, with its way of reading the answer', () => {
    for (const dataset of DATASETS as readonly Dataset[]) {
      const rowKind = declarationOf(dataset).rowKind;
      expect(laneNameOf(dataset)).toBe(rowKind);
      expect(laneOf(dataset).name).toBe(rowKind);
      expect(answerReadingOf(dataset)).toBe(laneOf(dataset).reading);
      expect(answerReadingOf(dataset).paging).toBe(rowKind === 'constraints' ? 'paged' : 'single');
    }
  });

  it('judges and turns a keyed answer into content: one value per key and MTU, hashed', async () => {
    const lane = laneOf('maxExchanges');
    const { assessment, readCatalogue } = await lane.judge(
      noPool,
      { dataset: 'maxExchanges', day: '2026-04-20' },
      body([{ id: 1, dateTimeUtc: '2026-04-19T22:00:00Z', border_AT_CZ: 10, border_CZ_AT: 20 }]),
    );
    expect(readCatalogue).toBe(false);
    expect(assessment.status).toBe('partial');
    const content = contentOf(assessment.validated!, assessment.rejections);
    expect(content.size).toBe(2);
    expect(content.minMtuMs).toBe(Date.parse('2026-04-19T22:00:00Z'));
    expect(content.contentHash).toBe(contentOf(assessment.validated!, []).contentHash);
    expect(storedRowsOf(assessment.validated!)).toBe(2);
  });

  it('judges an answer that is not a paged reading as invalid in the constraints lane', async () => {
    const lane = laneOf('coreFinalComputation');
    const { assessment } = await lane.judge(
      noPool,
      { dataset: 'coreFinalComputation', day: '2026-04-20' },
      body([]),
    );
    expect(assessment.status).toBe('invalid');
    expect(assessment.validated).toBeNull();
  });
});
