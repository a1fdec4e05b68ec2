import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataVersion } from './snapshot';

/**
 * Longer than any write transaction (lock and statement timeouts, db/locks.ts): a value version whose
 * valid_from is older than this has committed, so an answer as of an instant this old can no longer change.
 */
export const SETTLED_AFTER_MS = 5 * 60_000;

export const MUTABLE_CACHE_CONTROL = 'private, no-cache';
export const IMMUTABLE_CACHE_CONTROL = 'private, max-age=31536000, immutable';

/** An answer as of `asOf` can no longer change: settled, and before the latest write. */
export function isSettled(asOf: Date | undefined, version: DataVersion): boolean {
  if (!asOf || !version.lastWriteAt) return false;
  return (
    asOf.getTime() <= version.lastWriteAt.getTime() &&
    asOf.getTime() <= version.now.getTime() - SETTLED_AFTER_MS
  );
}

/** A strong ETag of an answer: its request's canonical parts and, unless settled, the data version. */
export function etagOf(parts: readonly unknown[], version: DataVersion | null): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([...parts, version?.tag ?? 'settled']))
    .digest('base64url')
    .slice(0, 27);
  return `"${hash}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * Sets ETag and Cache-Control; answers 304 (and returns true) when the client's copy is current.
 */
export function answerIfNotModified(
  request: FastifyRequest,
  reply: FastifyReply,
  etag: string,
  settled: boolean,
): boolean {
  reply.header('etag', etag);
  reply.header('cache-control', settled ? IMMUTABLE_CACHE_CONTROL : MUTABLE_CACHE_CONTROL);
  reply.header('vary', 'Authorization');
  if (!matches(request.headers['if-none-match'], etag)) return false;
  reply.code(304).send();
  return true;
}
