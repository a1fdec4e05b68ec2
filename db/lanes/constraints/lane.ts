// The lane of constraints: one row per constraint and MTU (the flow-based domain), from a paged answer.
import type pg from 'pg';
import { declarationOf } from '../../../domain/datasets';
import { assessDomainBody } from '../../../domain/flowBased/assessDomain';
import { ANSWER_READINGS } from '../../../domain/lanes';
import type { ConstraintsDay, Rejection } from '../../../domain/types';
import { readEarlierKeys } from '../../keySets';
import type { JudgedAnswerRef, Lane, LaneContent, LaneVerdict } from '../lane';
import { constraintDayContent } from './constraintContent';
import { mergeConstraintDay } from './constraintMerge';
import { registerNewConstraints } from './constraintRegistry';

const HUB_KEY = 'hub_';

/** The hubs of the dataset's days before `day` (their key sets' `hub_<hub>` keys); null when none is stored. */
async function knownHubsOf(pool: pg.Pool, { dataset, day }: JudgedAnswerRef): Promise<Set<string> | null> {
  const keys = await readEarlierKeys(pool, dataset, day);
  if (keys === null) return null;
  return new Set([...keys].filter((key) => key.startsWith(HUB_KEY)).map((key) => key.slice(HUB_KEY.length)));
}

async function judge(
  pool: pg.Pool,
  ref: JudgedAnswerRef,
  body: string,
): Promise<LaneVerdict<ConstraintsDay>> {
  const assessment = assessDomainBody(
    declarationOf(ref.dataset),
    ref.day,
    body,
    await knownHubsOf(pool, ref),
  );
  // Kept as judged (readCatalogue false): the earlier days' hubs only grow, so a kept verdict can at most name a hub
  // new that an earlier day written meanwhile also brought; it never hides one.
  return { assessment, readCatalogue: false };
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
  firstSeenKeysOf: (validated) => validated.newHubs.map((hub) => `${HUB_KEY}${hub}`),
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
