// The identities that hold between a row's published fields (docs/flow-based.md, "What the validation knows").
// A row that breaks one is stored as published and flagged: the values are JAO's, the flag says they disagree.
import type { ConstraintRow } from './answer';

/** MW: the published values are whole MW, and fcore = fall + fuaf is off by exactly 1 where JAO rounded. */
export const MW_TOLERANCE = 1;
/** minRamTarget is published with three decimals. */
export const FRACTION_TOLERANCE = 0.0005;

export interface IdentityBreak {
  identity: string;
  /** published − computed */
  difference: number;
}

type Numbers = ConstraintRow['numbers'];

const IDENTITIES: ReadonlyArray<{
  name: string;
  tolerance: number;
  /** [published, computed], or null when the identity does not apply or a term is null. */
  sides: (n: Numbers) => [number, number] | null;
}> = [
  {
    name: 'fref = frefInit − fnrao',
    tolerance: MW_TOLERANCE,
    sides: (n) => both(n.fref, n.frefInit, n.fnrao, (init, nrao) => init - nrao),
  },
  {
    name: 'fcore = fall + fuaf',
    tolerance: MW_TOLERANCE,
    sides: (n) => both(n.fcore, n.fall, n.fuaf, (all, uaf) => all + uaf),
  },
  {
    name: 'ftotalLtn = fcore + fltn',
    tolerance: MW_TOLERANCE,
    sides: (n) => both(n.ftotalLtn, n.fcore, n.fltn, (core, ltn) => core + ltn),
  },
  {
    name: 'ram = fmax − frm − fcore − fltn + amr − cva − iva + ltaMargin',
    tolerance: MW_TOLERANCE,
    sides: (n) => {
      const terms = [n.ram, n.fmax, n.frm, n.fcore, n.fltn, n.amr, n.cva, n.iva, n.ltaMargin];
      if (terms.some((term) => term === null)) return null;
      const [ram, fmax, frm, fcore, fltn, amr, cva, iva, lta] = terms as number[];
      return [ram!, fmax! - frm! - fcore! - fltn! + amr! - cva! - iva! + lta!];
    },
  },
  {
    name: 'minRamTarget = max(0.2, minRamFactor/100 − fuaf/fmax)',
    tolerance: FRACTION_TOLERANCE,
    sides: (n) => {
      if (n.minRamTarget === null || n.minRamFactor === null || n.fuaf === null || !n.fmax) return null;
      return [n.minRamTarget, Math.max(0.2, n.minRamFactor / 100 - n.fuaf / n.fmax)];
    },
  },
];

function both(
  published: number | null,
  a: number | null,
  b: number | null,
  compute: (a: number, b: number) => number,
): [number, number] | null {
  return published === null || a === null || b === null ? null : [published, compute(a, b)];
}

/** The identities a row breaks beyond their tolerance (a float's last bit aside). */
export function identityBreaks(row: ConstraintRow): IdentityBreak[] {
  const breaks: IdentityBreak[] = [];
  for (const { name, tolerance, sides } of IDENTITIES) {
    const pair = sides(row.numbers);
    if (!pair) continue;
    const difference = pair[0] - pair[1];
    if (Math.abs(difference) > tolerance + 1e-9) breaks.push({ identity: name, difference });
  }
  return breaks;
}
