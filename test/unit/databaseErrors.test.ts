// Which database errors another attempt would repeat (not retried) and which pass (retried).
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { asDatabaseFailure, isTransientDatabaseFailure } from '../../activities/databaseFailure';
import { classifyConnectionError, classifyDatabaseError } from '../../db/errors';
import { createPool } from '../../db/pool';
import { FAILURE_TYPES, NON_RETRYABLE_FAILURE_TYPES } from '../../domain/failureTypes';

function databaseError(code: string, message = `error ${code}`): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

describe('database errors', () => {
  it.each([
    ['22021', 'data exception'], // invalid byte sequence (a NUL in text)
    ['22003', 'data exception'],
    ['23505', 'integrity constraint violation'],
    ['23514', 'integrity constraint violation'],
    ['42501', 'syntax error or access rule violation'],
    ['42P01', 'syntax error or access rule violation'],
    ['54000', 'program limit exceeded'], // index row too large
    ['0A000', 'feature not supported'],
    ['P0001', 'PL/pgSQL error'],
    ['XX001', 'data corrupted'],
  ])('%s is deterministic (%s)', (code, description) => {
    expect(classifyDatabaseError(databaseError(code))).toEqual({
      sqlState: code,
      deterministic: true,
      description,
    });
  });

  it.each([
    '08006',
    '08001',
    '40001',
    '40P01',
    '53300',
    '53200',
    '55P03',
    '57014',
    '57P01',
    '57P03',
    '58030',
    'XX000',
    '25006',
  ])('%s is transient', (code) => {
    expect(classifyDatabaseError(databaseError(code))?.deterministic).toBe(false);
  });

  it('classifies a connection that could not be made, timed out or broke as transient', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(classifyDatabaseError(refused)).toBeNull();
    expect(classifyConnectionError(refused)).toBe('connection refused');
    expect(asDatabaseFailure(refused, 'write 2025-09-01')).toMatchObject({
      type: FAILURE_TYPES.databaseUnavailable,
      nonRetryable: false,
      message: 'write 2025-09-01: connection refused: connect ECONNREFUSED 127.0.0.1:5432',
    });
    const localhost = new AggregateError([
      Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' }),
      refused,
    ]);
    expect(classifyConnectionError(localhost)).toBe('connection refused');
    expect(classifyConnectionError(new Error('Connection terminated unexpectedly'))).toBe('connection lost');
  });

  it.each([
    'timeout exceeded when trying to connect', // pg-pool: no connection within connectionTimeoutMillis
    'Connection terminated due to connection timeout', // pg-pool: a new connection not made in that time
  ])('classifies the pool timeout "%s" as transient', (message) => {
    const timeout = new Error(message);
    expect(classifyConnectionError(timeout)).toBe('connection timeout');
    const failure = asDatabaseFailure(timeout, 'store the raw answer of 2025-09-01');
    expect(failure).toMatchObject({
      type: FAILURE_TYPES.databaseUnavailable,
      nonRetryable: false,
      message: `store the raw answer of 2025-09-01: connection timeout: ${message}`,
    });
    expect(isTransientDatabaseFailure(failure)).toBe(true);
  });

  it('leaves other errors alone', () => {
    const bug = new TypeError('x is not a function');
    expect(classifyConnectionError(bug)).toBeNull();
    expect(asDatabaseFailure(bug, 'write 2025-09-01')).toBe(bug);
    expect(classifyConnectionError(new AggregateError([bug, new Error('timeout expired')]))).toBeNull();
    expect(isTransientDatabaseFailure(bug)).toBe(false);
  });

  it('a pool facing a database that never answers fails with a transient error after its connection timeout', async () => {
    const sockets = new Set<Socket>();
    // Accepts connections and never says a word, like a host whose firewall drops the packets.
    const blackhole = createServer((socket) => {
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    const { port } = blackhole.address() as AddressInfo;
    const pool = createPool(`postgres://postgres@127.0.0.1:${port}/jao`, { connectionTimeoutMs: 300 });
    try {
      const started = Date.now();
      const error = await pool.query('SELECT 1').then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error).toMatchObject({ message: 'Connection terminated due to connection timeout' });
      expect(isTransientDatabaseFailure(asDatabaseFailure(error, 'store the raw answer of 2025-09-01'))).toBe(
        true,
      );
    } finally {
      await pool.end();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => blackhole.close(() => resolve()));
    }
  });

  it('turn into a non-retryable failure with a type the retry policies name, or a retryable one', () => {
    const refused = asDatabaseFailure(
      databaseError('54000', 'index row size 3016 exceeds maximum 2712'),
      'write 2025-09-01',
    );
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({
      type: FAILURE_TYPES.databaseRefused,
      nonRetryable: true,
      message:
        'write 2025-09-01: SQLSTATE 54000 (program limit exceeded): index row size 3016 exceeds maximum 2712; not retried, another attempt would fail the same way',
    });
    expect(NON_RETRYABLE_FAILURE_TYPES).toContain(FAILURE_TYPES.databaseRefused);

    const timeout = asDatabaseFailure(
      databaseError('55P03', 'canceling statement due to lock timeout'),
      'write 2025-09-01',
    );
    expect(timeout).toMatchObject({
      type: FAILURE_TYPES.databaseUnavailable,
      nonRetryable: false,
      message: 'write 2025-09-01: SQLSTATE 55P03 (lock timeout): canceling statement due to lock timeout',
    });
    expect(NON_RETRYABLE_FAILURE_TYPES).not.toContain(FAILURE_TYPES.databaseUnavailable);
  });
});
