// The archive's format (docs/archive.md): where each object lives and what a journal entry holds. Version 1.
//
//   manifest.json                 {"format":"jao-archive","version":1}: written once, read before anything else
//   answers/<sha256>              the exact bytes of one raw answer as stored, named by their sha256 (hex)
//   journal/<written_at>-<write_id>-<dataset>-<day>.json
//                                 one committed write of a day (JournalEntry), named by its transaction time, so
//                                 that listing the prefix gives the writes in the order they happened
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DATASETS } from '../domain/types';

export const ARCHIVE_FORMAT = 'jao-archive';
export const ARCHIVE_VERSION = 1;
export const MANIFEST_KEY = 'manifest.json';
export const ANSWERS_PREFIX = 'answers/';
export const JOURNAL_PREFIX = 'journal/';

export const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
});
export const MANIFEST_BYTES = new TextEncoder().encode(
  `${JSON.stringify({ format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION })}\n`,
);

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The object holding a raw answer's bytes: named by their own hash, so the same answer is stored once. */
export const answerKey = (bodySha256: string): string => `${ANSWERS_PREFIX}${bodySha256}`;

const isoInstant = z.iso.datetime({ precision: 3 });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The raw answer a write judged, as stored in jao.raw_response. */
export const archivedAnswerSchema = z.object({
  /** answers/<sha256 of the stored bytes> */
  object: z.string().startsWith(ANSWERS_PREFIX),
  /** jao.raw_response.sha256: of the whole answer (for a truncated one, of what was read, not of `object`). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  httpStatus: z.number().int(),
  request: z.object({ from: isoInstant, to: isoInstant }),
  answer: z.enum(['data', 'not_published', 'malformed', 'oversized', 'rejected']).nullable(),
  truncatedReason: z.string().nullable(),
  /** When this answer was first stored (jao.raw_response.fetched_at). */
  firstFetchedAt: isoInstant,
  /** When the fetch this write judged stored or met it (last_fetched_at at the write). */
  fetchedAt: isoInstant,
});

/** One committed write of a day: enough to repeat it, at its transaction time, from its answer. */
export const journalEntrySchema = z.object({
  version: z.literal(ARCHIVE_VERSION),
  dataset: z.enum(DATASETS),
  day,
  /** The write's transaction time: valid_from of the values it changed, derived_at of its derivation. */
  writtenAt: isoInstant,
  kind: z.enum(['fetch', 'reprocess', 'failure']),
  status: z.enum(['not_published', 'complete', 'partial', 'invalid', 'failed']),
  expectedMtus: z.number().int().nonnegative(),
  workflowId: z.string().nullable(),
  buildId: z.string().nullable(),
  error: z.string().nullable(),
  reason: z.string().nullable(),
  derivation: z.object({ kind: z.enum(['fetch', 'reprocess']), reason: z.string() }),
  /** null: a recorded failure, which judged no answer. */
  answer: archivedAnswerSchema.nullable(),
});

export type ArchivedAnswer = z.infer<typeof archivedAnswerSchema>;
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** 2026-04-20T08:15:30.123Z → 20260420T081530123Z: fixed width, so keys sort as instants. */
function compactInstant(iso: string): string {
  return iso.replace(/[-:.]/g, '');
}

/** The journal object of a write: its instant first, then its id in the database that made it. */
export function journalKey(
  entry: Pick<JournalEntry, 'writtenAt' | 'dataset' | 'day'>,
  writeId: number,
): string {
  return `${JOURNAL_PREFIX}${compactInstant(entry.writtenAt)}-${String(writeId).padStart(12, '0')}-${entry.dataset}-${entry.day}.json`;
}

const JOURNAL_KEY = /^journal\/\d{8}T\d{9}Z-\d{12}-([A-Za-z0-9_]+)-(\d{4}-\d{2}-\d{2})\.json$/;

/** The dataset and day a journal key names, without reading it; null for a key that is not a journal entry. */
export function parseJournalKey(key: string): { dataset: string; day: string } | null {
  const match = JOURNAL_KEY.exec(key);
  return match ? { dataset: match[1]!, day: match[2]! } : null;
}

export function encodeEntry(entry: JournalEntry): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(entry)}\n`);
}

/** Reads a journal object; a damaged one throws naming its key. */
export function decodeEntry(key: string, bytes: Uint8Array): JournalEntry {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error(`archive object ${key} is not JSON`);
  }
  const parsed = journalEntrySchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`archive object ${key} is not a journal entry: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
