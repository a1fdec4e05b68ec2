// A JAO dataset as the pipeline knows it: one plain, typed declaration per dataset (docs/datasets.md). Pure data:
// workflows import it, so checking it with zod lives apart (declarationSchema.ts).
import type { DeliveryDay } from '../deliveryDay';
import type { KeyPattern } from '../seriesKeys';

/** The JAO Publication Tool regions whose data path is `/{region}/api/data/{endpoint}`. */
export const REGIONS = ['core', 'nordic'] as const;
export type Region = (typeof REGIONS)[number];

/**
 * What a row of the dataset holds: `keyedValues`, one number per key and MTU (the keys named by `keyPattern`), or
 * `constraints`, one row per constraint and MTU (the flow-based domain). Code that reads keyed values iterates
 * keyedValueDatasets() (index.ts).
 */
export const ROW_KINDS = ['keyedValues', 'constraints'] as const;
export type RowKind = (typeof ROW_KINDS)[number];

/**
 * The sign of the values: `nonNegative` (a capacity or a flow in one direction: a negative value is refused,
 * `value_negative`), or `signed` (a net position: export positive, import negative).
 */
export const VALUE_SIGNS = ['nonNegative', 'signed'] as const;
export type ValueSign = (typeof VALUE_SIGNS)[number];

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
   * How a key reads: `border_{FROM}_{TO}` (an exchange from one zone to another) or `hub_{HUB}` (one hub's value).
   * `zones` are the zones (or hubs) its keys name from the first day, `addedZones` those named from a later day; a
   * key naming another one is a new series, never an error.
   */
  keyPattern: KeyPattern;
  zones: readonly string[];
  addedZones?: readonly AddedZones[];
  valueSign: ValueSign;
  extraRowFields: readonly ExtraRowField[];
  /** Envelope members besides `data`, `rejected` and `messages` that the answer carries. */
  envelopeFields: readonly string[];
  publication: {
    /** `HH:MM-HH:MM` local time on D-1 in which day D is looked for. */
    window: string;
    /** `HH:MM` local time on D-1 by which day D is expected complete. */
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
  unit: 'MW';
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
