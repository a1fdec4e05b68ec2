// What identifies a constraint of the domain across versions: its TSO, its element (EIC and name), the direction
// monitored and its contingency's outaged branches in order. JAO's row `id` is not used: it changes when JAO
// republishes. The element's EIC alone is not enough: a Y-shaped (three-leg) element has one EIC for its three
// legs, told apart only by name, and external constraints all carry the EIC "NA" (docs/flow-based.md, "Identity";
// measured on the fixture hour: 2,651 distinct (EIC, direction, contingency EICs) for 3,158 rows, 3,158 with these).
import type { ConstraintRow } from './answer';

/** A row's identity fields, and its outaged branches' EICs by `number` (null in the N state). */
export function constraintIdentityOf(row: ConstraintRow) {
  return {
    tso: row.texts.tso,
    cneEic: row.texts.cneEic,
    cneName: row.texts.cneName,
    direction: row.texts.direction,
    contingencyEics: [...row.contingencies]
      .sort((a, b) => a.number - b.number)
      .map((branch) => branch.fields.branchEic ?? null),
  };
}

/** What identifies a constraint, as jao.flow_constraint stores it. */
export type ConstraintIdentity = ReturnType<typeof constraintIdentityOf>;

/**
 * The identity as one text, the same for the same constraint in every version: a JSON array, names as published. A
 * publication that names one outaged branch in the row (Core's shadowPrices: `contName`, `branchEic`) adds the
 * contingency's name: one EIC does not tell a three-leg outage from its single leg.
 */
export function constraintKeyOf(row: ConstraintRow): string {
  const identity = constraintIdentityOf(row);
  const key: unknown[] = [
    identity.tso,
    identity.cneEic,
    identity.cneName,
    identity.direction,
    identity.contingencyEics,
  ];
  if (row.flatContingency) key.push(row.texts.contName);
  return JSON.stringify(key);
}
