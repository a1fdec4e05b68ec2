// Core intraday (`coreID`, SHAPES §3.6): per IDCC window (a–d) the maximum bilateral exchanges and the intraday ATC
// JAO publishes, on paths `IDCC{X}_maxExchanges` and `IDCC{X}_intradayAtc`, and the window's final flow-based domain
// (docs/constraints.md), `IDCC{X}_finalComputation`: Core's domain schema with `uva` where the day-ahead domain has
// `cva`. One declaration factory per publication, as coreFlowBasedDomain.ts does for stages; one dataset per window
// and publication.
import { AHC_FIRST_DAY, CORE_PTDF_HUBS } from '../flowBased/fields';
import type { DatasetDeclaration } from './declaration';
import { AHC_PTDF_HUBS, CORE_LTA_PAIRS, CORE_LTA_ZONES, PAGED_CONSTRAINTS, pairKeys } from './shared';

/**
 * When a window's day is due (domain/freshnessDeadline.ts), assumed (I): (a) and (b) are computed on the evening of
 * D-1 (IDCC(b)'s domain of 2025-01-01 holds 22 of its 24 hours, from its second hour), (c) and (d) on D itself, for
 * the hours still ahead of them.
 */
const IDCC_DEADLINES = { A: '23:30', B: '23:59', C: 'D 12:00', D: 'D 20:00' } as const;

/** The windows computed on D are looked for on D, before their deadline (domain/publicationWindow.ts). */
const IDCC_WINDOWS_ON_THE_DAY: Partial<Record<IdccLetter, string>> = {
  C: 'D 08:00-12:00',
  D: 'D 16:00-20:00',
};

/** The IDCC windows' first days (K: jao-py README; IDCC(d) "to prod" 2026-04-28, first day U). */
const IDCC_FIRST_DAYS = {
  A: '2024-06-14',
  B: '2024-05-29',
  C: '2025-06-25',
  D: '2026-04-28',
} as const;
type IdccLetter = keyof typeof IDCC_FIRST_DAYS;

/** What every dataset of an IDCC window shares: region coreID, the window's go-live and its MTUs. */
function idccWindow<Letter extends IdccLetter>(letter: Letter) {
  const firstDay = IDCC_FIRST_DAYS[letter];
  return {
    region: 'coreID',
    timeZone: 'Europe/Amsterdam',
    firstDay,
    firstDayName: `IDCC(${letter.toLowerCase()}) go-live`,
    // Not established (U); the IDCC(b) domain is hourly on 2025-01-01 (K), so hourly is assumed throughout (I).
    resolutions: [{ from: firstDay, minutes: 60 }],
  } as const;
}

/** What each publication holds, and how its id and title name it. */
const PUBLICATIONS = {
  maxExchanges: {
    idSuffix: 'MaxExchanges',
    name: 'maximum bilateral exchanges',
    what: 'the largest exchange possible across each border within the intraday flow-based domain, per MTU.',
  },
  intradayAtc: {
    idSuffix: 'IntradayAtc',
    name: 'intraday ATC',
    what: 'the intraday ATC offered to the continuous intraday market per border, per MTU.',
  },
} as const;

function intraday<Letter extends IdccLetter, Publication extends keyof typeof PUBLICATIONS>(
  letter: Letter,
  publication: Publication,
) {
  const idcc = idccWindow(letter);
  const { idSuffix, name, what } = PUBLICATIONS[publication];
  return {
    ...idcc,
    id: `coreIdcc${letter}${idSuffix}`,
    endpoint: `IDCC${letter}_${publication}`,
    title: `JAO Core intraday IDCC(${letter.toLowerCase()}) ${name}, MW per border and MTU`,
    description:
      `Core intraday capacity calculation, window IDCC(${letter.toLowerCase()}): ${what} Row: id, dateTimeUtc, then ` +
      'border_{FROM}_{TO} (K for maxExchanges: JAOPuTo R/JAOPuTo_CoreID_IDCCb_maxexchanges.R; I for intradayAtc, ' +
      'from jao-py stripping a border_ prefix). Path letter upper case as jao-py and JAOPuTo write it (JAOEU.jl ' +
      'writes IDCCa_). The border set is not established (U): the 38 Core pairs of activeLtaConstraint are assumed ' +
      '(I). The fixture is built from these facts, not captured.',
    firstDaySource:
      letter === 'D'
        ? 'IDCC(d) to production per jao-py commit e5496b9, 2026-04-28; first day U'
        : `IDCC(${letter.toLowerCase()}) go-live ${idcc.firstDay} (K: jao-py README)`,
    rowKind: 'keyedValues',
    keyPattern: 'border_{FROM}_{TO}',
    zones: CORE_LTA_ZONES,
    keys: pairKeys('border_', CORE_LTA_PAIRS),
    valueSign: 'nonNegative',
    extraRowFields: [],
    envelopeFields: [],
    publication: {
      window: IDCC_WINDOWS_ON_THE_DAY[letter] ?? '18:00-24:00',
      deadline: IDCC_DEADLINES[letter],
      typical:
        'assumed (I): the windows publish from the evening of D-1 (a, b) into D itself (c, d), looked for and due ' +
        'on D',
    },
    unit: 'MW',
  } as const satisfies DatasetDeclaration;
}

