import { describe, expect, it } from 'vitest';
import {
  describeRerunOutcome,
  RERUN_EXIT_CODES,
  type RerunOutcome,
  rerunExitCode,
} from '../../cli/rerunOutcome';
import type { DayStatus } from '../../domain/types';

const day = (status: DayStatus, reason?: string): RerunOutcome => ({
  kind: 'result',
  result: { day: '2025-03-12', status, mtus: 24, points: 3168, changedPoints: 0, revision: 2, reason },
});
const failedRun: RerunOutcome = {
  kind: 'failed',
  workflowId: 'maxExchanges/day/2025-03-13',
  message: 'JAO rejected',
};

describe('rerun --wait', () => {
  it('exits 0 only when every day ended complete', () => {
    expect(rerunExitCode([day('complete'), day('complete')])).toBe(RERUN_EXIT_CODES.complete);
    expect(RERUN_EXIT_CODES.complete).toBe(0);
  });

  it.each(['partial', 'invalid', 'not_published'] as const)('exits 3 when a day ended %s', (status) => {
    expect(rerunExitCode([day('complete'), day(status, 'why')])).toBe(3);
  });

  it('exits 1 when a run failed, whatever the other days did', () => {
    expect(rerunExitCode([day('partial', 'why'), failedRun])).toBe(1);
    expect(rerunExitCode([day('failed', 'retries exhausted'), day('invalid', 'why')])).toBe(1);
  });

  it('prints the reason of a day that is not complete', () => {
    expect(describeRerunOutcome(day('partial', '1 of 24 MTUs missing'))).toBe(
      '2025-03-12 partial: 24 MTUs, 3168 points, 0 changed, revision 2 (1 of 24 MTUs missing)',
    );
    expect(describeRerunOutcome(day('complete'))).toBe(
      '2025-03-12 complete: 24 MTUs, 3168 points, 0 changed, revision 2',
    );
    expect(describeRerunOutcome(failedRun)).toBe('maxExchanges/day/2025-03-13 failed: JAO rejected');
  });
});
