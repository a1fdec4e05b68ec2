// A dataset's lane is its declaration's row shape, chosen in one place (domain/lanes.ts, db/lanes/index.ts), and
// each lane turns its judged day into content for the one write.
import { describe, expect, it } from 'vitest';
import { contentOf, laneOf, storedRowsOf } from '../../db/lanes';
import { DATASETS, declarationOf } from '../../domain/datasets';
import { describeDrift, withFirstSeenKeys } from '../../domain/drift';
import { answerReadingOf, laneNameOf } from '../../domain/lanes';
import type { Dataset } from '../../domain/types';

const body = (data: unknown[]) => JSON.stringify({ data, rejected: false, messages: null });
const noPool = {} as never;
/** A database holding no earlier day of any dataset. */
const emptyPool = { query: async () => ({ rows: [] }) } as never;

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
    const { assessment, inputs } = await lane.judge(
      noPool,
      { dataset: 'maxExchanges', day: '2026-04-20' },
      body([{ id: 1, dateTimeUtc: '2026-04-19T22:00:00Z', border_AT_CZ: 10, border_CZ_AT: 20 }]),
    );
    // Judged without the catalogue: nothing read beyond the body.
    expect(inputs).toEqual({});
    expect(assessment.status).toBe('partial');
    const content = await contentOf(assessment.validated!, assessment.rejections);
    expect(content.size).toBe(2);
    expect(content.minMtuMs).toBe(Date.parse('2026-04-19T22:00:00Z'));
    expect(content.contentHash).toBe((await contentOf(assessment.validated!, [])).contentHash);
    expect(storedRowsOf(assessment.validated!)).toBe(2);
  });

  it('reads a body judged before into the same day, with what its judgement read beyond the body', async () => {
    const keyed = laneOf('maxExchanges');
    const ref = { dataset: 'maxExchanges' as const, day: '2026-04-20' };
    const answer = body([
      { id: 1, dateTimeUtc: '2026-04-19T22:00:00Z', border_AT_CZ: 10, border_CZ_AT: null },
    ]);
    const judged = await keyed.judge(noPool, ref, answer);
    expect(await keyed.read(ref, answer, judged.inputs)).toEqual({
      validated: judged.assessment.validated,
      rejections: judged.assessment.rejections,
    });
    // Inputs that are not the lane's are no reading: the body is judged again.
    expect(await keyed.read(ref, answer, { knownHubs: null })).toBeNull();
    const broken = await keyed.judge(noPool, ref, '{"data": [');
    expect(await keyed.read(ref, '{"data": [', broken.inputs)).toEqual({
      validated: null,
      rejections: broken.assessment.rejections,
    });

    const constraints = laneOf('coreFinalComputation');
    const domainRef = { dataset: 'coreFinalComputation' as const, day: '2026-04-20' };
    const domain = await constraints.judge(emptyPool, domainRef, body([]));
    expect(domain.inputs).toEqual({ knownHubs: null });
    expect(await constraints.read(domainRef, body([]), domain.inputs)).toEqual({
      validated: null,
      rejections: [],
    });
    expect(await constraints.read(domainRef, body([]), {})).toBeNull();
  });

  it('judges an answer that is not a paged reading as invalid in the constraints lane', async () => {
    const lane = laneOf('coreFinalComputation');
    const { assessment } = await lane.judge(
      emptyPool,
      { dataset: 'coreFinalComputation', day: '2026-04-20' },
      body([]),
    );
    expect(assessment.status).toBe('invalid');
    expect(assessment.validated).toBeNull();
  });

  it('reports keys never seen before as drift, whatever the day compared with said', () => {
    expect(withFirstSeenKeys(null, [], 60)).toBeNull();
    const alone = withFirstSeenKeys(null, ['hub_X'], 60)!;
    expect(alone).toMatchObject({ kinds: ['keys_added'], keysAdded: ['hub_X'], keysFirstSeen: ['hub_X'] });
    expect(describeDrift(alone)).toBe('1 keys added (hub_X); 1 never seen before (hub_X)');
    const compared = withFirstSeenKeys(
      {
        kinds: ['resolution', 'keys_vanished'],
        previousDay: '2026-04-19',
        resolutionMinutes: 60,
        previousResolutionMinutes: 15,
        keysAdded: [],
        keysVanished: ['hub_Y'],
      },
      ['hub_X'],
      60,
    )!;
    expect(compared.kinds).toEqual(['resolution', 'keys_added', 'keys_vanished']);
    expect(compared.keysAdded).toEqual(['hub_X']);
  });
});
