// The network elements and contingencies the simulated domain is made of, and the constraints built from them
// (element × direction × contingency). Most names, and the Elia EICs, come from the real rows of
// test/fixtures/jao/flowbased/ (trailing spaces kept); the rest are made up, EICs in the same 16-character form.

import { AHC_HUBS, type Tso } from './endpoints';
import { textHash } from './hash';

export type Direction = 'DIRECT' | 'OPPOSITE' | 'NA';

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
  /** Percent; 70 unless derogated. */
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

/** What a constraint is: a CNEC (element, direction, contingency or the N state), or an external/equality one. */
export type ConstraintKind = 'cnec' | 'external' | 'equality';

export interface Constraint {
  kind: ConstraintKind;
  /** Position in the catalogue: the order of a MTU's rows. */
  index: number;
  tso: Tso | 'NA';
  element: NetworkElement | null;
  /** Name of an external or equality constraint (no trailing space, as in the fixture). */
  specialName: string | null;
  direction: Direction;
  /** null: the N state. */
  contingency: Contingency | null;
  /** Seed of what both directions of one element under one contingency share (flows, PTDFs). */
  pairSeed: number;
  /** Seed of this constraint (its presolved flag, revisions). */
  seed: number;
  /** External and equality constraints: PTDF +1/-1 by hub (the rest 0). */
  unitPtdfs: Readonly<Record<string, number>> | null;
  /** External constraints: the limit in MW. */
  limitMw: number;
}

type ElementRow = [
  tso: Tso,
  name: string,
  eic: string,
  hubFrom: string,
  hubTo: string,
  substationFrom: string,
  substationTo: string,
  elementType: NetworkElement['elementType'],
  imax: number,
];

