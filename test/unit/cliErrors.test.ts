import { describe, expect, it } from 'vitest';
import { messageWithCauses } from '../../cli/errors';

describe('CLI error lines', () => {
  it('follow the causes of an error, so a failed workflow says why', () => {
    const activity = new Error(
      'gave up after 1801 s of failing attempts: connect ECONNREFUSED 127.0.0.1:5432',
    );
    const wrapped = new Error('Activity task failed', { cause: activity });
    expect(messageWithCauses(new Error('Workflow execution failed', { cause: wrapped }))).toBe(
      'Workflow execution failed: Activity task failed: gave up after 1801 s of failing attempts: connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(messageWithCauses('plain')).toBe('plain');
  });
});
