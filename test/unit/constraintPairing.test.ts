// A revision of a domain day paired with the stored versions by hash (db/lanes/constraints/constraintPairing.ts): only what may change
// something is sent, and a refusal keeps its slots.
import { describe, expect, it } from 'vitest';
import type { ConstraintVersion } from '../../db/lanes/constraints/constraintContent';
import { pairVersions, slotOf } from '../../db/lanes/constraints/constraintPairing';

const H0 = '2025-01-01T00:00:00.000Z';
const H1 = '2025-01-01T01:00:00.000Z';
const ms = (iso: string) => Date.parse(iso);
const version = (key: string, mtu: string, sha256: string): ConstraintVersion => ({
  key,
  mtu,
  jaoId: 1,
  text: '',
  sha256,
});
const ids = new Map([
  ['a', 1],
  ['b', 2],
  ['c', 3],
]);
const stored = new Map([
  [slotOf(1, ms(H0)), 'same'],
  [slotOf(2, ms(H0)), 'old'],
  [slotOf(3, ms(H0)), 'gone'],
  [slotOf(3, ms(H1)), 'kept'],
]);
const incoming = [version('a', H0, 'same'), version('b', H0, 'new'), version('a', H1, 'fresh')];
const pair = (options: { protectedSlots?: string[]; protectAll?: boolean; compareAll?: boolean } = {}) =>
  pairVersions({
    versions: incoming,
    ids,
    storedHashes: stored,
    protectedSlots: new Set(options.protectedSlots ?? []),
    protectAll: options.protectAll ?? false,
    compareAll: options.compareAll ?? false,
  });

describe('pairing a revision with the stored versions', () => {
  it('sends the changed and the new versions, and names the stored ones the day lost', () => {
    const { candidates, vanished } = pair();
    expect(candidates.map((v) => `${v.key} ${v.sha256}`)).toEqual(['b new', 'a fresh']);
    expect(vanished).toEqual([
      { constraintId: 3, mtuMs: ms(H0) },
      { constraintId: 3, mtuMs: ms(H1) },
    ]);
  });

  it("keeps a refusal's slots, and every stored version when a refusal named none", () => {
    expect(pair({ protectedSlots: [slotOf(3, ms(H1))] }).vanished).toEqual([
      { constraintId: 3, mtuMs: ms(H0) },
    ]);
    expect(pair({ protectAll: true }).vanished).toEqual([]);
  });

  it('sends every version on a reprocessing, whatever its hash', () => {
    expect(pair({ compareAll: true }).candidates).toHaveLength(3);
  });
});
