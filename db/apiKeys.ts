import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { type DatedRow, iso } from './pool';

/** Every key starts with it, so a leaked key is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'jao_';

/**
 * Told (NOTIFY, payload: the key's id) when a key is revoked, so that the API ends what that key keeps open at
 * once. A change made without it (plain SQL) is still found by the API's periodic re-check of open streams.
 */
export const API_KEY_CHANNEL = 'jao_api_key';

const keyIdPayload = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

/** The key id a notification on API_KEY_CHANNEL names; null for anything else (then every key is checked). */
export function parseApiKeyPayload(payload: string | undefined): number | null {
  const parsed = keyIdPayload.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

/** A row of jao.api_key, without its hash. */
export interface ApiKey {
  id: number;
  name: string;
  datasets: string[];
  /** The operator scope (migration 006): the key may start runs and read run histories. */
  operator: boolean;
  createdAt: string;
  revokedAt: string | null;
}

/** What an active key may do now: the datasets it reads, and whether it acts as an operator. */
export type KeyScope = Pick<ApiKey, 'datasets' | 'operator'>;

type ApiKeyRow = DatedRow<ApiKey, 'createdAt' | 'revokedAt'>;

const KEY_COLUMNS =
  'key_id AS id, name, datasets, operator, created_at AS "createdAt", revoked_at AS "revokedAt"';

const keyOf = (row: ApiKeyRow): ApiKey => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  revokedAt: iso(row.revokedAt),
});

/** The stored form of a key: hex sha256 of the whole token (32 random bytes carry all the entropy). */
export function hashApiKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newApiKeyToken(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** Creates a key (needs the owner's connection); returns the key, which is stored only as its hash. */
export async function createApiKey(
  pool: pg.Pool,
  input: { name: string; datasets: readonly string[]; operator?: boolean },
): Promise<{ key: ApiKey; token: string }> {
  const token = newApiKeyToken();
  const result = await pool.query<ApiKeyRow>(
    `INSERT INTO jao.api_key (name, key_sha256, datasets, operator) VALUES ($1, $2, $3::text[], $4)
     RETURNING ${KEY_COLUMNS}`,
    [input.name, hashApiKey(token), [...input.datasets], input.operator ?? false],
  );
  return { key: keyOf(result.rows[0]!), token };
}

export async function listApiKeys(pool: pg.Pool): Promise<ApiKey[]> {
  const result = await pool.query<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM jao.api_key ORDER BY key_id`);
  return result.rows.map(keyOf);
}

/**
 * Revokes a key by id; null when there is no such key. A key revoked before keeps its first revocation time.
 * One statement: the notification on API_KEY_CHANNEL is delivered when the revocation commits.
 */
export async function revokeApiKey(pool: pg.Pool, id: number): Promise<ApiKey | null> {
  const result = await pool.query<ApiKeyRow>(
    `WITH revoked AS (
       UPDATE jao.api_key SET revoked_at = COALESCE(revoked_at, now()) WHERE key_id = $1 RETURNING ${KEY_COLUMNS}
     )
     SELECT r.* FROM revoked r, pg_notify($2, r.id::text) AS notified`,
    [id, API_KEY_CHANNEL],
  );
  return result.rows.map(keyOf)[0] ?? null;
}

/**
 * Grants or removes a key's operator scope; null when there is no such key. Told on API_KEY_CHANNEL like a
 * revocation, so that a key losing the scope loses what it holds open under it at once.
 */
export async function setOperatorScope(pool: pg.Pool, id: number, operator: boolean): Promise<ApiKey | null> {
  const result = await pool.query<ApiKeyRow>(
    `WITH changed AS (
       UPDATE jao.api_key SET operator = $2 WHERE key_id = $1 RETURNING ${KEY_COLUMNS}
     )
     SELECT c.* FROM changed c, pg_notify($3, c.id::text) AS notified`,
    [id, operator, API_KEY_CHANNEL],
  );
  return result.rows.map(keyOf)[0] ?? null;
}

/** The active key whose hash is `sha256`; null for an unknown or revoked key. */
export async function findActiveApiKey(pool: pg.Pool, sha256: string): Promise<ApiKey | null> {
  const result = await pool.query<ApiKeyRow>({
    name: 'jao.apiKeys.findActive',
    text: `SELECT ${KEY_COLUMNS} FROM jao.api_key WHERE key_sha256 = $1 AND revoked_at IS NULL`,
    values: [sha256],
  });
  return result.rows.map(keyOf)[0] ?? null;
}

/** The scope of each still active key among `ids`; a revoked or deleted key is absent. */
export async function activeKeyScopes(pool: pg.Pool, ids: readonly number[]): Promise<Map<number, KeyScope>> {
  const result = await pool.query<{ key_id: number; datasets: string[]; operator: boolean }>({
    name: 'jao.apiKeys.activeScopes',
    text: 'SELECT key_id, datasets, operator FROM jao.api_key WHERE key_id = ANY($1::int[]) AND revoked_at IS NULL',
    values: [[...ids]],
  });
  return new Map(result.rows.map((row) => [row.key_id, { datasets: row.datasets, operator: row.operator }]));
}
