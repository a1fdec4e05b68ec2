import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';

/**
 * `COPY … FROM STDIN` through pg-copy-streams: the chunks are streamed to the server (with back-pressure)
 * once it asks for data. Resolves with the number of rows copied; a failed COPY rejects with the server's
 * error, and the client stays usable for the rollback.
 */
export async function copyFrom(
  client: pg.ClientBase,
  sql: string,
  chunks: Iterable<string | Buffer>,
): Promise<number> {
  const stream = client.query(copyFromStdin(sql));
  await pipeline(Readable.from(chunks, { objectMode: false }), stream);
  return stream.rowCount;
}

/** Binary COPY rows (without header and trailer) by their `COPY … FROM STDIN (FORMAT binary)` statement. */
export type PendingCopies = Map<string, Buffer[]>;

/** The rows of each statement of `pending` copied, with one COPY a statement. */
export async function copyPending(client: pg.ClientBase, pending: PendingCopies): Promise<void> {
  for (const [sql, rows] of pending)
    await copyFrom(client, sql, [BINARY_COPY_HEADER, ...rows, BINARY_COPY_TRAILER]);
}

/** Milliseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01T00:00:00Z). */
const PG_EPOCH_MS = 946_684_800_000;

/**
 * A timestamptz in COPY's binary format (microseconds since 2000, a big-endian int64) as its high (signed)
 * and low (unsigned) 32-bit words. Exact: microseconds of any realistic instant stay below 2^53.
 */
export function binaryTimestampWords(ms: number): [high: number, low: number] {
  const micros = (ms - PG_EPOCH_MS) * 1000;
  const high = Math.floor(micros / 4_294_967_296);
  return [high, micros - high * 4_294_967_296];
}

/** A date in COPY's binary format: days since 2000-01-01, a big-endian int32. */
export function binaryDateDays(day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - PG_EPOCH_MS) / 86_400_000);
}

/** Header (signature, flags, extension length) and trailer of `COPY … (FORMAT binary)` data. */
export const BINARY_COPY_HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
export const BINARY_COPY_TRAILER = Buffer.from([0xff, 0xff]);

/**
 * A one-dimensional array without nulls in PostgreSQL's binary format, for a query parameter
 * (node-postgres sends a Buffer parameter as binary): the server reads it without parsing any text.
 */
function binaryArray(
  elementOid: number,
  elementBytes: number,
  count: number,
  write: (view: DataView, offset: number, index: number) => void,
): Buffer {
  const buffer = Buffer.allocUnsafe(20 + count * (4 + elementBytes));
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  view.setInt32(0, 1); // dimensions
  view.setInt32(4, 0); // no nulls
  view.setInt32(8, elementOid);
  view.setInt32(12, count);
  view.setInt32(16, 1); // lower bound
  let offset = 20;
  for (let i = 0; i < count; i += 1) {
    view.setInt32(offset, elementBytes);
    write(view, offset + 4, i);
    offset += 4 + elementBytes;
  }
  return buffer;
}

/** `int4[]` as a binary parameter (every value an integer within int4). */
export function binaryInt4Array(values: ArrayLike<number>): Buffer {
  return binaryArray(23, 4, values.length, (view, offset, i) => view.setInt32(offset, values[i]!));
}

/** `float8[]` as a binary parameter. */
export function binaryFloat8Array(values: ArrayLike<number>): Buffer {
  return binaryArray(701, 8, values.length, (view, offset, i) => view.setFloat64(offset, values[i]!));
}

/** `timestamptz[]` (epoch milliseconds) as a binary parameter. */
export function binaryTimestamptzArray(ms: ArrayLike<number>): Buffer {
  return binaryArray(1184, 8, ms.length, (view, offset, i) => {
    const [high, low] = binaryTimestampWords(ms[i]!);
    view.setInt32(offset, high);
    view.setUint32(offset + 4, low);
  });
}
