// The API's connection to Temporal: opened on first use, and dropped when Temporal stops answering, so that the next
// request connects again. Routes answer 503 to TemporalUnavailable, never an empty answer.
import { Client, type Connection } from '@temporalio/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { connectTemporal, isTemporalUnreachable } from '../common/temporal';
import { TemporalSettingRefused } from '../common/temporalConnect';
import type { TemporalSettings } from '../common/temporalSettings';

export type { TemporalSettings } from '../common/temporalSettings';

/** Temporal did not answer, or is not configured: the caller answers 503. */
export class TemporalUnavailable extends Error {
  override name = 'TemporalUnavailable';
}

/** 503 saying what is unknown while Temporal does not answer; with Retry-After unless `retryAfter` is false. */
function serviceUnavailable(reply: FastifyReply, message: string, retryAfter = true) {
  if (retryAfter) reply.header('retry-after', '5');
  return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message });
}

/**
 * What `answer` makes of `source` (what asks Temporal), or 503: without a source (TEMPORAL_ADDRESS unset; Retry-After
 * unless `retryWithout` is false), or with what Temporal did not do, logged (TemporalUnavailable). Any other failure
 * is the error handler's.
 */
export async function askTemporal<Source, Answer>(
  request: FastifyRequest,
  reply: FastifyReply,
  source: Source | null | undefined,
  answer: (source: Source) => Promise<Answer>,
  retryWithout = true,
) {
  if (!source)
    return serviceUnavailable(reply, 'this API has no Temporal to ask (TEMPORAL_ADDRESS)', retryWithout);
  try {
    return await answer(source);
  } catch (error) {
    if (!(error instanceof TemporalUnavailable)) throw error;
    request.log.warn(error.message);
    return serviceUnavailable(reply, error.message);
  }
}

/** The first line of an error's message. */
export function firstLineOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

export class LazyTemporalClient {
  private connection: Promise<Connection> | null = null;

  constructor(readonly settings: TemporalSettings) {}

  /**
   * Runs `act` with a client of the settings' namespace. Temporal not answering, at the connection or during `act`,
   * becomes TemporalUnavailable saying what `did` not happen; any other error passes through.
   */
  async use<T>(did: string, act: (client: Client) => Promise<T>): Promise<T> {
    let connection: Connection;
    try {
      // Each new connection reads the TLS files again: a rotated certificate is taken on the next reconnect.
      this.connection ??= connectTemporal(this.settings, { connectTimeoutMs: 3_000 });
      connection = await this.connection;
    } catch (error) {
      this.connection = null;
      // The lines of common/temporalConnect.ts name the setting to fix, and never a secret.
      throw new TemporalUnavailable(
        error instanceof TemporalSettingRefused
          ? `Temporal refused this API's connection: ${firstLineOf(error)}`
          : firstLineOf(error),
      );
    }
    try {
      return await act(new Client({ connection, namespace: this.settings.namespace }));
    } catch (error) {
      if (!isTemporalUnreachable(error)) throw error;
      this.connection = null;
      await connection.close().catch(() => {});
      throw new TemporalUnavailable(
        `Temporal at ${this.settings.address} (namespace ${this.settings.namespace}) ${did}: ${firstLineOf(error)}`,
      );
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (connection) await (await connection.catch(() => null))?.close();
  }
}
