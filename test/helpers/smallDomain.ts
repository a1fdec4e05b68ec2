// A smaller simulated flow-based domain for tests that do not rely on its size (simulator/server.ts,
// flowBasedDomainShare): every fifth network element of each TSO (each TSO keeps one at least) with all its
// constraints, both directions, the N state and its contingencies, and every external and equality constraint: about
// 160 constraints an MTU instead of 525. Tests of the domain's size, its counts or its paging over many pages of a
// full day keep the full domain.
export const SMALL_FLOW_BASED_DOMAIN = { flowBasedDomainShare: 0.2 } as const;
