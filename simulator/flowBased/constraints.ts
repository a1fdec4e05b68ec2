// The constraints of the simulated domain, built from its network model (networkModel.json): every element in the
// N state and under contingencies of its TSO's pool, in both directions (element × direction × contingency), then
// the external and equality constraints.
import type { Tso } from './endpoints';
import { textHash } from './hash';
import {
  type Contingency,
  NETWORK_MODEL,
  type NetworkElement,
  type OutagedBranch,
  type SpecialConstraint,
} from './networkModel';

const { zoneOfTso, elements, specialContingencies, specialConstraints, latecomer } = NETWORK_MODEL;

export type Direction = 'DIRECT' | 'OPPOSITE' | 'NA';

/** What a constraint is: a CNEC (element, direction, contingency or the N state), or an external/equality one. */
export type ConstraintKind = 'cnec' | 'external' | 'equality';

export interface Constraint {
  kind: ConstraintKind;
  /** Position in the catalogue: the order of a MTU's rows. */
  index: number;
  tso: Tso | 'NA';
  element: NetworkElement | null;
  /** Name of an external or equality constraint (no trailing space, as in the fixture). */
  specialName: string | null;
  direction: Direction;
  /** null: the N state. */
  contingency: Contingency | null;
  /** Seed of what both directions of one element under one contingency share (flows, PTDFs). */
  pairSeed: number;
  /** Seed of this constraint (its presolved flag, revisions). */
  seed: number;
  /** External and equality constraints: PTDF +1/-1 by hub (the rest 0). */
  unitPtdfs: Readonly<Record<string, number>> | null;
  /** External constraints: the limit in MW. */
  limitMw: number;
}

function branchOf(element: NetworkElement): OutagedBranch {
  return {
    branchEic: element.eic,
    hubFrom: element.hubFrom,
    hubTo: element.hubTo,
    substationFrom: element.substationFrom,
    substationTo: element.substationTo,
    elementType: element.elementType,
  };
}

/** `Avelgem - Avelin 380.80 ` → `Avelgem - Avelin 380.80`: a contingency names its branches without the space. */
const trimmed = (name: string) => name.trim();

/** Outages of one element: the element alone, and (tie-lines) both of its circuits, one EIC written twice. */
function outagesOf(element: NetworkElement): Contingency[] {
  const single: Contingency = {
    tso: element.tso,
    name: trimmed(element.name),
    branches: [branchOf(element)],
  };
  if (element.elementType !== 'TieLine') return [single];
  return [
    single,
    {
      tso: element.tso,
      name: `${trimmed(element.name)} ${trimmed(element.name)}`,
      branches: [branchOf(element), branchOf(element)],
    },
  ];
}

/** The contingencies a TSO monitors its elements under: outages in or at its zone (its special ones apart). */
function contingencyPool(tso: Tso): Contingency[] {
  const zone = zoneOfTso[tso];
  const pool = elements.filter((e) => e.hubFrom === zone || e.hubTo === zone).flatMap(outagesOf);
  const seen = new Set<string>();
  return pool.filter((c) => !seen.has(c.name) && seen.add(c.name));
}

/**
 * The contingencies an element is monitored under (base ones first, then the reserve): the TSO's special ones in
 * turn, then outages of its pool chosen by the seed, never the element's own outage.
 */
function contingenciesOf(element: NetworkElement, elementIndex: number, seed: number): Contingency[] {
  const notOwn = (c: Contingency) => c.branches[0]?.branchEic !== element.eic;
  const specials = specialContingencies.filter((c) => c.tso === element.tso && notOwn(c));
  const pool = contingencyPool(element.tso).filter(notOwn);
  const start = textHash(`${element.name}|${seed}`) % pool.length;
  const chosen = specials.length > 0 ? [specials[elementIndex % specials.length]!] : [];
  for (let i = 0; chosen.length < CONTINGENCIES_PER_ELEMENT + RESERVE_PER_ELEMENT && i < pool.length; i++) {
    const candidate = pool[(start + i * 7) % pool.length]!;
    if (!chosen.includes(candidate)) chosen.push(candidate);
  }
  return chosen;
}

/** Contingencies per element in the base set, besides the N state (both directions each). */
const CONTINGENCIES_PER_ELEMENT = 3;
/** Contingencies per element kept aside: constraints a revision may add. */
const RESERVE_PER_ELEMENT = 1;

