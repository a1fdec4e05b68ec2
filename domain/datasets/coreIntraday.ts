// Core intraday (`coreID`, SHAPES §3.6): per IDCC window (a–d) the maximum bilateral exchanges and the intraday ATC
// JAO publishes, on paths `IDCC{X}_maxExchanges` and `IDCC{X}_intradayAtc`. One declaration factory per publication,
// as coreFlowBasedDomain.ts does for stages; one dataset per window and publication.
import type { DatasetDeclaration } from './declaration';
import { CORE_LTA_PAIRS, CORE_LTA_ZONES, pairKeys } from './shared';

/**
 * When a window's day is due (domain/freshnessDeadline.ts), assumed (I): (a) and (b) are computed on the evening of
 * D-1 (IDCC(b)'s domain of 2025-01-01 holds 22 of its 24 hours, from its second hour), (c) and (d) on D itself, for
 * the hours still ahead of them.
 */
export const IDCC_DEADLINES = { A: '23:30', B: '23:59', C: 'D 12:00', D: 'D 20:00' } as const;

/** The windows computed on D are looked for on D, before their deadline (domain/publicationWindow.ts). */
export const IDCC_WINDOWS_ON_THE_DAY: Partial<Record<IdccLetter, string>> = {
  C: 'D 08:00-12:00',
  D: 'D 16:00-20:00',
};

/** The IDCC windows' first days (K: jao-py README; IDCC(d) "to prod" 2026-04-28, first day U). */
export const IDCC_FIRST_DAYS = {
  A: '2024-06-14',
  B: '2024-05-29',
  C: '2025-06-25',
  D: '2026-04-28',
} as const;
export type IdccLetter = keyof typeof IDCC_FIRST_DAYS;

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
  const firstDay = IDCC_FIRST_DAYS[letter];
  const { idSuffix, name, what } = PUBLICATIONS[publication];
  return {
    id: `coreIdcc${letter}${idSuffix}`,
    region: 'coreID',
    endpoint: `IDCC${letter}_${publication}`,
    title: `JAO Core intraday IDCC(${letter.toLowerCase()}) ${name}, MW per border and MTU`,
    description:
      `Core intraday capacity calculation, window IDCC(${letter.toLowerCase()}): ${what} Row: id, dateTimeUtc, then ` +
      'border_{FROM}_{TO} (K for maxExchanges: JAOPuTo R/JAOPuTo_CoreID_IDCCb_maxexchanges.R; I for intradayAtc, ' +
      'from jao-py stripping a border_ prefix). Path letter upper case as jao-py and JAOPuTo write it (JAOEU.jl ' +
      'writes IDCCa_). The border set is not established (U): the 38 Core pairs of activeLtaConstraint are assumed ' +
      '(I). The fixture is built from these facts, not captured.',
    timeZone: 'Europe/Amsterdam',
    firstDay,
    firstDayName: `IDCC(${letter.toLowerCase()}) go-live`,
    firstDaySource:
      letter === 'D'
        ? 'IDCC(d) to production per jao-py commit e5496b9, 2026-04-28; first day U'
        : `IDCC(${letter.toLowerCase()}) go-live ${firstDay} (K: jao-py README)`,
    // Not established (U); the IDCC(b) domain is hourly on 2025-01-01 (K), so hourly is assumed throughout (I).
    resolutions: [{ from: firstDay, minutes: 60 }],
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
