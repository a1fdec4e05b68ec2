// The words of the page's facts (page/client/pageFacts.ts): tomorrow's freshness and a backfill's progress. Pure
// (no DOM): test/unit/operatorPage.test.ts.

import type { BackfillInProgress, TomorrowFreshness } from '../../domain/apiAnswers';
import { jaoWordText } from './dayFacts';

/** The freshness line's text; `instantText` writes an instant (dom.ts instantText on the page). */
export function freshnessText(facts: TomorrowFreshness, instantText: (iso: string | null) => string): string {
  const status = facts.status.replace('_', ' ');
  const due = `due ${instantText(facts.deadline)}`;
  // JAO's own word on tomorrow, where its monitoring listed a declared step (docs/monitoring.md).
  const word =
    facts.jao_word && facts.jao_word.state !== 'unknown'
      ? ` JAO's word: ${jaoWordText(facts.jao_word, instantText)}.`
      : '';
  if (!facts.published)
    return `Tomorrow ${facts.day}: not published yet (${status}), ${due}${facts.late ? ' — LATE' : ''}.${word}`;
  const latency =
    facts.publication_to_stored_seconds !== null
      ? `publication → stored ≤ ${secondsText(facts.publication_to_stored_seconds)}`
      : facts.stored_at
        ? `stored ${instantText(facts.stored_at)} (publication not watched)`
        : 'not stored complete yet';
  return `Tomorrow ${facts.day}: published (first seen ${instantText(facts.seen_at)}), ${status}, ${latency}; ${due}${facts.late ? ' — LATE' : ''}.${word}`;
}

const secondsText = (value: number) =>
  value < 90 ? `${value.toFixed(value < 10 ? 1 : 0)} s` : `${Math.round(value / 60)} min`;

/** A backfill's progress as a share (0..1) and words. Pure. */
export function backfillText(backfill: BackfillInProgress): { share: number | null; text: string } {
  const progress = backfill.progress;
  if (!progress) return { share: null, text: 'progress unknown (its worker did not answer)' };
  const notComplete = progress.failedDays.length;
  return {
    share: progress.total > 0 ? progress.done / progress.total : 1,
    text:
      `${progress.done} of ${progress.total} days done, ${progress.running} running` +
      (notComplete ? `, ${notComplete} failed, invalid or partial` : ''),
  };
}