const ELEMENT_ROWS: ElementRow[] = [
  ['ELIA', 'Achene - Lonny 380.19 ', '10T-BE-FR-000015', 'BE', 'FR', 'Achene', 'Lonny', 'TieLine', 2551],
  ['ELIA', 'Avelgem - Avelin 380.80 ', '10T-BE-FR-000031', 'BE', 'FR', 'Avelgem', 'Avelin', 'TieLine', 3700],
  ['ELIA', 'Lixhe - Gramme 380.11 ', '22T-BE-IN-LI018R', 'BE', 'BE', 'Gramme', 'Lixhe', 'Line', 2850],
  [
    'ELIA',
    'Maasbracht - Van Eyck 380 Black/27 ',
    '10T-BE-NL-00001I',
    'BE',
    'NL',
    'Van Eyck',
    'Maasbracht',
    'TieLine',
    2970,
  ],
  ['ELIA', 'PST Van Eyck 1 ', '22T-BE-PST--001W', 'BE', 'BE', 'Van Eyck', 'Van Eyck', 'PST', 2300],
  ['ELIA', 'PST Van Eyck 2 ', '22T-BE-PST--002U', 'BE', 'BE', 'Van Eyck', 'Van Eyck', 'PST', 2300],
  ['ELIA', 'Gramme - Achene 380.10 ', '22T-BE-IN-LI0130', 'BE', 'BE', 'Achene', 'Gramme', 'Line', 2850],
  // A Y-shaped element: one EIC for its legs, told apart by name only.
  [
    'ELIA',
    'Y-Courcelles (-Gramme - Tergnee) 380.31 ',
    '22T-BE-IN-LI019P',
    'BE',
    'BE',
    'Courcelles',
    'Tergnee',
    'Line',
    2600,
  ],
  [
    'ELIA',
    'Y-Gramme (-Courcelles - Tergnee) 380.31 ',
    '22T-BE-IN-LI019P',
    'BE',
    'BE',
    'Gramme',
    'Tergnee',
    'Line',
    2600,
  ],
  [
    'APG',
    'Obersielach - Podlog 247 ',
    '10T-AT-SI-000001',
    'AT',
    'SI',
    'Obersielach',
    'Podlog',
    'TieLine',
    1400,
  ],
  [
    'APG',
    'Pleinting - St. Peter 258 ',
    '10T-AT-DE-000004',
    'AT',
    'DE',
    'St. Peter',
    'Pleinting',
    'TieLine',
    1960,
  ],
  ['APG', 'Strass - Thaur 273B ', '14T-AT-LINE-0273', 'AT', 'AT', 'Strass', 'Thaur', 'Line', 2000],
  [
    'APG',
    'Duernrohr 1 - Slavetice 437 ',
    '10T-AT-CZ-000001',
    'AT',
    'CZ',
    'Duernrohr',
    'Slavetice',
    'TieLine',
    2000,
  ],
  [
    'APG',
    'Kainachtal - Maribor 473 ',
    '10T-AT-SI-000002',
    'AT',
    'SI',
    'Kainachtal',
    'Maribor',
    'TieLine',
    2000,
  ],
  [
    'APG',
    'Westtirol 1 - Westtirol 2 WTRHU41 ',
    '14T-AT-TR---0041',
    'AT',
    'AT',
    'Westtirol',
    'Westtirol',
    'Transformer',
    1800,
  ],
  ['CEPS', 'Hradec - Etzenricht  ', '10T-CZ-DE-000001', 'CZ', 'DE', 'Hradec', 'Etzenricht', 'TieLine', 2500],
  [
    'CEPS',
    'Hradec - Rohrsdorf - V446  ',
    '10T-CZ-DE-000002',
    'CZ',
    'DE',
    'Hradec',
    'Rohrsdorf',
    'TieLine',
    2520,
  ],
  [
    'CEPS',
    'Liskovec - P. Bystrica  ',
    '10T-CZ-SK-000001',
    'CZ',
    'SK',
    'Liskovec',
    'P. Bystrica',
    'TieLine',
    1800,
  ],
  ['CEPS', 'Nosovice - Varin  ', '10T-CZ-SK-000002', 'CZ', 'SK', 'Nosovice', 'Varin', 'TieLine', 2100],
  ['CEPS', 'Sokolnice - Zaya - V244 ', '10T-AT-CZ-000002', 'CZ', 'AT', 'Sokolnice', 'Zaya', 'TieLine', 1600],
  [
    'CEPS',
    'Sokolnice - Krizovany  ',
    '10T-CZ-SK-000003',
    'CZ',
    'SK',
    'Sokolnice',
    'Krizovany',
    'TieLine',
    2000,
  ],
  [
    'TENNETGMBH',
    'Etzenricht - Prestice 442 ',
    '10T-CZ-DE-000003',
    'DE',
    'CZ',
    'Etzenricht',
    'Prestice',
    'TieLine',
    2520,
  ],
  // The same tie-line as APG's: two TSOs publish one element.
  [
    'TENNETGMBH',
    'Pleinting - St. Peter 258 ',
    '10T-AT-DE-000004',
    'DE',
    'AT',
    'Pleinting',
    'St. Peter',
    'TieLine',
    1960,
  ],
  [
    'TENNETGMBH',
    'Y-Altheim (-Simbach - St. Peter) 233/230 ',
    '14T-DE-LINE-0233',
    'DE',
    'DE',
    'Altheim',
    'Simbach',
    'Line',
    2000,
  ],
  [
    'TENNETGMBH',
    'Altheim - Sittling 219 ',
    '14T-DE-LINE-0219',
    'DE',
    'DE',
    'Altheim',
    'Sittling',
    'Line',
    2000,
  ],
  [
    'AMPRION',
    'Bechterdissen - Guetersloh SENNE N2 ',
    '14T-DE-LINE-2002',
    'DE',
    'DE',
    'Bechterdissen',
    'Guetersloh',
    'Line',
    2700,
  ],
  [
    'AMPRION',
    'Bechterdissen - Guetersloh SENNE S1 ',
    '14T-DE-LINE-2001',
    'DE',
    'DE',
    'Bechterdissen',
    'Guetersloh',
    'Line',
    2700,
  ],
  [
    'AMPRION',
    'Y-Oberzier (-Paffendorf - Sechtem) SECHTM N ',
    '14T-DE-LINE-2310',
    'DE',
    'DE',
    'Oberzier',
    'Sechtem',
    'Line',
    2580,
  ],
  [
    'AMPRION',
    'Maasbracht - Oberzier 380 white ',
    '10T-DE-NL-000002',
    'DE',
    'NL',
    'Oberzier',
    'Maasbracht',
    'TieLine',
    2700,
  ],
  ['AMPRION', 'PST Gronau TR 441 E ', '14T-DE-PST--0441', 'DE', 'DE', 'Gronau', 'Gronau', 'PST', 2800],
  ['AMPRION', 'Ensdorf - Vigy VIGY2 S ', '10T-DE-FR-000002', 'DE', 'FR', 'Ensdorf', 'Vigy', 'TieLine', 2700],
  [
    'TRANSNETBW',
    'Hoheneck - Rheinau KUGELB O ',
    '14T-DE-LINE-3101',
    'DE',
    'DE',
    'Hoheneck',
    'Rheinau',
    'Line',
    2580,
  ],
  [
    'TRANSNETBW',
    'Eichstetten - Muhlbach 380 ',
    '10T-DE-FR-000005',
    'DE',
    'FR',
    'Eichstetten',
    'Muhlbach',
    'TieLine',
    2520,
  ],
  [
    '50HERTZ',
    'Hradec - Rohrsdorf 445 ',
    '10T-CZ-DE-000004',
    'DE',
    'CZ',
    'Rohrsdorf',
    'Hradec',
    'TieLine',
    2520,
  ],
  [
    '50HERTZ',
    'Vierraden - Krajnik 508 ',
    '10T-DE-PL-000002',
    'DE',
    'PL',
    'Vierraden',
    'Krajnik',
    'TieLine',
    2300,
  ],
  ['ELES', 'Pehlin - Divaca ', '10T-HR-SI-000001', 'SI', 'HR', 'Divaca', 'Pehlin', 'TieLine', 1320],
  ['ELES', 'Melina - Divaca ', '10T-HR-SI-000002', 'SI', 'HR', 'Divaca', 'Melina', 'TieLine', 1980],
  ['ELES', 'Tumbri - Krsko 1 ', '10T-HR-SI-000003', 'SI', 'HR', 'Krsko', 'Tumbri', 'TieLine', 1980],
  ['ELES', 'Cirkovce - Heviz ', '10T-HU-SI-000001', 'SI', 'HU', 'Cirkovce', 'Heviz', 'TieLine', 2400],
  [
    'HOPS',
    'Pecs - Ernestinovo1 491A ',
    '10T-HR-HU-000001',
    'HR',
    'HU',
    'Ernestinovo',
    'Pecs',
    'TieLine',
    2000,
  ],
  ['HOPS', 'Zerjavinec - Heviz ', '10T-HR-HU-000002', 'HR', 'HU', 'Zerjavinec', 'Heviz', 'TieLine', 2000],
  ['HOPS', 'Melina - Tumbri ', '14T-HR-LINE-0001', 'HR', 'HR', 'Melina', 'Tumbri', 'Line', 1980],
  ['MAVIR', 'Gonyu - Gyor ', '14T-HU-LINE-0001', 'HU', 'HU', 'Gonyu', 'Gyor', 'Line', 2000],
  ['MAVIR', 'Gabcikovo - Gonyu ', '10T-HU-SK-000001', 'HU', 'SK', 'Gonyu', 'Gabcikovo', 'TieLine', 2000],
  [
    'MAVIR',
    'Sajoivanka - Rimavska Sobota ',
    '10T-HU-SK-000002',
    'HU',
    'SK',
    'Sajoivanka',
    'R. Sobota',
    'TieLine',
    1800,
  ],
  [
    'TENNETBV',
    'Diele - Meeden 380 White ',
    '10T-DE-NL-000003',
    'NL',
    'DE',
    'Meeden',
    'Diele',
    'TieLine',
    2000,
  ],
  [
    'TENNETBV',
    'Zwolle - Hengelo 380 Wit ',
    '14T-NL-LINE-0001',
    'NL',
    'NL',
    'Zwolle',
    'Hengelo',
    'Line',
    2900,
  ],
  [
    'TENNETBV',
    'Krimpen a/d IJssel - Geertruidenberg 380 Wit ',
    '14T-NL-LINE-0002',
    'NL',
    'NL',
    'Krimpen a/d IJssel',
    'Geertruidenberg',
    'Line',
    2900,
  ],
  [
    'TENNETBV',
    'Meeden - Diele 380 Zwart ',
    '10T-DE-NL-000004',
    'NL',
    'DE',
    'Meeden',
    'Diele',
    'TieLine',
    2000,
  ],
  [
    'PSE',
    'Krosno Iskrzynia - Rzeszow ',
    '14T-PL-LINE-0001',
    'PL',
    'PL',
    'Krosno Iskrzynia',
    'Rzeszow',
    'Line',
    1600,
  ],
  ['PSE', 'Mikulowa AT1 ', '14T-PL-TR---0001', 'PL', 'PL', 'Mikulowa', 'Mikulowa', 'Transformer', 1500],
  ['PSE', 'Wielopole - Nosovice ', '10T-CZ-PL-000001', 'PL', 'CZ', 'Wielopole', 'Nosovice', 'TieLine', 2000],
  ['PSE', 'Mikulowa PST1 ', '14T-PL-PST--0001', 'PL', 'PL', 'Mikulowa', 'Mikulowa', 'PST', 1500],
  [
    'PSE',
    'Krajnik - Vierraden 507 ',
    '10T-DE-PL-000001',
    'PL',
    'DE',
    'Krajnik',
    'Vierraden',
    'TieLine',
    2300,
  ],
  [
    'TRANSELECTRICA',
    'Portile de Fier - Resita c1 ',
    '14T-RO-LINE-0001',
    'RO',
    'RO',
    'Portile de Fier',
    'Resita',
    'Line',
    1500,
  ],
  [
    'TRANSELECTRICA',
    'TR Rosiori 400/220 1 ',
    '14T-RO-TR---0001',
    'RO',
    'RO',
    'Rosiori',
    'Rosiori',
    'Transformer',
    1200,
  ],
  ['TRANSELECTRICA', 'PST Arad 400/220 3 ', '14T-RO-PST--0003', 'RO', 'RO', 'Arad', 'Arad', 'PST', 1200],
  [
    'TRANSELECTRICA',
    'Nadab - Bekescsaba ',
    '10T-HU-RO-000001',
    'RO',
    'HU',
    'Nadab',
    'Bekescsaba',
    'TieLine',
    1800,
  ],
  [
    'SEPS',
    'Gabcikovo - P.Biskupice ',
    '14T-SK-LINE-0001',
    'SK',
    'SK',
    'Gabcikovo',
    'P.Biskupice',
    'Line',
    2000,
  ],
  ['SEPS', 'H.Zdana - Sucany ', '14T-SK-LINE-0002', 'SK', 'SK', 'H.Zdana', 'Sucany', 'Line', 1800],
  ['SEPS', 'V.Dur - Levice 1 ', '14T-SK-LINE-0003', 'SK', 'SK', 'V.Dur', 'Levice', 'Line', 2000],
  ['SEPS', 'V.Dur - Krizovany ', '14T-SK-LINE-0004', 'SK', 'SK', 'V.Dur', 'Krizovany', 'Line', 2000],
  ['RTE', 'Vigy - Ensdorf 2 ', '10T-DE-FR-000003', 'FR', 'DE', 'Vigy', 'Ensdorf', 'TieLine', 2700],
  ['RTE', 'Avelin - Avelgem 380 ', '10T-BE-FR-000031', 'FR', 'BE', 'Avelin', 'Avelgem', 'TieLine', 3700],
  [
    'RTE',
    'Muhlbach - Eichstetten 380 ',
    '10T-DE-FR-000005',
    'FR',
    'DE',
    'Muhlbach',
    'Eichstetten',
    'TieLine',
    2520,
  ],
  ['RTE', 'Lonny - Vesle 1 ', '14T-FR-LINE-0001', 'FR', 'FR', 'Lonny', 'Vesle', 'Line', 3000],
];

