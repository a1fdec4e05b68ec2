import type pg from 'pg';

/** The parts of node-postgres' connection a COPY FROM STDIN needs (present on pg.Connection, untyped). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/**
 * `COPY … FROM STDIN` with node-postgres alone (no pg-copy-streams): a minimal Submittable that sends the
 * given chunks once the server asks for data. Resolves with the number of rows copied.
 */
export function copyFrom(
  client: pg.ClientBase,
  sql: string,
  chunks: Iterable<string | Buffer>,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let rows = 0;
    let failed = false;
    const submittable = {
      submit(connection: pg.Connection) {
        (connection as unknown as CopyConnection).query(sql);
      },
      handleCopyInResponse(connection: pg.Connection) {
        const copy = connection as unknown as CopyConnection;
        try {
          for (const chunk of chunks)
            copy.sendCopyFromChunk(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
          copy.endCopyFrom();
        } catch (error) {
          copy.sendCopyFail(error instanceof Error ? error.message : String(error));
        }
      },
      handleCommandComplete(message: { text?: string }) {
        const match = /(\d+)$/.exec(message.text ?? '');
        rows = match ? Number(match[1]) : 0;
      },
      handleReadyForQuery() {
        if (!failed) resolve(rows);
      },
      handleError(error: Error) {
        failed = true;
        reject(error);
      },
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
      handleCopyData() {},
    };
    client.query(submittable as pg.Submittable);
  });
}
