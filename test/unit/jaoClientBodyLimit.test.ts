// The client reads at most JAO_MAX_BODY_BYTES of an answer, as it streams in; beyond that it stops reading.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KEPT_PREFIX_BYTES, MAX_ROWS_PER_ANSWER } from '../../domain/bodyLimit';
import { fetchDay } from '../../source/jaoClient';

const CHUNK = 64 * 1024;

/** A body of `total` bytes produced chunk by chunk on demand, counting how much was pulled. */
function streamedBody(total: number) {
  const pulled = { bytes: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) return controller.close();
      const chunk = new Uint8Array(Math.min(CHUNK, total - pulled.bytes)).fill(0x20);
      if (pulled.bytes === 0) chunk.set(Buffer.from('{"data":['));
      pulled.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      pulled.cancelled = true;
    },
  });
  return { stream, pulled };
}

const answering = (response: () => Response) => ({
  baseUrl: 'https://jao.test',
  timeoutMs: 5_000,
  maxBodyBytes: 1024 * 1024,
  fetchImpl: (async () => response()) as typeof fetch,
});

describe('JAO client body limit', () => {
  it('stops reading a 60 MB answer just past the limit and keeps its beginning', async () => {
    const { stream, pulled } = streamedBody(60 * 1024 * 1024);
    const outcome = await fetchDay(
      answering(() => new Response(stream, { status: 200 })),
      '2025-09-01',
    );
    expect(outcome.kind).toBe('oversized');
    if (outcome.kind !== 'oversized') return;
    expect(pulled.cancelled).toBe(true);
    expect(pulled.bytes).toBeLessThanOrEqual(1024 * 1024 + 2 * CHUNK);
    expect(outcome.receivedBytes).toBeGreaterThan(1024 * 1024);
    expect(outcome.prefix.length).toBe(KEPT_PREFIX_BYTES);
    expect(outcome.prefix.subarray(0, 9).toString()).toBe('{"data":[');
    expect(outcome.declaredBytes).toBeNull();
    expect(outcome.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(outcome.reason).toBe(
      `answer larger than JAO_MAX_BODY_BYTES (1.0 MiB): reading stopped after ${(outcome.receivedBytes / 1024 / 1024).toFixed(1)} MiB`,
    );
  });

  it('reads only the beginning when Content-Length announces more than the limit', async () => {
    const { stream, pulled } = streamedBody(60 * 1024 * 1024);
    const headers = { 'content-length': String(60 * 1024 * 1024) };
    const outcome = await fetchDay(
      answering(() => new Response(stream, { status: 200, headers })),
      '2025-09-01',
    );
    expect(outcome).toMatchObject({ kind: 'oversized', declaredBytes: 60 * 1024 * 1024 });
    expect(pulled.bytes).toBeLessThanOrEqual(KEPT_PREFIX_BYTES + CHUNK);
    if (outcome.kind !== 'oversized') return;
    expect(outcome.sha256).toBe(createHash('sha256').update(outcome.prefix).digest('hex'));
    expect(outcome.reason).toContain('60.0 MiB announced');
  });

  it('reads an answer at the limit whole', async () => {
    const body = `{"data":[],"rejected":false,"messages":null}${' '.repeat(1024 * 1024 - 44)}`;
    expect(Buffer.byteLength(body)).toBe(1024 * 1024);
    const outcome = await fetchDay(
      answering(() => new Response(body, { status: 200 })),
      '2025-09-01',
    );
    expect(outcome.kind).toBe('not_published');
  });

  it('cuts an oversized error body to the reason, without reading it all', async () => {
    const { stream, pulled } = streamedBody(60 * 1024 * 1024);
    const outcome = await fetchDay(
      answering(() => new Response(stream, { status: 503 })),
      '2025-09-01',
    );
    expect(outcome.kind).toBe('retryable');
    expect(pulled.bytes).toBeLessThanOrEqual(1024 * 1024 + 2 * CHUNK);
  });

  it('refuses an answer of absurdly many rows as not one day of data', async () => {
    const rows = new Array(MAX_ROWS_PER_ANSWER + 1).fill('{}').join(',');
    const body = `{"data":[${rows}],"rejected":false,"messages":null}`;
    const outcome = await fetchDay(
      answering(() => new Response(body, { status: 200 })),
      '2025-09-01',
    );
    expect(outcome).toMatchObject({
      kind: 'malformed',
      reason: `not a JAO envelope: data: more than ${MAX_ROWS_PER_ANSWER} rows: not one day of data`,
    });
  });
});
