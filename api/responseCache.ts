// Whole answers kept by their ETag. An ETag names the request's canonical parts and the data version of the
// snapshot the answer was read in (api/caching.ts), and every committed write moves that version: an answer found
// here is byte for byte what the database would give now. Small answers only (a day of every border is about
// 0.6 MB of JSON); the least recently used go first once the byte budget is spent.

export const RESPONSE_CACHE_BYTES = 32 * 2 ** 20;
export const RESPONSE_CACHE_ENTRY_BYTES = 2 * 2 ** 20;

export class ResponseCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(
    readonly maxBytes = RESPONSE_CACHE_BYTES,
    readonly maxEntryBytes = RESPONSE_CACHE_ENTRY_BYTES,
  ) {}

  get(etag: string): Buffer | undefined {
    const body = this.entries.get(etag);
    if (body) {
      this.entries.delete(etag);
      this.entries.set(etag, body);
    }
    return body;
  }

  set(etag: string, body: Buffer): void {
    if (body.length > this.maxEntryBytes || body.length > this.maxBytes) return;
    this.delete(etag);
    this.entries.set(etag, body);
    this.bytes += body.length;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private delete(etag: string): void {
    const body = this.entries.get(etag);
    if (!body) return;
    this.entries.delete(etag);
    this.bytes -= body.length;
  }
}
