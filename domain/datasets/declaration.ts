// A JAO dataset as the pipeline knows it: one plain, typed declaration per dataset (docs/datasets.md). Pure data:
// workflows import it, so checking it with zod lives apart (declarationSchema.ts). The lists a declaration chooses
// from are in vocabulary.ts, which the check reads.
import type { DeliveryDay } from '../deliveryDay';
import { CORE_DOMAIN_FIELDS, type ConstraintFields } from '../flowBased/publicationFields';
import {
  type KeyPattern,
  type KeyPatterns,
  keyOf,
  keyReaderOf,
  namesInKey,
  patternList,
  patternOfKey,
} from '../seriesKeys';
import type { Region, RowKind, Unit, ValueSign } from './vocabulary';

export * from './vocabulary';

/** Values at or above this size are refused as implausible (`value_too_large`), per unit. */
export const MAX_PLAUSIBLE_VALUE: { readonly [U in Unit]: number } = {
  MW: 100_000,
  'EUR/MWh': 100_000,
  'EUR/MW': 100_000,
  EUR: 1_000_000_000,
  dimensionless: 100_000,
};

/** Zones (or hubs) a dataset's keys name from a delivery day on, besides those it named before. */
export interface AddedZones {
  from: DeliveryDay;
  zones: readonly string[];
  /** What brought them, for the data dictionary. */
  reason: string;
}

/** The MTU length from a delivery day on; a declaration lists them oldest first. */
export interface ResolutionPeriod {
  from: DeliveryDay;
  minutes: 15 | 30 | 60;
}

/**
 * A row field besides `id`, `dateTimeUtc` and the keys that the pipeline keeps per MTU instead of reporting it as
 * unknown. `zonelessUtcInstant`: an instant written without a zone (`2026-04-19T07:57:32.853`) that is UTC.
 */
export interface ExtraRowField {
  name: string;
  kind: 'zonelessUtcInstant';
  description: string;
}

export interface DatasetDeclaration {
  /** The dataset's id: in workflow ids (`{id}/day/YYYY-MM-DD`), the `Dataset` search attribute, jao.* rows, the API. */
  id: string;
  region: Region;
  /** JAO's name of the dataset, the last segment of its data path. */
  endpoint: string;
  /** One line for the catalogue and the status page. */
  title: string;
  /** What the dataset holds, for the data dictionary. */
  description: string;
  /** The market's delivery-day time zone: a day is [local 00:00, next local 00:00) there. */
  timeZone: 'Europe/Amsterdam';
  /** The first delivery day JAO publishes; nothing before it is asked for. */
  firstDay: DeliveryDay;
  /** What happened on `firstDay`, for messages: `Core flow-based go-live`. */
  firstDayName: string;
  /** Where `firstDay` comes from (a public source), and how sure it is. */
  firstDaySource: string;
  /**
   * The MTU length by period. Validation reads the resolution of each answer from its rows (the expected count is
   * the day's length divided by it); an answer whose resolution differs from the declared one is drift.
   */
  resolutions: readonly ResolutionPeriod[];
  rowKind: RowKind;
  /**
   * How a key reads (domain/seriesKeys.ts): a family prefix, then `{FROM}_{TO}` (an ordered pair of zones:
   * `border_{FROM}_{TO}`, `shadowPrice_{FROM}_{TO}`), `{HUB}` (one hub, zone or TSO: `hub_{HUB}`, `min{HUB}`,
   * `globalNetPosition_{HUB}`) or nothing (the key itself: `alphaFactor`); several patterns when a row carries several
   * families. `zones` are the zones (or hubs, TSOs) its keys name from the first day, `addedZones` those named from a
   * later day; a key naming another one is a new series, never an error.
   */
  keyPattern: KeyPatterns;
  zones: readonly string[];
  /**
   * The keys the dataset publishes, in a row's order, where they are known or assumed (the simulator answers with
   * them); without it, each `{HUB}` pattern over `zones` and each `{FROM}_{TO}` pattern over every ordered pair.
   */
  keys?: readonly string[];
  addedZones?: readonly AddedZones[];
  valueSign: ValueSign;
  extraRowFields: readonly ExtraRowField[];
  /** Envelope members besides `data`, `rejected` and `messages` that the answer carries. */
  envelopeFields: readonly string[];
  publication: {
    /** `HH:MM-HH:MM` local time on D-1 in which day D is looked for. */
    window: string;
    /** By when day D is expected complete: `HH:MM` local time on D-1, or `D HH:MM` on D (domain/freshnessDeadline.ts). */
    deadline: string;
    /** When JAO publishes, as observed, in words. */
    typical: string;
  };
  /**
   * Keys JAO publishes on purpose without values (null in every row): their nulls are not missing values, a day
   * whose only nulls are theirs is complete, and its quality record names them. A value on one of them is drift.
   */
  publishedEmpty?: {
    keys: readonly string[];
    /** What the nulls mean, and how sure the project is of it. */
    meaning: string;
  };
  /**
   * The steps (`page`) of JAO's monitoring answer (`/{region}/api/system/monitoring`, docs/monitoring.md) whose
   * turning Received, or whose `lastModifiedOn` moving, announces the dataset's day or its revision. Absent: no step
   * is known, and the dataset is fetched by its fixed polls only.
   */
  monitoring?: {
    steps: readonly string[];
    /** Where the link between step and dataset comes from, and how sure it is. */
    source: string;
  };
  unit: Unit;
  /** The unit of the families whose values are in another unit than `unit`, by pattern (activeLtaConstraint's `shadowPrice_{FROM}_{TO}`: EUR/MW). */
  patternUnits?: { readonly [pattern: KeyPattern]: Unit };
  /**
   * A null value is JAO saying there is none (no limit, no active constraint), not a missing value: it is counted
   * as published, keeps no stored value, and the day can be complete.
   */
  publishedNull?: { meaning: string };
  /**
   * JAO publishes a row only for the MTUs that have something to publish (activeLtaConstraint: hours with an active
   * constraint). A day is judged on the MTUs it has rows for: complete when each of them is read whole. A day
   * without any row stays `not_published`, as JAO's answer before publication looks the same.
   */
  sparse?: { meaning: string };
  /**
   * rowKind `constraints` only: how the publication spells a constraint's fields, mapped to the one stored form
   * (domain/flowBased/publicationFields.ts). Absent: Core's domain spelling (CORE_DOMAIN_FIELDS).
   */
  constraintFields?: ConstraintFields;
}

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

/** How a constraint dataset's rows spell their fields (Core's domain spelling unless it declares another). */
export function constraintFieldsOf(
  declaration: Pick<DatasetDeclaration, 'constraintFields'>,
): ConstraintFields {
  return declaration.constraintFields ?? CORE_DOMAIN_FIELDS;
}