/** The target a TSO derogated from 70 % (illustrative: a few TSOs publish another factor). */
const DEROGATED_FACTOR: Partial<Record<Tso, number>> = { PSE: 45, TRANSELECTRICA: 62 };
const FMAX_TYPES: NetworkElement['fmaxType'][] = ['SEASONAL', 'SEASONAL', 'SEASONAL', 'FIXED', 'DYNAMIC'];

export const ELEMENTS: readonly NetworkElement[] = ELEMENT_ROWS.map(
  ([tso, name, eic, hubFrom, hubTo, substationFrom, substationTo, elementType, imax]) => ({
    tso,
    name,
    eic,
    hubFrom,
    hubTo,
    substationFrom,
    substationTo,
    elementType,
    fmaxType: tso === 'ELIA' ? 'SEASONAL' : FMAX_TYPES[textHash(name) % FMAX_TYPES.length]!,
    imax,
    minRamFactor: DEROGATED_FACTOR[tso] ?? 70,
  }),
);

function branchOf(element: NetworkElement): OutagedBranch {
  return {
    branchEic: element.eic,
    hubFrom: element.hubFrom,
    hubTo: element.hubTo,
    substationFrom: element.substationFrom,
    substationTo: element.substationTo,
    elementType: element.elementType,
  };
}

