// The lane of constraints: one row per constraint and MTU (the flow-based domain), from a paged answer.
import type pg from 'pg';
import { expectedMtuCount } from '../../domain/calendar';
import { declarationOf, declaredResolutionOn } from '../../domain/datasets';
import { assessDomainBody } from '../../domain/flowBased/assessDomain';
import { ANSWER_READINGS } from '../../domain/lanes';
import type { ConstraintsDay, Rejection } from '../../domain/types';
import { constraintDayContent } from '../constraintContent';
import { mergeConstraintDay } from '../constraintMerge';
import { registerNewConstraints } from '../constraintRegistry';
import type { JudgedAnswerRef, Lane, LaneContent, LaneVerdict } from './lane';

async function judge(
  _pool: pg.Pool,
  { dataset, day }: JudgedAnswerRef,
  body: string,
): Promise<LaneVerdict<ConstraintsDay>> {
  const expected = expectedMtuCount(day, declaredResolutionOn(declarationOf(dataset), day));
  // A new hub is drift through the day's key set (`hub_<hub>` keys), as a new key is for keyed values.
  return { assessment: assessDomainBody(day, body, expected, new Set()), readCatalogue: false };
}

function contentOf(validated: ConstraintsDay, rejections: readonly Rejection[]): LaneContent {
  const content = constraintDayContent({ accepted: validated.constraintRows, rejections });
  return {
    contentHash: content.contentHash,
    minMtuMs: content.minMtuMs,
    maxMtuMs: content.maxMtuMs,
    size: content.versions.length,
    prepare: async (pool, dataset, { dryRun }) => {
      // A dry run inserts nothing: its write registers what it lacks inside its transaction, rolled back.
      if (!dryRun) await registerNewConstraints(pool, dataset, content);
    },
    merge: async (client, target, state, mode) => ({
      outcome: await mergeConstraintDay(client, target.dataset, target.day, content, state, mode),
      // The constraints' catalogue times move in the merge (jao.flow_constraint).
      touchedSeries: null,
      afterCommit: () => {},
    }),
    // A constraint's fields are all content: none is kept beside it.
    storeRowFields: async () => 0,
  };
}

export const constraintsLane: Lane<ConstraintsDay> = {
  name: 'constraints',
  reading: ANSWER_READINGS.constraints,
  judge,
  contentOf,
  storedRows: (validated) => validated.constraintRows.length,
  readSide: {
    views: [
      'jao.constraints',
      'jao.constraint_history',
      'jao.constraint_changes',
      'jao.constraint_ptdfs',
      'jao.constraint_flows',
      'jao.constraints_as_of',
    ],
    routes: ['api/routes/constraints.ts'],
    page: 'page/client/domainView.ts',
  },
};
