// The lane of keyed values: one number per key (a border, a hub) and MTU, from one JAO envelope.
import type pg from 'pg';
import { z } from 'zod';
import { assessBody } from '../../../domain/assess';
import { declarationOf } from '../../../domain/datasets';
import { ANSWER_READINGS } from '../../../domain/lanes';
import type { Dataset, KeyedValuesDay, Rejection } from '../../../domain/types';
import { optionsFor, validateDayBody } from '../../../domain/validate';
import { storeRowFields } from '../../rowFields';
import type { JudgedAnswerRef, JudgementInputs, Lane, LaneContent, LaneReading, LaneVerdict } from '../lane';
import { normalizeDayContent } from './dayContent';
import { registerSeries, rememberSeries, seriesCacheFor } from './seriesRegistry';
import { insertFreshDay, mergeDay } from './valuesMerge';

/** Every key of a dataset's series stored so far (jao.series). */
async function readStoredSeriesKeys(pool: pg.Pool, dataset: Dataset): Promise<Set<string>> {
  const result = await pool.query<{ key: string }>('SELECT key FROM jao.series WHERE dataset = $1', [
    dataset,
  ]);
  return new Set(result.rows.map((row) => row.key));
}

/** What a keyed judgement read beyond the body: the keys it admitted, when it asked the catalogue which are new. */
const KeyedInputs = z.object({ admittedKeys: z.array(z.string()).optional() }).strict();

async function judge(
  pool: pg.Pool,
  { dataset, day }: JudgedAnswerRef,
  body: string,
): Promise<LaneVerdict<KeyedValuesDay>> {
  const declared = optionsFor(declarationOf(dataset), day);
  const assessment = assessBody(day, body, declared);
  // Only a day with more new keys than a day may add needs to know which keys are new (domain/limits.ts).
  if (!assessment.rejections.some((r) => r.rule === 'too_many_keys')) return { assessment, inputs: {} };
  const knownKeys = await readStoredSeriesKeys(pool, dataset);
  const judged = assessBody(day, body, { ...declared, knownKeys });
  // The keys admitted, as known keys, admit the same again: those refused as a flood are still a flood.
  const admittedKeys = judged.validated
    ? [...judged.validated.keys, ...(judged.validated.publishedEmptyKeys ?? [])].sort()
    : [];
  return { assessment: judged, inputs: { admittedKeys } };
}

async function read(
  { dataset, day }: JudgedAnswerRef,
  body: string,
  inputs: JudgementInputs,
): Promise<LaneReading<KeyedValuesDay> | null> {
  const recorded = KeyedInputs.safeParse(inputs);
  if (!recorded.success) return null;
  const declared = optionsFor(declarationOf(dataset), day);
  const { admittedKeys } = recorded.data;
  const outcome = validateDayBody(
    day,
    body,
    admittedKeys ? { ...declared, knownKeys: new Set(admittedKeys) } : declared,
  );
  return outcome.ok
    ? { validated: outcome.result, rejections: outcome.result.rejections }
    : { validated: null, rejections: outcome.rejections };
}

async function contentOf(validated: KeyedValuesDay, rejections: readonly Rejection[]): Promise<LaneContent> {
  const content = normalizeDayContent(validated.points, rejections);
  const rowFields = validated.rowFields ?? [];
  return {
    contentHash: content.contentHash,
    minMtuMs: content.minMtuMs,
    maxMtuMs: content.maxMtuMs,
    size: content.values.length,
    // A keyed day's new keys are counted against the catalogue as it is judged (domain/limits.ts: too_many_keys).
    firstSeenKeys: [],
    // New series are registered inside the transaction (db/lanes/keyedValues/seriesRegistry.ts).
    prepare: async () => {},
    merge: async (client, target, state, mode) => {
      const cache = seriesCacheFor(target.pool, target.dataset);
      const registered = await registerSeries(client, target.dataset, content, state.txTime, cache);
      const outcome = mode.fresh
        ? await insertFreshDay(client, target.day, content, registered, state, mode.pendingCopies)
        : await mergeDay(client, target.dataset, target.day, content, registered, state);
      outcome.newSeries = registered.created;
      return {
        outcome,
        touchedSeries: registered,
        afterCommit: () => rememberSeries(cache, content, registered),
      };
    },
    storeRowFields: (client, at) => storeRowFields(client, { ...at, rowFields }),
  };
}

export const keyedValuesLane: Lane<KeyedValuesDay> = {
  name: 'keyedValues',
  restoresInGroups: true,
  reading: ANSWER_READINGS.keyedValues,
  judge,
  read,
  contentOf,
  storedRows: (validated) => validated.points.length,
  afterDayWritten: async () => {},
};
