import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import Cursor from 'pg-cursor';
import { z } from 'zod';
import type { ApiKey } from '../../db/apiKeys';
import type { Dataset } from '../../domain/datasets';
import { DATASET_IN_PATH } from '../auth';
import { answerIfNotModified, etagOf, isSettled } from '../caching';
import { ApiInputError } from '../errors';
import type { KeyLoss } from '../keyWatch';
import { borderList, checkDayRange, datasetParams, type Format, valuesQuery } from '../params';
import { openSnapshot, type Snapshot } from '../snapshot';
import { type ApiApp, DATASETS_TAG, type RouteDeps, SECURITY } from '../types';
import { CONTENT_TYPES, RowFormatter, valuesQuery as valuesSqlQuery } from '../valueRows';
import { DATASET_REFUSALS } from './datasets';

/** Rows read from the cursor at a time: a few hundred kB of text, whatever the size of the answer. */
const BATCH_ROWS = 4_000;

const valueRow = z.object({
  mtu: z.string().describe('UTC start of the MTU, ISO-8601'),
  delivery_day: z.string().describe('Europe/Amsterdam delivery day'),
  border: z.string(),
  from_zone: z.string(),
  to_zone: z.string(),
  value_mw: z.number(),
  revision: z.number().int(),
  first_seen_at: z.string(),
  updated_at: z.string().describe('when this version became current'),
});

