// Days of Core's flow-based domain for the benchmarks, made in-process as the pipeline would receive them: the
// simulator's presolved answer of the day (simulator/flowBased/, deterministic, ~2,900 rows) at a revision,
// assembled as a paged answer and judged (domain/flowBased/assessDomain.ts), ready for db/writeDay.ts.
import { addDays, dayWindow } from '../domain/calendar';
import { constraintFieldsOf } from '../domain/datasets';
import { assessDomainBody } from '../domain/flowBased/assessDomain';
import { assemblePagedAnswer } from '../domain/flowBased/pagedAnswer';
import type { ConstraintsDay, DeliveryDay } from '../domain/types';
import { buildCatalogue, type ConstraintCatalogue } from '../simulator/flowBased/constraints';
import { FlowBasedState } from '../simulator/flowBased/dayState';
import { answerDomainRequest } from '../simulator/flowBased/domainAnswer';
import { type DomainEndpoint, domainDeclarationOf } from '../simulator/flowBased/endpoints';

const SEED = 42;

export interface SimulatedDomain {
  /** The day's stored paged answer after `revisions` revisions (0: as first published). */
  answer(day: DeliveryDay, revisions: number): string;
  /** The day's validated rows after `revisions` revisions (0: as first published). */
  day(day: DeliveryDay, revisions: number): ConstraintsDay;
}

/** A simulated domain of `endpoint`; every day published, long past. */
export function simulatedDomain(endpoint: DomainEndpoint = 'finalComputation'): SimulatedDomain {
  const catalogue: ConstraintCatalogue = buildCatalogue(SEED);
  const declaration = domainDeclarationOf(endpoint);
  const { filter } = constraintFieldsOf(declaration);
  const now = new Date('2100-01-01T00:00:00Z');
  const answer = (day: DeliveryDay, revisions: number): string => {
    const state = new FlowBasedState({ now: () => now, publicationTime: '10:30', seed: SEED });
    for (let k = 0; k < revisions; k++) state.revise(endpoint, day);
    const window = dayWindow(day);
    const ask = (skip: number, take: number) =>
      answerDomainRequest(
        state,
        catalogue,
        endpoint,
        {
          fromutc: window.from,
          toutc: window.to,
          ...(filter === null ? {} : { filter: JSON.stringify(filter) }),
          skip: String(skip),
          take: String(take),
        },
        now.getTime(),
      );
    const probe = ask(0, 0);
    const count = (JSON.parse(probe.body) as { totalRowsWithFilter: number }).totalRowsWithFilter;
    return assemblePagedAnswer({
      totalRowsWithFilter: count,
      probe: { skip: 0, take: 0, httpStatus: probe.status, body: probe.body },
      pages: [{ skip: 0, take: count, httpStatus: 200, body: ask(0, count).body }],
    });
  };
  return {
    answer,
    day(day, revisions) {
      const body = answer(day, revisions);
      const assessment = assessDomainBody(declaration, day, body, new Set());
      if (assessment.validated === null || assessment.status !== 'complete')
        throw new Error(
          `bench: the simulated domain of ${day} is ${assessment.status}: ${assessment.reason}`,
        );
      return assessment.validated;
    },
  };
}

/** `count` consecutive delivery days from `first`. */
export const dayRange = (first: DeliveryDay, count: number): DeliveryDay[] =>
  Array.from({ length: count }, (_, i) => addDays(first, i));
