// The bound of a stored answer read back: JAO_MAX_BODY_BYTES for an answer of one request, that times the pages a
// paged day may hold for a paged one (domain/storedAnswerLimit.ts).
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, MAX_BODY_BYTES } from '../../domain/bodyLimit';
import { DATASETS, type Dataset } from '../../domain/datasets';
import { answerReadingOf } from '../../domain/lanes';
import {
  MAX_PAGES_PER_PAGED_ANSWER,
  PAGED_ANSWER_FRAME_BYTES,
  storedAnswerLimit,
} from '../../domain/storedAnswerLimit';

describe('storedAnswerLimit', () => {
  it('is JAO_MAX_BODY_BYTES for a dataset read in one request, named so', () => {
    expect(storedAnswerLimit('maxExchanges', DEFAULT_MAX_BODY_BYTES)).toEqual({
      bytes: DEFAULT_MAX_BODY_BYTES,
      name: `JAO_MAX_BODY_BYTES (${DEFAULT_MAX_BODY_BYTES})`,
    });
  });

  it('is the pages a paged day may hold, each at JAO_MAX_BODY_BYTES, for every paged dataset', () => {
    const paged: Dataset[] = DATASETS.filter((dataset) => answerReadingOf(dataset).paging === 'paged');
    expect(paged).toContain('nordicFinalComputation');
    expect(paged).toContain('nordicFbDomainShadowPrice');
    for (const dataset of DATASETS) {
      expect(storedAnswerLimit(dataset, DEFAULT_MAX_BODY_BYTES).bytes, dataset).toBe(
        paged.includes(dataset)
          ? MAX_PAGES_PER_PAGED_ANSWER * (DEFAULT_MAX_BODY_BYTES + PAGED_ANSWER_FRAME_BYTES)
          : DEFAULT_MAX_BODY_BYTES,
      );
    }
    expect(storedAnswerLimit('nordicFinalComputation', MAX_BODY_BYTES).name).toBe(
      `the bound of a paged answer, MAX_PAGES_PER_PAGED_ANSWER (4) pages of JAO_MAX_BODY_BYTES (${MAX_BODY_BYTES}) ` +
        'each (64.0 MiB)',
    );
  });

  it('holds a Nordic quarter-hour day (about 17 MB) at the default JAO_MAX_BODY_BYTES', () => {
    expect(storedAnswerLimit('nordicFinalComputation', DEFAULT_MAX_BODY_BYTES).bytes).toBeGreaterThan(
      17_000_000,
    );
  });
});
