// What the streamed answers of the dataset routes (values, constraints) share around their bodies: their headers,
// the cache, the snapshot they are read in, and their end once the key that asked no longer reads the dataset.
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKey } from '../db/apiKeys';
import type { Dataset } from '../domain/datasets';
import { answerIfNotModified, etagOf, isSettled } from './caching';
import { readDaysMissing, type StoredRows, setDaysMissingHeader } from './daysMissing';
import type { KeyLoss } from './keyWatch';
import type { Format, MtuWindow } from './params';
import type { CachedAnswer } from './responseCache';
import { openSnapshot, type Snapshot } from './snapshot';
import type { RouteDeps } from './types';
import { CONTENT_TYPES } from './valueRows';
import type { WholeAnswer } from './valueStreams';

/** The content type of `format`; CSV is shown inline under `csvFileName`. */
export function setAnswerHeaders(reply: FastifyReply, format: Format, csvFileName: string): void {
  reply.header('content-type', CONTENT_TYPES[format]);
  if (format === 'csv') reply.header('content-disposition', `inline; filename="${csvFileName}"`);
}

/** A long answer ends (its connection is cut) once its key is revoked or no longer reads the dataset. */
export function cutOnKeyLoss(
  deps: RouteDeps,
  key: ApiKey | null,
  dataset: Dataset,
  res: ServerResponse,
  log: (loss: KeyLoss) => void,
): void {
  if (!key) return;
  const unwatch = deps.keyWatch.watch(key, dataset, (loss) => {
    log(loss);
    res.destroy();
  });
  res.once('close', unwatch);
}

export function sendCached(reply: FastifyReply, format: Format, csvFileName: string, cached: CachedAnswer) {
  setAnswerHeaders(reply, format, csvFileName);
  setDaysMissingHeader(reply, cached.daysMissing);
  reply.header('x-cache', 'hit');
  return reply.send(cached.body);
}

export interface StreamedAnswer {
  rows: StoredRows;
  dataset: Dataset;
  from: string;
  to: string;
  asOf: Date | null;
  window: MtuWindow | null;
  format: Format;
  csvFileName: string;
  /** The request's canonical parts, which its ETag names. */
  parts: readonly unknown[];
  /** What is checked in the snapshot before anything is answered (values: the borders asked for). */
  check?: (snapshot: Snapshot) => Promise<void>;
  body(snapshot: Snapshot, whole: WholeAnswer, daysMissing: string[]): Promise<Readable>;
}

/**
 * The answer in one snapshot: 304 when the client's copy is current, the cached answer when there is one, else the
 * body after the Jao-Days-Missing header, kept when whole and small enough.
 */
export async function sendStreamed(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  answer: StreamedAnswer,
): Promise<FastifyReply> {
  const snapshot = await openSnapshot(deps.pool);
  try {
    await answer.check?.(snapshot);
    const settled = isSettled(answer.asOf ?? undefined, snapshot.version);
    const etag = etagOf(answer.parts, settled ? null : snapshot.version);
    if (answerIfNotModified(request, reply, etag, settled)) {
      await snapshot.end();
      return reply;
    }
    const cached = deps.responses.answer(etag);
    if (cached) {
      await snapshot.end();
      return sendCached(reply, answer.format, answer.csvFileName, cached);
    }
    setAnswerHeaders(reply, answer.format, answer.csvFileName);
    reply.header('x-cache', 'miss');
    const { rows, dataset, from, to, asOf, window } = answer;
    const daysMissing = await readDaysMissing(snapshot.client, rows, dataset, from, to, asOf, window);
    setDaysMissingHeader(reply, daysMissing);
    const whole = {
      maxBytes: deps.responses.maxEntryBytes,
      keep: (body: Buffer) => deps.responses.set(etag, body, daysMissing),
    };
    const body = await answer.body(snapshot, whole, daysMissing);
    cutOnKeyLoss(deps, request.apiKey, dataset, reply.raw, (loss) =>
      request.log.info({ keyId: request.apiKey?.id, loss }, `${rows} answer cut: its key no longer reads it`),
    );
    // A stream is sent as it is: the response schema documents its rows, it does not serialize them.
    return reply.send(body);
  } catch (error) {
    await snapshot.end(error);
    throw error;
  }
}
