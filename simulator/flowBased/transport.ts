// The answers that come before a flow-based request is read, as on every data path (simulator/dataAnswer.ts): the
// rate limit all paths share, then the seeded share of 5xx answers.
import { type Answer, problem } from '../dataAnswer';
import type { SimulatorState } from '../state';

const SERVER_ERROR_STATUSES = [500, 502, 503] as const;

/** A 429 or 5xx for a request at `atMs` (counted towards the rate limit), or null to answer it. */
export function transportFault(state: SimulatorState, atMs: number): Answer | null {
  const { faults } = state;
  if (state.isRateLimited(atMs)) {
    const answer = problem(429, 'Too Many Requests', 'Rate limit exceeded, try again later.');
    if (faults.retryAfterSeconds !== null)
      answer.headers = { 'Retry-After': String(faults.retryAfterSeconds) };
    return answer;
  }
  if (faults.errorRate > 0 && state.random() < faults.errorRate) {
    const status = SERVER_ERROR_STATUSES[Math.floor(state.random() * SERVER_ERROR_STATUSES.length)]!;
    return problem(status, 'Server Error', 'An unexpected error occurred (simulated).');
  }
  return null;
}
