import { LRUCache } from 'lru-cache';

// Whole answers kept by their ETag. An ETag names the request's canonical parts and the data version of the
// snapshot the answer was read in (api/snapshot.ts), and every committed write moves that version: an answer found
// here is byte for byte what the database would give now. Small answers only (a day of every border is about
// 0.6 MB of JSON); the least recently used go first once the byte budget is spent.

export const RESPONSE_CACHE_BYTES = 32 * 2 ** 20;
export const RESPONSE_CACHE_ENTRY_BYTES = 2 * 2 ** 20;

/** A whole answer and the delivery days of its range that were not stored (its Jao-Days-Missing header). */
export interface CachedAnswer {
  body: Buffer;
  daysMissing: readonly string[];
}

export class ResponseCache {
  private readonly entries: LRUCache<string, CachedAnswer>;

  constructor(
    readonly maxBytes = RESPONSE_CACHE_BYTES,
    readonly maxEntryBytes = RESPONSE_CACHE_ENTRY_BYTES,
  ) {
    this.entries = new LRUCache<string, CachedAnswer>({
      maxSize: maxBytes,
      maxEntrySize: Math.min(maxEntryBytes, maxBytes),
      // lru-cache counts sizes from 1: an empty answer is kept as one byte.
      sizeCalculation: (answer) => Math.max(answer.body.length, 1),
    });
  }

  get(etag: string): Buffer | undefined {
    return this.entries.get(etag)?.body;
  }

  /** The answer kept under `etag` with its missing days. */
  answer(etag: string): CachedAnswer | undefined {
    return this.entries.get(etag);
  }

  set(etag: string, body: Buffer, daysMissing: readonly string[] = []): void {
    this.entries.set(etag, { body, daysMissing });
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }
}