export function registerValuesRoute(app: ApiApp, deps: RouteDeps): void {
  app.get(
    '/v1/datasets/:dataset/values',
    {
      config: { dataset: DATASET_IN_PATH },
      schema: {
        operationId: 'listValues',
        summary: 'Values of the delivery days from..to (streamed)',
        description:
          'For maxExchanges jao.max_exchanges, or with as_of jao.max_exchanges_as_of; for another dataset ' +
          'jao.dataset_values (or jao.dataset_values_as_of) of that dataset: ordered by MTU and border; json, ndjson ' +
          'or csv. An undeclared dataset is answered 404 listing the known ones.',
        tags: [DATASETS_TAG],
        security: SECURITY,
        params: datasetParams,
        querystring: valuesQuery,
        response: { 200: z.array(valueRow), ...DATASET_REFUSALS },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const { dataset } = request.params;
      checkDayRange(dataset, query.from, query.to, deps.maxRangeDays);
      const borders = borderList(query.border);
      const parts = [
        'values',
        dataset,
        query.from,
        query.to,
        borders,
        query.as_of?.toISOString() ?? null,
        query.format,
      ];
      // An answer already in the cache is sent after a read of the data version begun after this request arrived,
      // without a transaction: its ETag names that version, so it is byte for byte what a snapshot would read now
      // (its borders were checked when it was read).
      const current = await deps.currentVersion.read();
      const currentSettled = isSettled(query.as_of, current);
      const currentEtag = etagOf(parts, currentSettled ? null : current);
      const hit = deps.responses.get(currentEtag);
      if (hit) {
        if (answerIfNotModified(request, reply, currentEtag, currentSettled)) return reply;
        setAnswerHeaders(reply, dataset, query.format, query.from, query.to);
        reply.header('x-cache', 'hit');
        return (reply as FastifyReply).send(hit);
      }
      const snapshot = await openSnapshot(deps.pool);
      try {
        if (borders) {
          const known = await deps.catalogue.knownBorders(snapshot.client, snapshot.version, dataset);
          const unknown = borders.find((border) => !known.has(border));
          if (unknown) throw new ApiInputError('border', `unknown border ${unknown}`);
        }
        const settled = isSettled(query.as_of, snapshot.version);
        const etag = etagOf(parts, settled ? null : snapshot.version);
        if (answerIfNotModified(request, reply, etag, settled)) {
          await snapshot.end();
          return reply;
        }
        setAnswerHeaders(reply, dataset, query.format, query.from, query.to);
        const cached = deps.responses.get(etag);
        if (cached) {
          await snapshot.end();
          reply.header('x-cache', 'hit');
          return (reply as FastifyReply).send(cached);
        }
        reply.header('x-cache', 'miss');
        const body = await streamValues(
          snapshot,
          valuesSqlQuery(dataset, query.from, query.to, borders, query.as_of ?? null),
          query.format,
          { maxBytes: deps.responses.maxEntryBytes, keep: (whole) => deps.responses.set(etag, whole) },
        );
        cutOnKeyLoss(deps, request.apiKey, dataset, reply.raw, (loss) =>
          request.log.info(
            { keyId: request.apiKey?.id, loss },
            'values answer cut: its key no longer reads it',
          ),
        );
        // A stream is sent as it is: the response schema documents its rows, it does not serialize them.
        return (reply as FastifyReply).send(body);
      } catch (error) {
        await snapshot.end(error);
        throw error;
      }
    },
  );
}

function setAnswerHeaders(
  reply: FastifyReply,
  dataset: Dataset,
  format: Format,
  from: string,
  to: string,
): void {
  reply.header('content-type', CONTENT_TYPES[format]);
  if (format === 'csv')
    reply.header('content-disposition', `inline; filename="${dataset}_${from}_${to}.csv"`);
}

/** A long answer ends (its connection is cut) once its key is revoked or no longer reads the dataset. */
function cutOnKeyLoss(
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

/** An answer of at most `maxBytes`, once streamed to its end, is handed to `keep` whole (the response cache). */
interface WholeAnswer {
  maxBytes: number;
  keep(body: Buffer): void;
}

/** Collects an answer's chunks for WholeAnswer while it stays small enough; gives up beyond. */
class AnswerKeeper {
  private chunks: string[] | null = [];
  private bytes = 0;
  constructor(private readonly whole: WholeAnswer) {}

  add(chunk: string): string {
    if (this.chunks === null) return chunk;
    this.bytes += Buffer.byteLength(chunk);
    if (this.bytes > this.whole.maxBytes) this.chunks = null;
    else this.chunks.push(chunk);
    return chunk;
  }

  finish(): void {
    if (this.chunks !== null) this.whole.keep(Buffer.from(this.chunks.join('')));
  }
}

/**
 * The answer as a stream read from a server-side cursor, BATCH_ROWS at a time, with backpressure: memory stays
 * flat however many rows. The first batch is read before answering, so a failing query is still a 500.
 */
async function streamValues(
  snapshot: Snapshot,
  query: { text: string; values: unknown[] },
  format: 'json' | 'ndjson' | 'csv',
  whole: WholeAnswer,
): Promise<Readable> {
  const cursor = snapshot.client.query(new Cursor<string[]>(query.text, query.values, { rowMode: 'array' }));
  const first = await cursor.read(BATCH_ROWS);
  const formatter = new RowFormatter(format);
  let started = false;
  let closed = false;
  const close = async (failure?: unknown) => {
    if (closed) return;
    closed = true;
    await cursor.close().catch(() => {});
    await snapshot.end(failure);
  };
  async function* chunks(): AsyncGenerator<string> {
    started = true;
    let failure: unknown;
    const keeper = new AnswerKeeper(whole);
    // The next batch is asked for before this one is formatted and sent: the server reads it meanwhile.
    const readAhead = (batch: string[][]) => {
      if (batch.length < BATCH_ROWS) return null;
      const next = cursor.read(BATCH_ROWS);
      next.catch(() => {}); // awaited below; an answer abandoned before that has no use for its failure
      return next;
    };
    try {
      let rows = first;
      let next = readAhead(rows);
      yield keeper.add(formatter.start());
      while (rows.length > 0) {
        yield keeper.add(formatter.batch(rows));
        if (next === null) break;
        rows = await next;
        next = readAhead(rows);
      }
      yield keeper.add(formatter.end());
      keeper.finish();
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      await close(failure);
    }
  }
  const stream = Readable.from(chunks(), { objectMode: false });
  // A client gone before the first chunk was asked for: the generator never runs, its finally neither.
  stream.on('close', () => {
    if (!started) void close();
  });
  return stream;
}