export interface ConstraintCatalogue {
  /** The constraints of a day as first published. */
  base: readonly Constraint[];
  /** Constraints a revision may add. */
  reserve: readonly Constraint[];
  /** The constraint added while a client pages (a count that changes under it). */
  latecomer: Constraint;
}

function constraintKey(c: Pick<Constraint, 'tso' | 'element' | 'specialName' | 'direction' | 'contingency'>) {
  return JSON.stringify([
    c.tso,
    c.element?.eic ?? 'NA',
    c.element?.name ?? c.specialName,
    c.direction,
    c.contingency?.branches.map((b) => b.branchEic) ?? [null],
  ]);
}

function specialConstraint({
  kind,
  tso,
  name,
  unitPtdfs,
  limitMw,
}: SpecialConstraint): Omit<Constraint, 'index'> {
  return {
    kind,
    tso,
    element: null,
    specialName: name,
    direction: 'NA',
    contingency: null,
    pairSeed: textHash(name),
    seed: textHash(`${name}|seed`),
    unitPtdfs,
    limitMw,
  };
}

function cnec(element: NetworkElement, direction: Direction, contingency: Contingency | null, seed: number) {
  const pairText = `${element.tso}|${element.name}|${contingency?.name ?? 'N'}`;
  return {
    kind: 'cnec' as const,
    tso: element.tso,
    element,
    specialName: null,
    direction,
    contingency,
    pairSeed: textHash(`${pairText}|${seed}`),
    seed: textHash(`${pairText}|${direction}|${seed}`),
    unitPtdfs: null,
    limitMw: 0,
  };
}

/**
 * Whether an element is in a domain of `share` of the full size: every `1/share`-th element of its TSO, the TSO's
 * first always, so that every TSO keeps at least one.
 */
function keptAtShare(share: number): (element: NetworkElement) => boolean {
  if (share >= 1) return () => true;
  const stride = Math.max(1, Math.round(1 / share));
  const seen = new Map<Tso, number>();
  return (element) => {
    const position = seen.get(element.tso) ?? 0;
    seen.set(element.tso, position + 1);
    return position % stride === 0;
  };
}

/**
 * The catalogue for a seed: every element in the N state and under CONTINGENCIES_PER_ELEMENT contingencies of its
 * TSO's pool (chosen by the seed), in both directions, then the external and equality constraints. Keys
 * (domain/flowBased/constraintKey.ts) are unique. A `share` below 1 (a smaller domain, for tests that do not need
 * the full size) keeps that share of each TSO's elements, each with all its constraints as in the full catalogue,
 * and every external and equality constraint.
 */
export function buildCatalogue(seed: number, share = 1): ConstraintCatalogue {
  const base: Array<Omit<Constraint, 'index'>> = [];
  const reserve: Array<Omit<Constraint, 'index'>> = [];
  const keys = new Set<string>();
  const add = (list: Array<Omit<Constraint, 'index'>>, c: Omit<Constraint, 'index'>) => {
    const key = constraintKey(c);
    if (keys.has(key)) return false;
    keys.add(key);
    list.push(c);
    return true;
  };
  const kept = keptAtShare(share);
  elements.forEach((element, elementIndex) => {
    if (!kept(element)) return;
    for (const direction of ['DIRECT', 'OPPOSITE'] as const) add(base, cnec(element, direction, null, seed));
    contingenciesOf(element, elementIndex, seed).forEach((contingency, i) => {
      const list = i < CONTINGENCIES_PER_ELEMENT ? base : reserve;
      for (const direction of ['DIRECT', 'OPPOSITE'] as const)
        add(list, cnec(element, direction, contingency, seed));
    });
  });
  for (const special of specialConstraints) add(base, specialConstraint(special));
  let index = 0;
  return {
    base: base.map((c) => ({ ...c, index: index++ })),
    reserve: reserve.map((c) => ({ ...c, index: index++ })),
    latecomer: { ...cnec(latecomer, 'DIRECT', null, seed), index: index++ },
  };
}

const catalogues = new Map<string, ConstraintCatalogue>();

/**
 * The catalogue for a seed and share, built once: the domain's paths and the net positions cleared against it share
 * it.
 */
export function catalogueFor(seed: number, share = 1): ConstraintCatalogue {
  const key = `${seed} ${share}`;
  let catalogue = catalogues.get(key);
  if (catalogue === undefined) {
    catalogue = buildCatalogue(seed, share);
    catalogues.set(key, catalogue);
  }
  return catalogue;
}
