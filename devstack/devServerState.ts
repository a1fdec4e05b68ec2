// Where the local dev server keeps its state: one SQLite file per database it orchestrates, so workflows started
// against one database never resume against another (docs/operations.md "Running locally").
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from './addresses';

/** The database a state belongs to: a key naming it (file names) and a description for people. */
export interface StateOwner {
  key: string;
  description: string;
}

export interface DevServerState {
  /** The dev server's SQLite file for this database. */
  file: string;
  /** Next to it: which database it belongs to and since when. */
  recordFile: string;
  /** When this database's state was first created; null when it is created now. */
  since: string | null;
  /** The single state file of builds before per-database states, when one is still there (never used). */
  legacyFile: string | null;
}

const recordSchema = z.object({
  key: z.string(),
  database: z.string(),
  firstUsedAt: z.string(),
  lastUsedAt: z.string(),
});

const KEY = /^[0-9a-f]{16}$/;

/** The state of `owner` under `dataDir` (created when absent); records who owns it. */
export function devServerStateFor(dataDir: string, owner: StateOwner, now = new Date()): DevServerState {
  if (!KEY.test(owner.key)) throw new Error(`not a state key: "${owner.key}"`);
  const root = resolve(dataDir);
  const dir = join(root, 'temporal');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${owner.key}.sqlite`);
  const recordFile = join(dir, `${owner.key}.json`);
  const previous = existsSync(file) ? readJsonFile(recordSchema, recordFile) : null;
  const since = existsSync(file) ? (previous?.firstUsedAt ?? 'an unrecorded time') : null;
  const record = {
    key: owner.key,
    database: owner.description,
    firstUsedAt: previous?.firstUsedAt ?? now.toISOString(),
    lastUsedAt: now.toISOString(),
  };
  writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
  const legacy = join(root, 'temporal.sqlite');
  return { file, recordFile, since, legacyFile: existsSync(legacy) ? legacy : null };
}
