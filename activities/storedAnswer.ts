// A stored raw answer judged by the current build: what the day workflow's validate and write, and reprocessing,
// read back from jao.raw_response (never from JAO).
import type pg from 'pg';
import { loadRawResponse } from '../db/rawResponse';
import { readCatalogKeys } from '../db/seriesCatalog';
import { type Assessment, assessBody } from '../domain/assess';
import { expectedMtuCount } from '../domain/calendar';
import type { Dataset, DeliveryDay } from '../domain/types';
import { DEFAULT_RESOLUTION_MINUTES } from '../domain/validate';

export interface StoredAnswerRef {
  dataset: Dataset;
  day: DeliveryDay;
  rawResponseId: number;
}

export async function assessStoredAnswer(
  pool: pg.Pool,
  { dataset, day, rawResponseId }: StoredAnswerRef,
  maxBodyBytes: number,
): Promise<Assessment> {
  const raw = await loadRawResponse(pool, rawResponseId, maxBodyBytes);
  if (!raw) throw new Error(`raw response ${rawResponseId} for ${day} is not in jao.raw_response`);
  if (raw.body === null) return refusedAssessment(day, raw.refused);
  const assessment = assessBody(day, raw.body);
  // Only a day with more new keys than a day may add needs to know which keys are new (domain/limits.ts).
  if (!assessment.rejections.some((r) => r.rule === 'too_many_keys')) return assessment;
  return assessBody(day, raw.body, { knownKeys: await readCatalogKeys(pool, dataset) });
}

/** A stored answer that is not processed (too large): the day is invalid, nothing of it is written. */
function refusedAssessment(day: DeliveryDay, reason: string): Assessment {
  return {
    status: 'invalid',
    validated: null,
    rejections: [],
    expectedMtus: expectedMtuCount(day, DEFAULT_RESOLUTION_MINUTES),
    reason,
    error: reason,
  };
}
