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

interface Identity {
  name: string;
  tolerance: number;
  /** [published, computed], or null when the identity does not apply or a term is null. */
  sides: (n: Numbers) => [number, number] | null;
}

/** A term after the first of a sum, with its sign: `−fnrao`, `+fuaf`. */
type SignedTerm = `${'+' | '−'}${keyof Numbers}`;

/** `published = first ± …` in MW, named as it reads; null where any of its fields is. */
function sum(published: keyof Numbers, first: keyof Numbers, ...rest: SignedTerm[]): Identity {
  const name = `${published} = ${[first, ...rest.map((term) => `${term[0]} ${term.slice(1)}`)].join(' ')}`;
  const sides = (n: Numbers): [number, number] | null => {
    const value = n[published];
    let computed = n[first];
    if (value === null || computed === null) return null;
    for (const term of rest) {
      const addend = n[term.slice(1) as keyof Numbers];
      if (addend === null) return null;
      computed = term[0] === '+' ? computed + addend : computed - addend;
    }
    return [value, computed];
  };
  return { name, tolerance: MW_TOLERANCE, sides };
}

const IDENTITIES: readonly Identity[] = [
  sum('fref', 'frefInit', '−fnrao'),
  sum('fcore', 'fall', '+fuaf'),
  sum('ftotalLtn', 'fcore', '+fltn'),
  sum('ram', 'fmax', '−frm', '−fcore', '−fltn', '+amr', '−cva', '−iva', '+ltaMargin'),
  {
    name: 'minRamTarget = max(0.2, minRamFactor/100 − fuaf/fmax)',
    tolerance: FRACTION_TOLERANCE,
    sides: (n) => {
      if (n.minRamTarget === null || n.minRamFactor === null || n.fuaf === null || !n.fmax) return null;
      return [n.minRamTarget, Math.max(0.2, n.minRamFactor / 100 - n.fuaf / n.fmax)];
    },
  },
];

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
