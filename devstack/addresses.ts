// The addresses block of a running `jao start` (Web UI, Temporal, database, JAO, API, the status page with its
// key): printed once the stack is up and again when its initial backfills end, and kept in
// $JAO_DATA_DIR/start/addresses.json (readable by its owner only: the page's address carries its key) while the
// stack runs, so that `jao urls` prints it at any time.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isRunning } from './processes';

const recordSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  lines: z.array(z.string()),
});

export type AddressesRecord = z.infer<typeof recordSchema>;

export function addressesFile(dataDir: string): string {
  return join(resolve(dataDir), 'start', 'addresses.json');
}

/** Keeps the block of the stack this process runs (replacing any earlier one). */
export function keepAddresses(dataDir: string, lines: string[], now = new Date()): void {
  const file = addressesFile(dataDir);
  mkdirSync(join(resolve(dataDir), 'start'), { recursive: true, mode: 0o700 });
  const record: AddressesRecord = { pid: process.pid, startedAt: now.toISOString(), lines };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Drops the block when the stack that wrote it stops (another stack's is left alone). */
export function dropAddresses(dataDir: string): void {
  const kept = readJsonFile(recordSchema, addressesFile(dataDir));
  if (kept?.pid === process.pid) rmSync(addressesFile(dataDir), { force: true });
}

/** A JSON file as `schema` reads it; null when it is absent, not JSON or not what the schema says. */
export function readJsonFile<T>(schema: z.ZodType<T>, file: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The block of the `jao start` running on this data dir; null when none runs (a block left by a killed one is stale). */
export function runningAddresses(dataDir: string): AddressesRecord | null {
  const record = readJsonFile(recordSchema, addressesFile(dataDir));
  return record && isRunning(record.pid) ? record : null;
}
