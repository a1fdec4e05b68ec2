import { describe, expect, it } from 'vitest';
import {
  decodeEntry,
  encodeEntry,
  type JournalEntry,
  journalDateOf,
  journalKey,
  nextJournalDate,
  parseJournalKey,
} from '../../archive/format';

const entry = (writtenAt: string, day = '2024-03-31'): JournalEntry => ({
  version: 1,
  dataset: 'maxExchanges',
  day,
  writtenAt,
  kind: 'failure',
  status: 'failed',
  expectedMtus: 23,
  workflowId: 'maxExchanges/day/2024-03-31',
  buildId: null,
  error: 'JAO unavailable',
  reason: null,
  derivation: { kind: 'fetch', reason: 'written without a stored raw answer' },
  answer: null,
});

describe('archive format', () => {
  it('names a journal entry by its instant, so keys sort as the writes happened', () => {
    const early = journalKey(entry('2024-03-30T23:59:59.999Z'), 12);
    const late = journalKey(entry('2024-03-31T00:00:00.000Z'), 3);
    expect(early).toBe('journal/20240330/235959999Z-000000000012-maxExchanges-2024-03-31.json');
    expect([late, early].sort()).toEqual([early, late]);
    expect(parseJournalKey(late)).toEqual({ dataset: 'maxExchanges', day: '2024-03-31' });
    expect(parseJournalKey('answers/ab')).toBeNull();
  });

  it('walks the folders of transaction dates across a month and a year', () => {
    const key = journalKey(entry('2024-12-31T10:00:00.000Z'), 1);
    expect(journalDateOf(key)).toBe('journal/20241231/');
    expect(nextJournalDate('journal/20241231/')).toBe('journal/20250101/');
    expect(nextJournalDate('journal/20240228/')).toBe('journal/20240229/');
  });

  it('reads back what it wrote and names a damaged object', () => {
    const written = entry('2024-03-31T08:00:00.123Z');
    expect(decodeEntry('k', encodeEntry(written))).toEqual(written);
    expect(() => decodeEntry('journal/x.json', new TextEncoder().encode('{"version":2}'))).toThrow(
      /journal\/x\.json is not a journal entry/,
    );
    expect(() => decodeEntry('journal/y.json', new TextEncoder().encode('<html>'))).toThrow(/not JSON/);
  });
});
