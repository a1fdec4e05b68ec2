// The lane of constraints: one row per constraint and MTU (the flow-based domain), from a paged answer.
import type pg from 'pg';
import { z } from 'zod';
import { declarationOf } from '../../../domain/datasets';
import { assessmentOfReading, domainBodySteps } from '../../../domain/flowBased/assessDomain';
import { ANSWER_READINGS } from '../../../domain/lanes';
import type { ConstraintsDay, Rejection } from '../../../domain/types';
import { readEarlierKeys } from '../../keySets';
import type { JudgedAnswerRef, JudgementInputs, Lane, LaneContent, LaneReading, LaneVerdict } from '../lane';
import { runTimeSliced } from '../timeSliced';
import { constraintDayContentSteps } from './constraintContent';
import { mergeConstraintDay } from './constraintMerge';
import { registerNewConstraints } from './constraintRegistry';
import { dropAssembledPages } from './rawPages';

const HUB_KEY = 'hub_';

/** The hubs of the dataset's days before `day` (their key sets' `hub_<hub>` keys); null when none is stored. */
async function knownHubsOf(pool: pg.Pool, { dataset, day }: JudgedAnswerRef): Promise<Set<string> | null> {
  const keys = await readEarlierKeys(pool, dataset, day);
  if (keys === null) return null;
  return new Set([...keys].filter((key) => key.startsWith(HUB_KEY)).map((key) => key.slice(HUB_KEY.length)));
}

/** What a constraints judgement read beyond the body: the hubs of the earlier days it compared with (null: none). */
const ConstraintInputs = z.object({ knownHubs: z.array(z.string()).nullable() }).strict();

/** The body read against the hubs of earlier days, in slices (db/lanes/timeSliced.ts). */
function readBody(ref: JudgedAnswerRef, body: string, knownHubs: ReadonlySet<string> | null) {
  return runTimeSliced(domainBodySteps(declarationOf(ref.dataset), ref.day, body, knownHubs));
}

async function judge(
  pool: pg.Pool,
  ref: JudgedAnswerRef,
  body: string,
): Promise<LaneVerdict<ConstraintsDay>> {
  const knownHubs = await knownHubsOf(pool, ref);
  const assessment = assessmentOfReading(await readBody(ref, body, knownHubs));
  return { assessment, inputs: { knownHubs: knownHubs === null ? null : [...knownHubs].sort() } };
}

async function read(
  ref: JudgedAnswerRef,
  body: string,
  inputs: JudgementInputs,
): Promise<LaneReading<ConstraintsDay> | null> {
  const recorded = ConstraintInputs.safeParse(inputs);
  if (!recorded.success) return null;
  const { knownHubs } = recorded.data;
  const reading = await readBody(ref, body, knownHubs === null ? null : new Set(knownHubs));
  return reading.ok
    ? { validated: reading.validated, rejections: reading.domain.rejections }
    : { validated: null, rejections: [] };
}

async function contentOf(validated: ConstraintsDay, rejections: readonly Rejection[]): Promise<LaneContent> {
  const content = await runTimeSliced(
    constraintDayContentSteps({ accepted: validated.constraintRows, rejections }),
  );
  return {
    contentHash: content.contentHash,
    minMtuMs: content.minMtuMs,
    maxMtuMs: content.maxMtuMs,
    size: content.versions.length,
    firstSeenKeys: validated.newHubs.map((hub) => `${HUB_KEY}${hub}`),
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
  // Its catalogue (jao.flow_constraint) is registered and moved by each day's write and prepare: two groups of days
  // deadlock on it (bench:restore met it), so a restore repeats each day alone.
  restoresInGroups: false,
  reading: ANSWER_READINGS.constraints,
  judge,
  read,
  contentOf,
  storedRows: (validated) => validated.constraintRows.length,
  // A paged day's pages are in its stored answer once it is written: kept twice no longer.
  afterDayWritten: async (pool, ref) => {
    await dropAssembledPages(pool, ref);
  },
};