/** `Avelgem - Avelin 380.80 ` → `Avelgem - Avelin 380.80`: a contingency names its branches without the space. */
const trimmed = (name: string) => name.trim();

/** Outages of one element: the element alone, and (tie-lines) both of its circuits, one EIC written twice. */
function outagesOf(element: NetworkElement): Contingency[] {
  const single: Contingency = {
    tso: element.tso,
    name: trimmed(element.name),
    branches: [branchOf(element)],
  };
  if (element.elementType !== 'TieLine') return [single];
  return [
    single,
    {
      tso: element.tso,
      name: `${trimmed(element.name)} ${trimmed(element.name)}`,
      branches: [branchOf(element), branchOf(element)],
    },
  ];
}

const NOT_APPLICABLE_BRANCH: Omit<OutagedBranch, 'branchEic'> = {
  hubFrom: 'NA',
  hubTo: 'NA',
  substationFrom: 'NA',
  substationTo: 'NA',
  elementType: null,
};

/** Contingencies that are not one element: tripods (one EIC, three legs), an HVDC link known by EIC only. */
const SPECIAL_CONTINGENCIES: Contingency[] = [
  {
    tso: 'ELIA',
    name: 'Y-Van Eyck (-Andre Dumont - Gramme) 380.12 Y-Andre Dumont (-Gramme - Van Eyck) 380.12 Y-Gramme (-Andre Dumont - Van Eyck) 380.12',
    branches: [
      ['Van Eyck', 'Zuttendaal'],
      ['Andre Dumont', 'Zuttendaal'],
      ['Gramme', 'Zuttendaal'],
    ].map(([from, to]) => ({
      branchEic: '22T20161020---48',
      hubFrom: 'BE',
      hubTo: 'BE',
      substationFrom: from!,
      substationTo: to!,
      elementType: 'Line',
    })),
  },
  {
    tso: 'ELIA',
    name: 'Alegro HVDC',
    branches: [
      {
        branchEic: '22T201903146---W',
        hubFrom: null,
        hubTo: null,
        substationFrom: null,
        substationTo: null,
        elementType: null,
      },
    ],
  },
  {
    tso: 'AMPRION',
    name: 'Y-Oberzier (-Paffendorf - Sechtem) SECHTM N',
    branches: [
      {
        branchEic: '14T-DE-LINE-2310',
        hubFrom: 'DE',
        hubTo: 'DE',
        substationFrom: 'Oberzier',
        substationTo: 'Paffendorf',
        elementType: 'Line',
      },
      { branchEic: '14T-DE-LINE-2310', ...NOT_APPLICABLE_BRANCH },
      { branchEic: '14T-DE-LINE-2310', ...NOT_APPLICABLE_BRANCH },
    ],
  },
  {
    tso: 'APG',
    name: 'Kainachtal - Maribor 473 400 kV Maribor - Kainachtal 1',
    branches: [
      {
        branchEic: '10T-AT-SI-000002',
        hubFrom: 'AT',
        hubTo: 'SI',
        substationFrom: 'Kainachtal',
        substationTo: 'Maribor',
        elementType: 'TieLine',
      },
      {
        branchEic: '10T-AT-SI-000002',
        hubFrom: 'SI',
        hubTo: 'AT',
        substationFrom: 'Maribor',
        substationTo: 'Kainachtal',
        elementType: 'TieLine',
      },
    ],
  },
];

