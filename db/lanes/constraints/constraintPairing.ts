// A revision of a day of the flow-based domain, paired with what is stored by content hash before anything is
// written (db/lanes/constraints/constraintMerge.ts): the versions that may change something, and the stored ones gone from the day.
// Under the day's lock, so what was read stays what is stored until the write commits.
import type { ConstraintVersion } from './constraintContent';

/** A stored version's place: its constraint and its MTU (epoch milliseconds). */
export const slotOf = (constraintId: number, mtuMs: number): string => `${constraintId}@${mtuMs}`;

export interface Pairing {
  /** Incoming versions whose slot holds nothing, or other content (every one when `compareAll`). */
  candidates: ConstraintVersion[];
  /** Stored slots the day no longer has, a refusal's slots aside. */
  vanished: Array<{ constraintId: number; mtuMs: number }>;
}

export function pairVersions(input: {
  versions: readonly ConstraintVersion[];
  ids: ReadonlyMap<string, number>;
  /** slotOf(…) → content_sha256 of every version stored for the day. */
  storedHashes: ReadonlyMap<string, string>;
  /** slotOf(…) of the slots a refused row names. */
  protectedSlots: ReadonlySet<string>;
  /** A refused row named no slot: nothing stored vanishes. */
  protectAll: boolean;
  /** A reprocessing: each version is compared column by column, whatever its hash says. */
  compareAll: boolean;
}): Pairing {
  const candidates: ConstraintVersion[] = [];
  const seen = new Set<string>();
  const mtuMs = new Map<string, number>();
  for (const version of input.versions) {
    let ms = mtuMs.get(version.mtu);
    if (ms === undefined) {
      ms = Date.parse(version.mtu);
      mtuMs.set(version.mtu, ms);
    }
    const slot = slotOf(input.ids.get(version.key)!, ms);
    seen.add(slot);
    if (input.compareAll || input.storedHashes.get(slot) !== version.sha256) candidates.push(version);
  }
  const vanished: Pairing['vanished'] = [];
  if (!input.protectAll)
    for (const slot of input.storedHashes.keys()) {
      if (seen.has(slot) || input.protectedSlots.has(slot)) continue;
      const at = slot.indexOf('@');
      vanished.push({ constraintId: Number(slot.slice(0, at)), mtuMs: Number(slot.slice(at + 1)) });
    }
  return { candidates, vanished };
}
