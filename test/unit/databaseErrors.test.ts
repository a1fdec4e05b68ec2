// Which PostgreSQL errors another attempt would repeat (not retried) and which pass (retried).
import { ApplicationFailure } from '@temporalio/common';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { asDatabaseFailure } from '../../activities/databaseFailure';
import { classifyDatabaseError } from '../../db/errors';
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

  it('leaves errors without SQLSTATE (a refused or broken connection) to be retried as they are', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(classifyDatabaseError(refused)).toBeNull();
    expect(asDatabaseFailure(refused, 'write 2025-09-01')).toBe(refused);
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
