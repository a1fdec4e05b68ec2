// What the streamed answers of the dataset routes (values, constraints) share around their bodies: their headers,
// and their end once the key that asked no longer reads the dataset.
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { ApiKey } from '../db/apiKeys';
import type { Dataset } from '../domain/datasets';
import type { KeyLoss } from './keyWatch';
import type { Format } from './params';
import type { RouteDeps } from './types';
import { CONTENT_TYPES } from './valueRows';

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