const ZONE_OF_TSO: Record<Tso, string> = {
  APG: 'AT',
  CEPS: 'CZ',
  ELES: 'SI',
  AMPRION: 'DE',
  '50HERTZ': 'DE',
  TRANSELECTRICA: 'RO',
  TENNETGMBH: 'DE',
  TRANSNETBW: 'DE',
  TENNETBV: 'NL',
  SEPS: 'SK',
  RTE: 'FR',
  PSE: 'PL',
  MAVIR: 'HU',
  HOPS: 'HR',
  ELIA: 'BE',
};

/** The contingencies a TSO monitors its elements under: outages in or at its zone (its special ones apart). */
function contingencyPool(tso: Tso): Contingency[] {
  const zone = ZONE_OF_TSO[tso];
  const pool = ELEMENTS.filter((e) => e.hubFrom === zone || e.hubTo === zone).flatMap(outagesOf);
  const seen = new Set<string>();
  return pool.filter((c) => !seen.has(c.name) && seen.add(c.name));
}

/**
 * The contingencies an element is monitored under (base ones first, then the reserve): the TSO's special ones in
 * turn, then outages of its pool chosen by the seed, never the element's own outage.
 */
function contingenciesOf(element: NetworkElement, elementIndex: number, seed: number): Contingency[] {
  const notOwn = (c: Contingency) => c.branches[0]?.branchEic !== element.eic;
  const specials = SPECIAL_CONTINGENCIES.filter((c) => c.tso === element.tso && notOwn(c));
  const pool = contingencyPool(element.tso).filter(notOwn);
  const start = textHash(`${element.name}|${seed}`) % pool.length;
  const chosen = specials.length > 0 ? [specials[elementIndex % specials.length]!] : [];
  for (let i = 0; chosen.length < CONTINGENCIES_PER_ELEMENT + RESERVE_PER_ELEMENT && i < pool.length; i++) {
    const candidate = pool[(start + i * 7) % pool.length]!;
    if (!chosen.includes(candidate)) chosen.push(candidate);
  }
  return chosen;
}

