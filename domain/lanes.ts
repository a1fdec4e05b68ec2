// The lane of a dataset: its row shape (domain/datasets/declaration.ts: rowKind), chosen here and nowhere else, and
// how that shape's answer is read from JAO. Pure and deterministic: the day workflow reads it to choose its fetch.
import { declarationOf } from './datasets';
import type { RowKind } from './datasets/declaration';
import type { Dataset } from './types';

/** A lane is named by the row shape it stores. */
export type LaneName = RowKind;

/** How a lane's answer is read from JAO. */
export interface AnswerReading {
  /**
   * `single`: one request, one JAO envelope (domain/jaoEnvelope.ts); `paged`: a count probe, then pages of one
   * consistent reading assembled into one stored answer (workflows/pagedDay.ts, domain/flowBased/pagedAnswer.ts).
   */
  paging: 'single' | 'paged';
}

export const ANSWER_READINGS: Readonly<Record<LaneName, AnswerReading>> = {
  keyedValues: { paging: 'single' },
  constraints: { paging: 'paged' },
};

/** The lane that stores `dataset`'s rows. */
export function laneNameOf(dataset: Dataset): LaneName {
  return declarationOf(dataset).rowKind;
}

/** How `dataset`'s answer is read. */
export function answerReadingOf(dataset: Dataset): AnswerReading {
  return ANSWER_READINGS[laneNameOf(dataset)];
}