export const coreIdccAMaxExchanges = intraday('A', 'maxExchanges');
export const coreIdccBMaxExchanges = intraday('B', 'maxExchanges');
export const coreIdccCMaxExchanges = intraday('C', 'maxExchanges');
export const coreIdccDMaxExchanges = intraday('D', 'maxExchanges');
export const coreIdccAIntradayAtc = intraday('A', 'intradayAtc');
export const coreIdccBIntradayAtc = intraday('B', 'intradayAtc');

function intradayDomain<Letter extends IdccLetter>(letter: Letter) {
  const idcc = idccWindow(letter);
  return {
    ...idcc,
    ...PAGED_CONSTRAINTS,
    id: `coreIdcc${letter}FinalComputation`,
    endpoint: `IDCC${letter}_finalComputation`,
    title: `JAO Core intraday flow-based domain IDCC(${letter.toLowerCase()}), final: presolved CNECs with RAM and PTDFs per hourly MTU`,
    description:
      `Core's intraday capacity calculation, window IDCC(${letter.toLowerCase()}): per hour of the MTUs the ` +
      'window computes, the presolved CNECs with the margins JAO publishes (RAM, Imax, U, Fmax, FRM, Fref, F0 ' +
      'Core, F0 all, FUAF, UVA, IVA) and their zone-to-slack PTDF per hub; fetched page by page after a count ' +
      'probe, filtered on presolved constraints.',
    firstDaySource:
      letter === 'D'
        ? 'IDCC(d) moved to production on 2026-04-28 (a jao-py commit of that day); its first published day is ' +
          'not established.'
        : `IDCC(${letter.toLowerCase()}) went live on ${idcc.firstDay}: jao-py README (IDCC go-live dates); not checked ` +
          'against JAO itself.',
    // A capture of IDCC(b) (2025-01-01) has Core's 14 hubs without CH.
    zones: CORE_PTDF_HUBS.filter((hub) => hub !== 'CH'),
    addedZones: idcc.firstDay < AHC_FIRST_DAY ? [AHC_PTDF_HUBS] : undefined,
    // As the window's max exchanges: (c) and (d) are looked for and due on the delivery day itself.
    publication: {
      window: IDCC_WINDOWS_ON_THE_DAY[letter] ?? '22:00-23:00',
      deadline: IDCC_DEADLINES[letter],
      typical: `IDCC(${letter.toLowerCase()}) is computed in the window’s own run, D-1 evening to D; assumed`,
    },
    constraintFields: {
      filter: { Presolved: true },
      presolvedFlag: 'presolved',
      ptdfPrefix: 'ptdf_',
      contingency: { form: 'list' },
      renames: { uva: 'cva' },
      // Fields of the day-ahead schema no public client reads on coreID: if JAO sends them, they are kept in
      // `extra` and reported as unknown fields (drift), never lost.
      // biome-ignore format: a table of names
      absent: [
        'minRamTarget', 'minRamFactor', 'frefInit', 'fnrao', 'amr', 'ltaMargin', 'ftotalLtn', 'fltn',
        'cneStatus', 'justification',
      ],
      extra: {},
      // A window computes the MTUs still ahead of it: IDCC(b) has 22 of 2025-01-01's 24 hours. A complete day is
      // every announced row stored, not every MTU covered.
      everyMtuHasRows: false,
      // 111 presolved rows in an hour of 2026-01-01's Core domain; IDCC(b) 2025-01-01: 3,596 rows over 22 hours.
      rowsPerMtu: 160,
    },
  } as const satisfies DatasetDeclaration;
}

export const coreIdccAFinalComputation = intradayDomain('A');
export const coreIdccBFinalComputation = intradayDomain('B');
export const coreIdccCFinalComputation = intradayDomain('C');
export const coreIdccDFinalComputation = intradayDomain('D');