/** Contingencies per element in the base set, besides the N state (both directions each). */
const CONTINGENCIES_PER_ELEMENT = 3;
/** Contingencies per element kept aside: constraints a revision may add. */
const RESERVE_PER_ELEMENT = 1;

export interface ConstraintCatalogue {
  /** The constraints of a day as first published. */
  base: readonly Constraint[];
  /** Constraints a revision may add. */
  reserve: readonly Constraint[];
  /** The constraint added while a client pages (a count that changes under it). */
  latecomer: Constraint;
}

function constraintKey(c: Pick<Constraint, 'tso' | 'element' | 'specialName' | 'direction' | 'contingency'>) {
  return JSON.stringify([
    c.tso,
    c.element?.eic ?? 'NA',
    c.element?.name ?? c.specialName,
    c.direction,
    c.contingency?.branches.map((b) => b.branchEic) ?? [null],
  ]);
}

function specialConstraints(): Array<Omit<Constraint, 'index'>> {
  const hubs = ['ALBE', 'ALDE', 'AT', 'BE', 'CZ', 'DE', 'FR', 'HR', 'HU', 'NL', 'PL', 'RO', 'SI', 'SK'];
  const special = (
    kind: ConstraintKind,
    tso: Tso | 'NA',
    name: string,
    unitPtdfs: Record<string, number>,
    limitMw: number,
  ): Omit<Constraint, 'index'> => ({
    kind,
    tso,
    element: null,
    specialName: name,
    direction: 'NA',
    contingency: null,
    pairSeed: textHash(name),
    seed: textHash(`${name}|seed`),
    unitPtdfs,
    limitMw,
  });
  return [
    special('external', 'ELIA', 'External Constraint BE_AL_export', { ALBE: 1 }, 1000),
    special('external', 'ELIA', 'External Constraint BE_AL_import', { ALBE: -1 }, 1000),
    special('external', 'NA', 'External Constraint DE_AL_export', { ALDE: 1 }, 1000),
    special('external', 'NA', 'External Constraint DE_AL_import', { ALDE: -1 }, 1000),
    special('equality', 'NA', 'Equality Constraint BE_AL-DE_AL 01', { ALBE: 1, ALDE: 1 }, 0),
    special('equality', 'NA', 'Equality Constraint BE_AL-DE_AL 02', { ALBE: -1, ALDE: -1 }, 0),
    // Every hub's net positions sum to zero, the virtual hubs' included on a day that has them: on the real netPos
    // row of an AHC day (test/fixtures/jao/flowbased/) the Core hubs alone sum to −2,390.4 MW.
    special(
      'equality',
      'NA',
      'Equality Constraint Core hubs 01',
      Object.fromEntries([...hubs, ...AHC_HUBS].map((h) => [h, 1])),
      0,
    ),
    special(
      'equality',
      'NA',
      'Equality Constraint Core hubs 02',
      Object.fromEntries([...hubs, ...AHC_HUBS].map((h) => [h, -1])),
      0,
    ),
  ];
}

