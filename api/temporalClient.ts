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

/** 503 with Retry-After, saying what is unknown while Temporal does not answer. */
export function serviceUnavailable(reply: FastifyReply, message: string) {
  return reply
    .code(503)
    .header('retry-after', '5')
    .send({ statusCode: 503, error: 'Service Unavailable', message });
}

/** 503 with what Temporal did not do, logged; any other failure is the error handler's. */
export function temporalFailure(reply: FastifyReply, request: FastifyRequest, error: unknown) {
  if (!(error instanceof TemporalUnavailable)) throw error;
  request.log.warn(error.message);
  return serviceUnavailable(reply, error.message);
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
