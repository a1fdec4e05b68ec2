// The final presolved domain of a day's hours as finalComputation serves it now (its revision, the constraint added
// while a client paged), each constraint's PTDFs laid out on the net positions' hubs: what the day's net positions
// are cleared against (netPositions.ts).
import { addDays, dayStartMs } from '../../domain/calendar';
import type { DeliveryDay } from '../../domain/types';
import { catalogueFor } from './constraints';
import { dayConstraints } from './dayConstraints';
import type { FlowBasedState } from './dayState';
import { AHC_HUBS, type DomainEndpoint, hasAhcHubs, PTDF_HUBS } from './endpoints';
import { textHash } from './hash';
import { constraintValues, isPresolved } from './values';

const HOUR_MS = 3_600_000;
const FINAL: DomainEndpoint = 'finalComputation';

export interface DomainConstraint {
  /** MW. */
  ram: number;
  /**
   * The PTDF of each net-position hub, in the order of the hubs given: a hub without a PTDF (none in the simulated
   * rows; CH is the other way round, a PTDF column without a net position) counts 0.
   */
  ptdfs: readonly number[];
}

const cache = new Map<string, readonly (readonly DomainConstraint[])[]>();
const CACHE_LIMIT = 32;

/** The presolved constraints of each hour of `day` (by hour from its start), on `hubs`. */
export function finalDomainByHour(
  days: FlowBasedState,
  day: DeliveryDay,
  hubs: readonly string[],
): readonly (readonly DomainConstraint[])[] {
  const revision = days.revisionOf(FINAL, day);
  const withLatecomer = days.latecomerSince(FINAL, day) !== null;
  const key = `${days.seed} ${days.domainShare} ${day} ${revision} ${withLatecomer} ${hubs.join(',')}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const catalogue = catalogueFor(days.seed, days.domainShare);
  const salt = textHash(FINAL);
  const ahc = hasAhcHubs(day);
  const ptdfHubs: readonly string[] = ahc ? [...PTDF_HUBS, ...AHC_HUBS] : PTDF_HUBS;
  const columnOf = hubs.map((hub) => ptdfHubs.indexOf(hub));
  const { constraints, epochs } = dayConstraints(catalogue, day, revision, salt);
  const hours: DomainConstraint[][] = [];
  for (let mtuMs = dayStartMs(day); mtuMs < dayStartMs(addDays(day, 1)); mtuMs += HOUR_MS) {
    const hour: DomainConstraint[] = [];
    const add = (values: ReturnType<typeof constraintValues>) =>
      hour.push({
        ram: values.numbers.ram,
        ptdfs: columnOf.map((column) => (column < 0 ? 0 : values.ptdfs[column]!)),
      });
    if (withLatecomer) add(constraintValues(catalogue.latecomer, mtuMs, 0, salt, ahc));
    constraints.forEach((constraint, i) => {
      if (isPresolved(constraint, mtuMs, epochs[i]!, salt))
        add(constraintValues(constraint, mtuMs, epochs[i]!, salt, ahc));
    });
    hours.push(hour);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, hours);
  return hours;
}