function cnec(element: NetworkElement, direction: Direction, contingency: Contingency | null, seed: number) {
  const pairText = `${element.tso}|${element.name}|${contingency?.name ?? 'N'}`;
  return {
    kind: 'cnec' as const,
    tso: element.tso,
    element,
    specialName: null,
    direction,
    contingency,
    pairSeed: textHash(`${pairText}|${seed}`),
    seed: textHash(`${pairText}|${direction}|${seed}`),
    unitPtdfs: null,
    limitMw: 0,
  };
}

/**
 * The catalogue for a seed: every element in the N state and under CONTINGENCIES_PER_ELEMENT contingencies of its
 * TSO's pool (chosen by the seed), in both directions, then the external and equality constraints. Keys
 * (domain/flowBased/constraintKey.ts) are unique.
 */
export function buildCatalogue(seed: number): ConstraintCatalogue {
  const base: Array<Omit<Constraint, 'index'>> = [];
  const reserve: Array<Omit<Constraint, 'index'>> = [];
  const keys = new Set<string>();
  const add = (list: Array<Omit<Constraint, 'index'>>, c: Omit<Constraint, 'index'>) => {
    const key = constraintKey(c);
    if (keys.has(key)) return false;
    keys.add(key);
    list.push(c);
    return true;
  };
  ELEMENTS.forEach((element, elementIndex) => {
    for (const direction of ['DIRECT', 'OPPOSITE'] as const) add(base, cnec(element, direction, null, seed));
    contingenciesOf(element, elementIndex, seed).forEach((contingency, i) => {
      const list = i < CONTINGENCIES_PER_ELEMENT ? base : reserve;
      for (const direction of ['DIRECT', 'OPPOSITE'] as const)
        add(list, cnec(element, direction, contingency, seed));
    });
  });
  for (const special of specialConstraints()) add(base, special);
  const latecomerElement: NetworkElement = {
    tso: 'TENNETBV',
    name: 'Borssele - Rilland 380 Zwart ',
    eic: '14T-NL-LINE-0003',
    hubFrom: 'NL',
    hubTo: 'NL',
    substationFrom: 'Borssele',
    substationTo: 'Rilland',
    elementType: 'Line',
    fmaxType: 'SEASONAL',
    imax: 2900,
    minRamFactor: 70,
  };
  const latecomer = cnec(latecomerElement, 'DIRECT', null, seed);
  let index = 0;
  return {
    base: base.map((c) => ({ ...c, index: index++ })),
    reserve: reserve.map((c) => ({ ...c, index: index++ })),
    latecomer: { ...latecomer, index: index++ },
  };
}

const catalogues = new Map<number, ConstraintCatalogue>();

/** The catalogue for a seed, built once: the domain's paths and the net positions cleared against it share it. */
export function catalogueFor(seed: number): ConstraintCatalogue {
  let catalogue = catalogues.get(seed);
  if (catalogue === undefined) {
    catalogue = buildCatalogue(seed);
    catalogues.set(seed, catalogue);
  }
  return catalogue;
}
