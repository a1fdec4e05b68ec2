// The network the simulated flow-based domain is made of, kept as data in networkModel.json and checked here when
// the simulator loads: the TSOs' zones, the network elements, the contingencies that are not one element's outage,
// the external and equality constraints, and the element of the constraint added while a client pages.
// constraints.ts builds the constraints (element × direction × contingency) from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AHC_HUBS, PTDF_HUBS, TSO_EICS, type Tso } from './endpoints';
import { textHash } from './hash';

export interface NetworkElement {
  tso: Tso;
  /** As published, usually with a trailing space. */
  name: string;
  eic: string;
  hubFrom: string;
  hubTo: string;
  substationFrom: string;
  substationTo: string;
  elementType: 'Line' | 'TieLine' | 'PST' | 'Transformer';
  fmaxType: 'SEASONAL' | 'FIXED' | 'DYNAMIC';
  /** A. */
  imax: number;
  /** Percent; MIN_RAM_FACTOR unless derogated. */
  minRamFactor: number;
}

/** One item of a row's `contingencies`, the fixture's seven keys. */
export interface OutagedBranch {
  branchEic: string | null;
  hubFrom: string | null;
  hubTo: string | null;
  substationFrom: string | null;
  substationTo: string | null;
  elementType: string | null;
}

export interface Contingency {
  tso: Tso;
  name: string;
  branches: OutagedBranch[];
}

/** An external or equality constraint: no element, a name, PTDF +1/-1 by hub (the rest 0). */
export interface SpecialConstraint {
  kind: 'external' | 'equality';
  tso: Tso | 'NA';
  /** No trailing space, as in the fixture. */
  name: string;
  unitPtdfs: Readonly<Record<string, number>>;
  /** External constraints: the limit in MW. */
  limitMw: number;
}

export const NETWORK_MODEL_FILE = join(__dirname, 'networkModel.json');

/** Core's minimum RAM target, percent of Fmax. */
const MIN_RAM_FACTOR = 70;
/** How a made-up Fmax type is drawn, by the element name's hash (ELIA's are all seasonal, as in the fixture). */
const FMAX_TYPES: NetworkElement['fmaxType'][] = ['SEASONAL', 'SEASONAL', 'SEASONAL', 'FIXED', 'DYNAMIC'];

const tso = z.enum(Object.keys(TSO_EICS) as [Tso, ...Tso[]]);
const eic = z.string().regex(/^[0-9A-Z-]{16}$/, 'expected a 16-character EIC');
const text = z.string().min(1);
/** A free comment for the file's reader, not served. */
const note = z.string().optional();

const elementFields = {
  tso,
  name: text,
  eic,
  hubFrom: text,
  hubTo: text,
  substationFrom: text,
  substationTo: text,
  elementType: z.enum(['Line', 'TieLine', 'PST', 'Transformer']),
  imax: z.number().positive(),
  note,
};

const branch = z.strictObject({
  branchEic: eic.nullable(),
  hubFrom: text.nullable(),
  hubTo: text.nullable(),
  substationFrom: text.nullable(),
  substationTo: text.nullable(),
  elementType: text.nullable(),
});

const unit = z.union([z.literal(1), z.literal(-1)]);

const networkModelSchema = z.strictObject({
  about: z.string(),
  /** Each TSO's zone (the outages it monitors its elements under are in or at it) and derogated factor, if any. */
  tsos: z.record(
    tso,
    z.strictObject({ zone: text, minRamFactor: z.number().positive().max(100).optional() }),
  ),
  elements: z.array(z.strictObject(elementFields)).min(1),
  /** Contingencies that are not one element's outage. */
  specialContingencies: z.array(z.strictObject({ tso, name: text, note, branches: z.array(branch).min(1) })),
  specialConstraints: z.array(
    z
      .strictObject({
        kind: z.enum(['external', 'equality']),
        tso: z.union([tso, z.literal('NA')]),
        name: text,
        unitPtdfs: z.record(text, unit).optional(),
        /** The same unit PTDF on every hub, the virtual ones included. */
        everyHub: unit.optional(),
        limitMw: z.number().nonnegative(),
        note,
      })
      .refine((c) => (c.unitPtdfs === undefined) !== (c.everyHub === undefined), {
        error: 'expected either unitPtdfs or everyHub',
      }),
  ),
  latecomer: z.strictObject({
    ...elementFields,
    fmaxType: z.enum(['SEASONAL', 'FIXED', 'DYNAMIC']),
    minRamFactor: z.number().positive().max(100),
  }),
});

export interface NetworkModel {
  /** By TSO, the zone whose outages it monitors its elements under. */
  zoneOfTso: Readonly<Record<Tso, string>>;
  elements: readonly NetworkElement[];
  specialContingencies: readonly Contingency[];
  specialConstraints: readonly SpecialConstraint[];
  latecomer: NetworkElement;
}

const EVERY_HUB = [...PTDF_HUBS, ...AHC_HUBS];

type ElementData = z.infer<typeof networkModelSchema>['elements'][number];

function elementOf(
  data: ElementData,
  fmaxType: NetworkElement['fmaxType'],
  minRamFactor: number,
): NetworkElement {
  return {
    tso: data.tso,
    name: data.name,
    eic: data.eic,
    hubFrom: data.hubFrom,
    hubTo: data.hubTo,
    substationFrom: data.substationFrom,
    substationTo: data.substationTo,
    elementType: data.elementType,
    fmaxType,
    imax: data.imax,
    minRamFactor,
  };
}

/** `elements[3].eic`. */
const pathText = (path: readonly PropertyKey[]) =>
  path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');

/** The model a text holds; throws one line naming `file` and what is wrong in it when the text is not one. */
export function parseNetworkModel(source: string, file: string): NetworkModel {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = networkModelSchema.safeParse(json);
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues;
    const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
    throw new Error(
      `${file} is malformed at ${pathText(first!.path) || 'its top'}: ${first!.message}${more}`,
    );
  }
  const { tsos, elements, specialContingencies, specialConstraints, latecomer } = parsed.data;
  const zoneOfTso = Object.fromEntries(Object.entries(tsos).map(([name, { zone }]) => [name, zone]));
  return {
    zoneOfTso: zoneOfTso as Record<Tso, string>,
    elements: elements.map((element) =>
      elementOf(
        element,
        element.tso === 'ELIA' ? 'SEASONAL' : FMAX_TYPES[textHash(element.name) % FMAX_TYPES.length]!,
        tsos[element.tso].minRamFactor ?? MIN_RAM_FACTOR,
      ),
    ),
    specialContingencies: specialContingencies.map(({ tso, name, branches }) => ({ tso, name, branches })),
    specialConstraints: specialConstraints.map(({ kind, tso, name, unitPtdfs, everyHub, limitMw }) => ({
      kind,
      tso,
      name,
      unitPtdfs: unitPtdfs ?? Object.fromEntries(EVERY_HUB.map((hub) => [hub, everyHub!])),
      limitMw,
    })),
    latecomer: elementOf(latecomer, latecomer.fmaxType, latecomer.minRamFactor),
  };
}

export const NETWORK_MODEL: NetworkModel = parseNetworkModel(
  readFileSync(NETWORK_MODEL_FILE, 'utf8'),
  'simulator/flowBased/networkModel.json',
);
