// PostgreSQL errors by SQLSTATE: those another attempt would repeat, and those that pass (outage, contention).
import pg from 'pg';

/** SQLSTATE classes whose errors follow from the statement and its data, not from the server's state. */
const DETERMINISTIC_CLASSES: Record<string, string> = {
  '0A': 'feature not supported',
  '21': 'cardinality violation',
  '22': 'data exception',
  '23': 'integrity constraint violation',
  '2F': 'SQL routine exception',
  '38': 'external routine exception',
  '39': 'external routine invocation exception',
  '42': 'syntax error or access rule violation',
  '44': 'WITH CHECK OPTION violation',
  '54': 'program limit exceeded',
  P0: 'PL/pgSQL error',
};

/** Single conditions of otherwise transient classes that repeat too. */
const DETERMINISTIC_CODES: Record<string, string> = {
  XX001: 'data corrupted',
  XX002: 'index corrupted',
};

export interface DatabaseErrorClass {
  sqlState: string;
  /** Another attempt fails the same way. */
  deterministic: boolean;
  /** The SQLSTATE's class or condition, for messages. */
  description: string;
}

/**
 * The class of an error PostgreSQL reported, or null for anything else (a connection that could not be made or
 * broke has no SQLSTATE: classifyConnectionError). Everything not known to be deterministic counts
 * as transient: connection exceptions (08), serialization failures and deadlocks (40), too many connections and
 * other lack of resources (53), lock timeouts (55P03), statement timeouts and shutdowns (57), I/O errors (58).
 */
export function classifyDatabaseError(error: unknown): DatabaseErrorClass | null {
  if (!(error instanceof pg.DatabaseError) || typeof error.code !== 'string') return null;
  const sqlState = error.code;
  const deterministic = DETERMINISTIC_CODES[sqlState] ?? DETERMINISTIC_CLASSES[sqlState.slice(0, 2)];
  if (deterministic) return { sqlState, deterministic: true, description: deterministic };
  return { sqlState, deterministic: false, description: TRANSIENT_DESCRIPTIONS[sqlState] ?? 'transient' };
}

const TRANSIENT_DESCRIPTIONS: Record<string, string> = {
  '40001': 'serialization failure',
  '40P01': 'deadlock detected',
  '53300': 'too many connections',
  '55P03': 'lock timeout',
  '57014': 'statement timeout or cancel',
  '57P01': 'server shutting down',
  '57P02': 'server crashed',
  '57P03': 'server not accepting connections yet',
};

/**
 * node-postgres's own errors for a connection it could not make in time or that broke (no SQLSTATE, no code):
 * the pool's connectionTimeoutMillis (db/pool.ts) against a database that does not answer, and a connection
 * the server or the network ended.
 */
const CONNECTION_MESSAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^timeout exceeded when trying to connect$/, 'connection timeout'],
  [/^Connection terminated due to connection timeout$/, 'connection timeout'],
  [/^timeout expired$/, 'connection timeout'],
  [/^Connection terminated( unexpectedly)?$/, 'connection lost'],
  [/^Client has encountered a connection error and is not queryable$/, 'connection lost'],
];

/** Node's socket and name resolution errors of a database connection. */
const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection lost',
  ETIMEDOUT: 'connection timeout',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
};

/**
 * What kept a database connection from serving, for an error that is no PostgreSQL error (classifyDatabaseError
 * gives null) but a connection that could not be made, timed out or broke; null for anything else. Always
 * transient: the next connection may succeed. A refused `localhost` (tried on ::1 and 127.0.0.1) arrives as an
 * AggregateError of such errors.
 */
export function classifyConnectionError(error: unknown): string | null {
  if (error instanceof AggregateError && error.errors.length > 0) {
    const inner = error.errors.map(classifyConnectionError);
    return inner.every((description) => description !== null) ? inner[0]! : null;
  }
  if (!(error instanceof Error) || error instanceof pg.DatabaseError) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES[code]) return CONNECTION_CODES[code];
  return CONNECTION_MESSAGES.find(([pattern]) => pattern.test(error.message))?.[1] ?? null;
}
