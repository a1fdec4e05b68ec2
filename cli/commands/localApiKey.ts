// The API key `jao start` hands to the status page in the printed URL: created once per database, kept beside the
// dev server's state ($JAO_DATA_DIR/api-keys/<database identity>.json, readable by its owner only) and reused
// while that database still holds it as active. Only a key this file holds and the database confirms is printed.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type pg from 'pg';
import { z } from 'zod';
import { createApiKey, findActiveApiKey, hashApiKey } from '../../db/apiKeys';
import type { DatabaseIdentity } from '../../db/databaseIdentity';
import { DATASETS } from '../../domain/types';

export const LOCAL_KEY_NAME = 'jao start (status page)';

const recordSchema = z.object({
  keyId: z.number().int(),
  token: z.string().regex(/^jao_[A-Za-z0-9_-]{43}$/),
  database: z.string(),
  createdAt: z.string(),
});

export interface LocalApiKey {
  token: string;
  keyId: number;
  /** false: the key kept from an earlier start. */
  created: boolean;
  file: string;
}

export function localApiKeyFile(dataDir: string, identity: DatabaseIdentity): string {
  return join(resolve(dataDir), 'api-keys', `${identity.key}.json`);
}

function readRecord(file: string): z.infer<typeof recordSchema> | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The kept key when the database (owner's pool) still has it active; otherwise a new one, kept instead. */
export async function localApiKey(
  pool: pg.Pool,
  dataDir: string,
  identity: DatabaseIdentity,
  description: string,
): Promise<LocalApiKey> {
  const file = localApiKeyFile(dataDir, identity);
  const kept = readRecord(file);
  if (kept) {
    const active = await findActiveApiKey(pool, hashApiKey(kept.token));
    if (active && active.id === kept.keyId)
      return { token: kept.token, keyId: kept.keyId, created: false, file };
  }
  const { key, token } = await createApiKey(pool, { name: LOCAL_KEY_NAME, datasets: [...DATASETS] });
  mkdirSync(join(resolve(dataDir), 'api-keys'), { recursive: true, mode: 0o700 });
  const record = { keyId: key.id, token, database: description, createdAt: key.createdAt };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, keyId: key.id, created: true, file };
}
