// The archive's format (docs/archive.md): where each object lives and what a journal entry holds. Version 1.
//
//   manifest.json                 {"format":"jao-archive","version":1}: written once, read before anything else
//   answers/<sha256>              the exact bytes of one raw answer as stored, named by their sha256 (hex)
//   answers/<sha256>.gz           the same bytes gzip-compressed, still named by the sha256 of the bytes as stored:
//                                 the answers of the datasets whose declaration says so (the flow-based domain's
//                                 days, megabytes of JSON each); version 1 readers read the others unchanged
//   journal/<YYYYMMDD>/<HHMMSSmmm>Z-<write_id>-<dataset>-<day>.json
//                                 one committed write of a day (JournalEntry), named by its transaction time (UTC),
//                                 so that listing the prefix gives the writes in the order they happened; one
//                                 folder per date of transaction times keeps each listing short
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
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

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const COMPRESSED_SUFFIX = '.gz';

/**
 * The object holding a raw answer's bytes: named by their own hash, so the same answer is stored once; `.gz` when it
 * holds them gzip-compressed.
 */
export const answerKey = (bodySha256: string, compressed = false): string =>
  `${ANSWERS_PREFIX}${bodySha256}${compressed ? COMPRESSED_SUFFIX : ''}`;

export const isCompressedAnswer = (key: string): boolean => key.endsWith(COMPRESSED_SUFFIX);

/** What an answer object holds for `bytes` as stored: the bytes, or the bytes gzip-compressed for a `.gz` key. */
export async function answerObjectBytes(key: string, bytes: Uint8Array): Promise<Uint8Array> {
  return isCompressedAnswer(key) ? gzipAsync(bytes) : bytes;
}

/**
 * The stored bytes an answer object holds, and whether they are the ones its name says: a `.gz` object is
 * decompressed first. `bytes` is null for an object that is not gzip (a damaged one).
 */
export async function readAnswerObject(
  key: string,
  object: Uint8Array,
): Promise<{ bytes: Uint8Array | null; matches: boolean; sha256: string | null }> {
  let bytes: Uint8Array = object;
  if (isCompressedAnswer(key)) {
    try {
      bytes = await gunzipAsync(object);
    } catch {
      return { bytes: null, matches: false, sha256: null };
    }
  }
  const sha256 = sha256Hex(bytes);
  return { bytes, matches: answerKey(sha256, isCompressedAnswer(key)) === key, sha256 };
}

const isoInstant = z.iso.datetime({ precision: 3 });
/** An instant as PostgreSQL keeps it, to the microsecond (fetch times come from the database clock). */
const isoMicros = z.iso.datetime();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The raw answer a write judged, as stored in jao.raw_response. */
export const archivedAnswerSchema = z.object({
  /** answers/<sha256 of the stored bytes>, with `.gz` when the object holds them gzip-compressed */
  object: z.string().startsWith(ANSWERS_PREFIX),
  /** jao.raw_response.sha256: of the whole answer (for a truncated one, of what was read, not of `object`). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  httpStatus: z.number().int(),
  request: z.object({ from: isoInstant, to: isoInstant }),
  answer: z.enum(['data', 'not_published', 'malformed', 'oversized', 'rejected']).nullable(),
  truncatedReason: z.string().nullable(),
  /** When this answer was first stored (jao.raw_response.fetched_at). */
  firstFetchedAt: isoMicros,
  /** When the fetch this write judged stored or met it (last_fetched_at at the write). */
  fetchedAt: isoMicros,
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

export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** 2026-04-20T08:15:30.123Z → 20260420/081530123Z: fixed width, so keys sort as instants. */
function compactInstant(iso: string): string {
  const compact = iso.replace(/[-:.]/g, '');
  return `${compact.slice(0, 8)}/${compact.slice(9)}`;
}

/** The journal object of a write: its instant first, then its id in the database that made it. */
export function journalKey(
  entry: Pick<JournalEntry, 'writtenAt' | 'dataset' | 'day'>,
  writeId: number,
): string {
  return `${JOURNAL_PREFIX}${compactInstant(entry.writtenAt)}-${String(writeId).padStart(12, '0')}-${entry.dataset}-${entry.day}.json`;
}

const JOURNAL_KEY = /^journal\/\d{8}\/\d{9}Z-\d{12}-([A-Za-z0-9_]+)-(\d{4}-\d{2}-\d{2})\.json$/;

/** journal/20260420/081530123Z-… → journal/20260420/: the folder of one date of transaction times. */
export const journalDateOf = (key: string): string => key.slice(0, JOURNAL_PREFIX.length + 9);

/** journal/20260420/ → journal/20260421/ */
export function nextJournalDate(folder: string): string {
  const compact = folder.slice(JOURNAL_PREFIX.length);
  const date = new Date(`${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return `${JOURNAL_PREFIX}${date.toISOString().slice(0, 10).replaceAll('-', '')}/`;
}

/** The dataset and day a journal key names, without reading it; null for a key that is not a journal entry. */
export function parseJournalKey(key: string): { dataset: string; day: string } | null {
  const match = JOURNAL_KEY.exec(key);
  return match ? { dataset: match[1]!, day: match[2]! } : null;
}

export function encodeEntry(entry: JournalEntry): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(entry)}\n`);
}

/** An object's bytes read as JSON; undefined when they are not JSON. */
export function jsonOf(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** Reads a journal object; a damaged one throws naming its key. */
export function decodeEntry(key: string, bytes: Uint8Array): JournalEntry {
  const json = jsonOf(bytes);
  if (json === undefined) throw new Error(`archive object ${key} is not JSON`);
  const parsed = journalEntrySchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`archive object ${key} is not a journal entry: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
