// The simulator's smaller flow-based domain (simulator/flowBased/constraints.ts, the option flowBasedDomainShare):
// a subset of the full catalogue, each constraint as the full one has it, with every TSO, both directions, the N state
// and contingencies, presolved and redundant rows, and every external and equality constraint; the default the full.
import { describe, expect, it } from 'vitest';
import { dayStartMs } from '../../domain/calendar';
import { buildCatalogue, type Constraint, catalogueFor } from '../../simulator/flowBased/constraints';
import { textHash } from '../../simulator/flowBased/hash';
import { isPresolved } from '../../simulator/flowBased/values';

const SEED = 1;
const identity = ({ index: _index, ...rest }: Constraint) => JSON.stringify(rest);

describe('the flow-based domain at a share of its size', () => {
  const full = buildCatalogue(SEED);
  const small = buildCatalogue(SEED, 0.2);

  it('is the full catalogue by default', () => {
    expect(buildCatalogue(SEED, 1)).toEqual(full);
    expect(catalogueFor(SEED)).toBe(catalogueFor(SEED, 1));
    expect(catalogueFor(SEED, 0.2)).not.toBe(catalogueFor(SEED));
    expect(catalogueFor(SEED, 0.2)).toEqual(small);
  });

  it('keeps a part of the full catalogue, each constraint as it is there, indexed in order', () => {
    expect(small.base.length).toBeLessThan(full.base.length * 0.4);
    expect(small.base.length).toBeGreaterThan(full.base.length * 0.2);
    const fullBase = new Set(full.base.map(identity));
    const fullReserve = new Set(full.reserve.map(identity));
    expect(small.base.filter((c) => !fullBase.has(identity(c)))).toEqual([]);
    expect(small.reserve.filter((c) => !fullReserve.has(identity(c)))).toEqual([]);
    expect(small.reserve.length).toBeGreaterThan(0);
    expect(identity(small.latecomer)).toBe(identity(full.latecomer));
    const all = [...small.base, ...small.reserve, small.latecomer];
    expect(all.map((c) => c.index)).toEqual(all.map((_, i) => i));
  });

  it('keeps every TSO, both directions, the N state and contingencies, and every special constraint', () => {
    const specials = (list: readonly Constraint[]) => list.filter((c) => c.kind !== 'cnec').map(identity);
    expect(specials(small.base)).toEqual(specials(full.base));
    const tsos = (list: readonly Constraint[]) => new Set(list.map((c) => c.tso));
    expect(tsos(small.base)).toEqual(tsos(full.base));
    const cnecs = small.base.filter((c) => c.kind === 'cnec');
    for (const direction of ['DIRECT', 'OPPOSITE'] as const) {
      expect(cnecs.some((c) => c.direction === direction && c.contingency === null)).toBe(true);
      expect(cnecs.some((c) => c.direction === direction && c.contingency !== null)).toBe(true);
    }
    expect(cnecs.some((c) => (c.contingency?.branches.length ?? 0) >= 2)).toBe(true);
    const types = (list: readonly Constraint[]) => new Set(list.map((c) => c.element?.elementType));
    expect(types(small.base)).toEqual(types(full.base));
    // Every kept element with all of its constraints.
    const perElement = (list: readonly Constraint[]) => {
      const counts = new Map<string, number>();
      for (const c of list) if (c.element) counts.set(c.element.eic, (counts.get(c.element.eic) ?? 0) + 1);
      return counts;
    };
    const fullCounts = perElement(full.base);
    for (const [eic, count] of perElement(small.base))
      expect([eic, count]).toEqual([eic, fullCounts.get(eic)]);
  });

  it('serves presolved and redundant constraints in each hour', () => {
    const salt = textHash('finalComputation');
    for (let hour = 0; hour < 24; hour++) {
      const mtuMs = dayStartMs('2026-11-10') + hour * 3_600_000;
      const presolved = small.base.filter((c) => c.kind === 'cnec' && isPresolved(c, mtuMs, 0, salt)).length;
      expect(presolved).toBeGreaterThan(0);
      expect(presolved).toBeLessThan(small.base.length - 8);
    }
  });
});
