// How a migration waits for a lock while the previous release keeps reading and writing: never long (a lock timeout
// of 0.5 s: the sessions that arrive while it waits queue behind it, so its wait is theirs too), and again after a
// pause that grows, until it gives up in one line having changed nothing.
import type pg from 'pg';

/** The longest a migration waits for a lock before it steps back (docs/evolution.md "Migrations run online"). */
export const MIGRATION_LOCK_TIMEOUT_MS = 500;

export interface LockRetry {
  /** Tries in all, the first included. */
  attempts: number;
  /** The pause after the first conflict; each later one doubles, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/** About half a minute of tries: 8 lock waits of 0.5 s and pauses of 0.25, 0.5, 1, 2, 4, 8 and 8 s. */
export const MIGRATION_LOCK_RETRY: LockRetry = { attempts: 8, firstDelayMs: 250, maxDelayMs: 8000 };

/** lock_not_available (a lock timeout) and deadlock_detected: the work was rolled back and may simply run again. */
const LOCK_CONFLICTS = new Set(['55P03', '40P01']);

/** A migration (or one batch of a step) that never got its locks; nothing of it was applied. */
export class LockNotTaken extends Error {
  override name = 'LockNotTaken';
}

/**
 * How long a migration's lock wait lasts before PostgreSQL checks who blocks it, and cancels an autovacuum that does
 * (it only does so at deadlock_timeout, 1 s by default: after a lock timeout of 0.5 s it never would, and a VACUUM of
 * a chunk 013 filled runs for minutes).
 */
export const MIGRATION_DEADLOCK_TIMEOUT_MS = 100;

/** Whether the session's role may set deadlock_timeout (a superuser's setting, or granted SET on it from PostgreSQL 15). */
async function maySetDeadlockTimeout(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ superuser: boolean; version: number }>(
    `SELECT current_setting('is_superuser') = 'on' AS superuser,
            current_setting('server_version_num')::int AS version`,
  );
  if (rows[0]!.superuser) return true;
  if (rows[0]!.version < 150000) return false;
  const granted = await client.query<{ may: boolean }>(
    `SELECT has_parameter_privilege('deadlock_timeout', 'SET') AS may`,
  );
  return granted.rows[0]!.may;
}

/**
 * Bounds every lock wait of the session (or of the transaction, with `local`) by MIGRATION_LOCK_TIMEOUT_MS, and where
 * the role may, lets an autovacuum in the way be cancelled within it (MIGRATION_DEADLOCK_TIMEOUT_MS).
 */
export async function setMigrationLockTimeout(client: pg.ClientBase, local: boolean): Promise<void> {
  await client.query(`SELECT set_config('lock_timeout', $1, $2)`, [`${MIGRATION_LOCK_TIMEOUT_MS}ms`, local]);
  if (await maySetDeadlockTimeout(client)) {
    await client.query(`SELECT set_config('deadlock_timeout', $1, $2)`, [
      `${MIGRATION_DEADLOCK_TIMEOUT_MS}ms`,
      local,
    ]);
  }
}

/** Back to the server's lock_timeout and deadlock_timeout, after a session-wide setMigrationLockTimeout. */
export async function resetMigrationLockTimeout(client: pg.ClientBase): Promise<void> {
  await client.query('RESET lock_timeout');
  await client.query('RESET deadlock_timeout');
}

/**
 * Runs `work` until it is not stopped by a lock conflict, pausing longer after each one. `work` must leave nothing
 * behind when it fails (one transaction, or idempotent statements). The last conflict becomes one line naming `what`.
 */
export async function withLockRetry<T>(
  what: string,
  work: () => Promise<T>,
  retry: LockRetry,
  report: (line: string) => void,
): Promise<T> {
  let delayMs = retry.firstDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code !== 'string' || !LOCK_CONFLICTS.has(code)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      if (attempt >= retry.attempts) {
        throw new LockNotTaken(
          `${what} did not get its locks in ${attempt} tries of ${MIGRATION_LOCK_TIMEOUT_MS / 1000} s each ` +
            `(${reason}); nothing of it was applied: run jao migrate again when the sessions holding them are done`,
          { cause: error },
        );
      }
      report(
        `${what} waits for its locks (${reason}); try ${attempt + 1} of ${retry.attempts} in ${delayMs} ms`,
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, retry.maxDelayMs);
    }
  }
}
