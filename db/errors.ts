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
 * broke: node errors without SQLSTATE, which are transient). Everything not known to be deterministic counts
 * as transient: connection exceptions (08), serialization failures and deadlocks (40), too many connections and
 * other lack of resources (53), lock timeouts (55P03), statement timeouts and shutdowns (57), I/O errors (58).
 */
export function classifyDatabaseError(error: unknown): DatabaseErrorClass | null {
  if (!(error instanceof pg.DatabaseError) || typeof error.code !== 'string') return null;
  const sqlState = error.code;
  const code = DETERMINISTIC_CODES[sqlState];
  if (code) return { sqlState, deterministic: true, description: code };
  const deterministicClass = DETERMINISTIC_CLASSES[sqlState.slice(0, 2)];
  if (deterministicClass) return { sqlState, deterministic: true, description: deterministicClass };
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
