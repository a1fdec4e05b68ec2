// What follows from a dataset's declaration (docs/datasets.md; the declarations are data, declarations/*.json, read by
// declared.ts). Workflows import it, so checking a declaration with zod lives apart (declarationSchema.ts, which says
// what a declaration is), imported here for its type only; the lists a declaration chooses from are in vocabulary.ts.
import type { DeliveryDay } from '../deliveryDay';
import { PTDF_PREFIX } from '../flowBased/fields';
import { keyOf, keyReaderOf, namesInKey, patternList, patternOfKey } from '../seriesKeys';
import type { DatasetDeclaration } from './declarationSchema';
import type { Unit } from './vocabulary';

export type { DatasetDeclaration } from './declarationSchema';
export * from './vocabulary';

/** Values at or above this size are refused as implausible (`value_too_large`), per unit. */
export const MAX_PLAUSIBLE_VALUE: { readonly [U in Unit]: number } = {
  MW: 100_000,
  'EUR/MWh': 100_000,
  'EUR/MW': 100_000,
  EUR: 1_000_000_000,
  dimensionless: 100_000,
};

/** The unit of a key's values: its pattern's, or the dataset's. */
export function unitOfKey(declaration: DatasetDeclaration, key: string): Unit {
  const pattern = declaration.patternUnits ? patternOfKey(declaration.keyPattern, key) : null;
  return (pattern !== null ? declaration.patternUnits?.[pattern] : undefined) ?? declaration.unit;
}

/** Every unit a dataset's values come in. */
export function unitsOf(declaration: DatasetDeclaration): Unit[] {
  return [...new Set([declaration.unit, ...Object.values(declaration.patternUnits ?? {})])];
}

/** The data path the JAO client appends to JAO_BASE_URL, e.g. `/core/api/data/maxExchanges`. */
export function dataPathOf(declaration: Pick<DatasetDeclaration, 'region' | 'endpoint'>): string {
  return `/${declaration.region}/api/data/${declaration.endpoint}`;
}

/** The declared MTU length on a day (the period the day falls in; the first one before it). */
export function declaredResolutionOn(declaration: DatasetDeclaration, day: DeliveryDay): number {
  let minutes = declaration.resolutions[0]!.minutes;
  for (const period of declaration.resolutions) if (period.from <= day) minutes = period.minutes;
  return minutes;
}

/** The zones (or hubs) a dataset's keys are declared to name on a day: `zones` and the `addedZones` by then. */
export function declaredZonesOn(declaration: DatasetDeclaration, day: DeliveryDay): string[] {
  const added = (declaration.addedZones ?? []).filter((period) => period.from <= day);
  return [...declaration.zones, ...added.flatMap((period) => period.zones)];
}

/** Every zone (or hub) a dataset declares, whenever its keys name it. */
export function allDeclaredZones(declaration: DatasetDeclaration): string[] {
  return [...declaration.zones, ...(declaration.addedZones ?? []).flatMap((period) => period.zones)];
}

/** The keys a dataset declares published empty on purpose (none for most). */
export function publishedEmptyKeysOf(declaration: DatasetDeclaration): readonly string[] {
  return declaration.publishedEmpty?.keys ?? [];
}

/**
 * The keys a dataset is declared to publish on a day, in a row's order: its `keys` (those naming a zone declared by
 * then), or else each pattern over the day's declared zones (`{FROM}_{TO}` over every ordered pair).
 */
export function declaredKeysOn(declaration: DatasetDeclaration, day: DeliveryDay): string[] {
  const zones = declaredZonesOn(declaration, day);
  if (declaration.keys !== undefined) {
    const named = new Set(zones);
    return declaration.keys.filter((key) =>
      (namesInKey(declaration.keyPattern, key) ?? []).every((name) => named.has(name)),
    );
  }
  const keys: string[] = [];
  for (const pattern of patternList(declaration.keyPattern)) {
    const family = keyReaderOf(pattern).families[0]!;
    if (family.names === 'none') keys.push(keyOf(family, []));
    else if (family.names === 'one') for (const zone of zones) keys.push(keyOf(family, [zone]));
    else
      for (const from of zones) for (const to of zones) if (from !== to) keys.push(keyOf(family, [from, to]));
  }
  return keys;
}

/** How a constraint publication spells a constraint's fields: what domain/flowBased/publicationFieldsSchema.ts accepts. */
export type ConstraintFields = NonNullable<DatasetDeclaration['constraintFields']>;

/** Core's domain spelling (finalComputation and its stages): a declaration that names no constraintFields has it. */
export const CORE_DOMAIN_FIELDS: ConstraintFields = {
  filter: { Presolved: true },
  presolvedFlag: 'presolved',
  ptdfPrefix: PTDF_PREFIX,
  contingency: { form: 'list' },
  renames: {},
  absent: [],
  extra: {},
  everyMtuHasRows: true,
  rowsPerMtu: 160,
};

/** How a constraint dataset's rows spell their fields (Core's domain spelling unless it declares another). */
export function constraintFieldsOf(
  declaration: Pick<DatasetDeclaration, 'constraintFields'>,
): ConstraintFields {
  return declaration.constraintFields ?? CORE_DOMAIN_FIELDS;
}
